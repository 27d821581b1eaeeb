package view

import (
	"fmt"
	"math"
	"strconv"

	"pixcert/internal/output"
	"pixcert/internal/store"
)

type classRecord struct {
	Class           string `csv:"Classe"`
	Students        string `csv:"Effectif"`
	Certifiable     string `csv:"Certifiables"`
	NotCertifiable  string `csv:"Non certifiables"`
	NotCommunicated string `csv:"Non communiqués"`
	Rate            string `csv:"% certifiables"`
}

// classJSON is the JSON contract of `pixcert classes --format json`.
type classJSON struct {
	Class           string  `json:"class"`
	Students        int     `json:"students"`
	Certifiable     int     `json:"certifiable"`
	NotCertifiable  int     `json:"non_certifiable"`
	NotCommunicated int     `json:"not_communicated"`
	CertifiableRate float64 `json:"certifiable_rate"`
}

// Classes is the per-class view a head teacher uses to decide which classes
// to chase, with a total row.
func Classes(counts []store.ClassCount) output.Document {
	records := make([]classRecord, 0, len(counts)+1)
	js := make([]classJSON, 0, len(counts))
	total := store.ClassCount{Class: "Total"}
	for _, c := range counts {
		records = append(records, classRow(c))
		js = append(js, classJSON{c.Class, c.Students, c.Certifiable, c.NotCertifiable, c.NotCommunicated, rate(c)})
		total.Students += c.Students
		total.Certifiable += c.Certifiable
		total.NotCertifiable += c.NotCertifiable
		total.NotCommunicated += c.NotCommunicated
	}
	if len(counts) > 0 {
		records = append(records, classRow(total))
	}
	footer := countOf(len(counts), [2]string{"classe", "classes"})
	// A class is a line: an académie's 35,000 classes fit in memory.
	return output.Document{Sheets: output.Sheets(output.Sheet{Records: records, Footer: footer}), JSON: js}
}

func classRow(c store.ClassCount) classRecord {
	return classRecord{c.Class, strconv.Itoa(c.Students), strconv.Itoa(c.Certifiable), strconv.Itoa(c.NotCertifiable),
		strconv.Itoa(c.NotCommunicated), fmt.Sprintf("%d %%", int(math.Round(rate(c)*100)))}
}

// rate is the share of certifiable students, 0 for an empty class.
func rate(c store.ClassCount) float64 {
	if c.Students == 0 {
		return 0
	}
	return math.Round(float64(c.Certifiable)/float64(c.Students)*1000) / 1000
}
