package view

import (
	"math"
	"strconv"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// classRecord is a class in `pixcert classes`. On a narrow screen, the
// counts that the others give go first: the class's size, then its
// students not communicated.
type classRecord struct {
	Class           string `csv:"Classe"`
	Students        string `csv:"Effectif" table:"prio=2"`
	Certifiable     string `csv:"Certifiables"`
	NotCertifiable  string `csv:"Non certifiables"`
	NotCommunicated string `csv:"Non communiqués" table:"prio=1"`
	Rate            string `csv:"% certifiables"`
}

// classRecordOfSeveral is a classRecord when the classes are those of
// several establishments.
type classRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	classRecord
}

// classJSON is the JSON contract of `pixcert classes --format json`.
type classJSON struct {
	Class           string  `json:"class"`
	Students        int     `json:"students"`
	Certifiable     int     `json:"certifiable"`
	NotCertifiable  int     `json:"non_certifiable"`
	NotCommunicated int     `json:"not_communicated"`
	CertifiableRate float64 `json:"certifiable_rate"`
	Establishment   *string `json:"establishment"`
}

// ClassesWhat is what the classes view counts.
const ClassesWhat = "classes, " + StatusWhat

// Classes is the per-class view a head teacher uses to decide which classes
// to chase, with a total row; with several establishments, each has its
// classes and its total, then comes the total of all. counts come
// establishment by establishment (store.ClassCounts).
func Classes(counts []store.ClassCount, scope Scope) output.Document {
	var records []any
	js := make([]classJSON, 0, len(counts))
	total := store.ClassCount{Class: "Total"}
	estabTotal := total
	add := func(establishment string, c store.ClassCount) {
		if scope.Several {
			records = append(records, classRecordOfSeveral{establishment, classRow(c)})
		} else {
			records = append(records, classRow(c))
		}
	}
	for i, c := range counts {
		add(c.Establishment, c)
		js = append(js, classJSON{c.Class, c.Students, c.Certifiable, c.NotCertifiable, c.NotCommunicated, rate(c), nonEmpty(c.Establishment)})
		addTo(&total, c)
		addTo(&estabTotal, c)
		if scope.Several && (i == len(counts)-1 || counts[i+1].EstablishmentID != c.EstablishmentID) {
			add(c.Establishment, estabTotal)
			estabTotal = store.ClassCount{Class: "Total"}
		}
	}
	if len(counts) > 0 {
		add("Tous", total)
	}
	var first any = classRecord{}
	if scope.Several {
		first = classRecordOfSeveral{}
	}
	footer := countOf(len(counts), [2]string{"classe", "classes"})
	// A class is a line: an académie's 35,000 classes fit in memory.
	return output.Document{
		Title:  scope.title(ClassesWhat),
		Sheets: oneSheet(first, records, footer),
		JSON:   js,
	}
}

// addTo adds a class's counts to a total.
func addTo(total *store.ClassCount, c store.ClassCount) {
	total.Students += c.Students
	total.Certifiable += c.Certifiable
	total.NotCertifiable += c.NotCertifiable
	total.NotCommunicated += c.NotCommunicated
}

func classRow(c store.ClassCount) classRecord {
	return classRecord{c.Class, strconv.Itoa(c.Students), strconv.Itoa(c.Certifiable), strconv.Itoa(c.NotCertifiable),
		strconv.Itoa(c.NotCommunicated), percent(rate(c))}
}

// rate is the share of certifiable students, 0 for an empty class.
func rate(c store.ClassCount) float64 {
	if c.Students == 0 {
		return 0
	}
	return math.Round(float64(c.Certifiable)/float64(c.Students)*1000) / 1000
}

// oneSheet writes records held in memory, of the type of first (a record
// with or without an establishment column), as one sheet.
func oneSheet(first any, records []any, footer string) func(output.SheetWriter) error {
	return func(w output.SheetWriter) error {
		if err := w.Begin("", first); err != nil {
			return err
		}
		for _, r := range records {
			if err := w.Record(r); err != nil {
				return err
			}
		}
		return w.End(footer)
	}
}
