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
	// Kind is "participant" (of a collecte) or "certification_result".
	Kind string `json:"kind"`
}

// unmatchedResultJSON is a certification result in the same list.
type unmatchedResultJSON struct {
	Ref                 string          `json:"ref"`
	LastName            string          `json:"last_name"`
	FirstName           string          `json:"first_name"`
	Birthdate           *string         `json:"birthdate"`
	ExternalID          *string         `json:"external_id"`
	CertificationStatus string          `json:"certification_status"`
	Session             *string         `json:"session"`
	Date                *string         `json:"date"`
	Candidates          []candidateJSON `json:"candidates"`
	Kind                string          `json:"kind"`
}

// unmatchedResultRecord is a certification result no student matches.
type unmatchedResultRecord struct {
	Ref        string `csv:"Réf."`
	LastName   string `csv:"Nom" table:"wrap"`
	FirstName  string `csv:"Prénom" table:"wrap"`
	Birthdate  string `csv:"Date de naissance" table:"prio=2"`
	ExternalID string `csv:"Identifiant externe" table:"prio=3"`
	Status     string `csv:"Statut" table:"prio=1"`
	Date       string `csv:"Date de passage" table:"prio=4"`
	Candidates string `csv:"Élèves proches" table:"wrap=20"`
}

type candidateJSON struct {
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	Class     string `json:"class"`
}

// Unmatched lists the participants and certification results no roster
// student matches, with the students a person may mean.
func Unmatched(list []store.Participant, results []store.UnmatchedResult) output.Document {
	footer := "Aucun participant sans élève : tous sont rapprochés de la liste."
	if n := len(list); n > 0 {
		footer = countOf(n, [2]string{"participant sans élève", "participants sans élève"}) +
			". Pour rattacher : pixcert link RÉF ÉLÈVE (INE ou nom) ; pour écarter : pixcert unlink RÉF."
	}
	names := func(candidates []store.Candidate) []string {
		var out []string
		for _, c := range candidates {
			out = append(out, fmt.Sprintf("%s %s (%s)", c.LastName, c.FirstName, c.Class))
		}
		return out
	}
	jsonCandidates := func(list []store.Candidate) []candidateJSON {
		out := make([]candidateJSON, len(list))
		for k, c := range list {
			out[k] = candidateJSON{c.LastName, c.FirstName, c.Class}
		}
		return out
	}
	return output.Document{
		Sheets: func(w output.SheetWriter) error {
			if err := w.Begin("", unmatchedRecord{}); err != nil {
				return err
			}
			for i := range list {
				p := &list[i]
				err := w.Record(unmatchedRecord{p.Ref, p.LastName, p.FirstName, p.Class, p.Campaign, p.Status.Label(),
					frdate.French(p.StatusDate), strings.Join(names(p.Candidates), " ; ")})
				if err != nil {
					return err
				}
			}
			if err := w.End(footer); err != nil {
				return err
			}
			if len(results) == 0 {
				return nil
			}
			if err := w.Begin("Résultats de certification sans élève", unmatchedResultRecord{}); err != nil {
				return err
			}
			for _, r := range results {
				err := w.Record(unmatchedResultRecord{r.Ref, r.LastName, r.FirstName, frdate.French(r.Birthdate), r.ExternalID, r.Status,
					frdate.French(r.Date), strings.Join(names(r.Candidates), " ; ")})
				if err != nil {
					return err
				}
			}
			return w.End(countOf(len(results), [2]string{"résultat sans élève", "résultats sans élève"}) +
				" (élève absent de la liste, ou INE, nom ou date de naissance différents). Pour rattacher : pixcert link RÉF ÉLÈVE.")
		},
		JSONList: func(add func(any) error) error {
			for i := range list {
				p := &list[i]
				err := add(unmatchedJSON{p.Ref, p.LastName, p.FirstName, p.Class, p.Campaign, p.Status,
					nonEmpty(frdate.Day(p.StatusDate)), jsonCandidates(p.Candidates), "participant"})
				if err != nil {
					return err
				}
			}
			for _, r := range results {
				err := add(unmatchedResultJSON{r.Ref, r.LastName, r.FirstName, nonEmpty(r.Birthdate), nonEmpty(r.ExternalID), r.Status,
					nonEmpty(r.Session), nonEmpty(r.Date), jsonCandidates(r.Candidates), "certification_result"})
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
}
