package view

import (
	"fmt"
	"math"
	"strconv"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// classDayRecord is a class at the end of a collecte day in `pixcert
// classes --history`: a line per class and day, as a pivot table wants. On
// a narrow screen, what history is about stays: the certifiable students,
// their share and its change.
type classDayRecord struct {
	Class           string `csv:"Classe"`
	Day             string `csv:"Collecte du"`
	Students        string `csv:"Effectif" table:"prio=3"`
	Certifiable     string `csv:"Certifiables"`
	NotCertifiable  string `csv:"Non certifiables" table:"prio=1"`
	NotCommunicated string `csv:"Non communiqués" table:"prio=2"`
	Rate            string `csv:"% certifiables"`
	Change          string `csv:"Évolution"`
}

type classDayRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	classDayRecord
}

// classHistoryJSON is the JSON contract of `pixcert classes --history`.
type classHistoryJSON struct {
	Class         string           `json:"class"`
	Establishment *string          `json:"establishment"`
	History       []historyDayJSON `json:"history"`
}

type historyDayJSON struct {
	Date            string  `json:"date"` // YYYY-MM-DD
	Students        int     `json:"students"`
	Certifiable     int     `json:"certifiable"`
	NotCertifiable  int     `json:"non_certifiable"`
	NotCommunicated int     `json:"not_communicated"`
	CertifiableRate float64 `json:"certifiable_rate"`
}

// ClassesHistoryWhat is what `classes --history` shows.
const ClassesHistoryWhat = "classes à chaque collecte, " + StatusWhat

// ClassesHistory is the certifiable rate of each class at each collecte
// day, with its change since the collecte before.
func ClassesHistory(history []store.ClassHistory, scope Scope) output.Document {
	var records []any
	js := make([]classHistoryJSON, 0, len(history))
	days := 0
	for _, h := range history {
		j := classHistoryJSON{Class: h.Class, Establishment: nonEmpty(h.Establishment), History: []historyDayJSON{}}
		for i, p := range h.Points {
			rate := math.Round(p.Rate()*1000) / 1000
			j.History = append(j.History, historyDayJSON{p.Day, p.Students, p.Certifiable, p.NotCertifiable, p.NotCommunicated, rate})
			rec := classDayRecord{h.Class, frdate.French(p.Day), strconv.Itoa(p.Students), strconv.Itoa(p.Certifiable),
				strconv.Itoa(p.NotCertifiable), strconv.Itoa(p.NotCommunicated), percent(p.Rate()), ""}
			if i > 0 {
				rec.Change = change(p.Certifiable - h.Points[i-1].Certifiable)
			}
			if scope.Several {
				records = append(records, classDayRecordOfSeveral{h.Establishment, rec})
			} else {
				records = append(records, rec)
			}
		}
		days = max(days, len(h.Points))
		js = append(js, j)
	}
	var first any = classDayRecord{}
	if scope.Several {
		first = classDayRecordOfSeveral{}
	}
	footer := countOf(len(history), [2]string{"classe", "classes"})
	if days == 0 && len(history) > 0 {
		footer += " : aucune collecte importée encore, pas d'historique"
	}
	return output.Document{
		Title:  scope.title(ClassesHistoryWhat),
		Sheets: oneSheet(first, records, footer),
		JSON:   js,
	}
}

// percent is a share as a table shows it: "38 %".
func percent(rate float64) string {
	return fmt.Sprintf("%d %%", int(math.Round(rate*100)))
}

// change is a change of the number of certifiable students: "+2", "−1",
// "=".
func change(n int) string {
	switch {
	case n > 0:
		return "+" + french.Plural(n, "certifiable", "certifiables")
	case n < 0:
		return "−" + french.Plural(-n, "certifiable", "certifiables")
	}
	return "="
}
