package view

import (
	"fmt"
	"strings"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// unmatchedRecord is a participant in `pixcert unmatched`: on a narrow
// screen, what it takes to link it (its reference, its names, the students
// it may be) stays, a candidate a line.
type unmatchedRecord struct {
	Ref        string `csv:"Réf."`
	LastName   string `csv:"Nom" table:"wrap"`
	FirstName  string `csv:"Prénom" table:"wrap"`
	Class      string `csv:"Classe (export)"`
	Campaign   string `csv:"Campagne" table:"wrap,prio=3"`
	Status     string `csv:"Certificabilité" table:"prio=1"`
	StatusDate string `csv:"Date" table:"prio=2"`
	Candidates string `csv:"Élèves proches" table:"wrap=20"`
}

// unmatchedJSON is the JSON contract of `pixcert unmatched --format json`;
// ref is what pixcert link takes.
type unmatchedJSON struct {
	Ref        string          `json:"ref"`
	LastName   string          `json:"last_name"`
	FirstName  string          `json:"first_name"`
	Class      string          `json:"class"`
	Campaign   string          `json:"campaign"`
	Status     certif.Status   `json:"status"`
	StatusDate *string         `json:"status_date"`
	Candidates []candidateJSON `json:"candidates"`
}

type candidateJSON struct {
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	Class     string `json:"class"`
}

// Unmatched lists the participants no roster student matches, with the
// students a person may mean.
func Unmatched(list []store.Participant) output.Document {
	footer := "Aucun participant sans élève : tous sont rapprochés de la liste."
	if n := len(list); n > 0 {
		footer = countOf(n, [2]string{"participant sans élève", "participants sans élève"}) +
			". Pour rattacher : pixcert link RÉF ÉLÈVE (INE ou nom) ; pour écarter : pixcert unlink RÉF."
	}
	return output.Document{
		Sheets: func(w output.SheetWriter) error {
			if err := w.Begin("", unmatchedRecord{}); err != nil {
				return err
			}
			var names []string
			for i := range list {
				p := &list[i]
				names = names[:0]
				for _, c := range p.Candidates {
					names = append(names, fmt.Sprintf("%s %s (%s)", c.LastName, c.FirstName, c.Class))
				}
				err := w.Record(unmatchedRecord{p.Ref, p.LastName, p.FirstName, p.Class, p.Campaign, p.Status.Label(),
					frdate.French(p.StatusDate), strings.Join(names, " ; ")})
				if err != nil {
					return err
				}
			}
			return w.End(footer)
		},
		JSONList: func(add func(any) error) error {
			for i := range list {
				p := &list[i]
				candidates := make([]candidateJSON, len(p.Candidates))
				for k, c := range p.Candidates {
					candidates[k] = candidateJSON{c.LastName, c.FirstName, c.Class}
				}
				err := add(unmatchedJSON{p.Ref, p.LastName, p.FirstName, p.Class, p.Campaign, p.Status,
					nonEmpty(frdate.Day(p.StatusDate)), candidates})
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
}
