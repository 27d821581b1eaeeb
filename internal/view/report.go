package view

import (
	"fmt"
	"strconv"
	"strings"

	"pixcert/internal/certif"
	"pixcert/internal/fold"
	"pixcert/internal/frdate"
	"pixcert/internal/output"
	"pixcert/internal/store"
)

// reportRecord is one student of the follow-up report.
type reportRecord struct {
	LastName    string `csv:"Nom"`
	FirstName   string `csv:"Prénom"`
	Class       string `csv:"Classe"`
	Status      string `csv:"Certificabilité"`
	StatusDate  string `csv:"Date"`
	Competences string `csv:"Compétences certifiables"`
	Missing     string `csv:"Compétences manquantes"`
	ToWork      string `csv:"À travailler"`
	LastSending string `csv:"Dernier envoi"`
	Sendings    string `csv:"Envois"`
}

// reportJSON is the JSON of `pixcert report --format json`.
type reportJSON struct {
	LastName               string           `json:"last_name"`
	FirstName              string           `json:"first_name"`
	Class                  string           `json:"class"`
	Status                 certif.Status    `json:"status"`
	StatusLabel            string           `json:"status_label"`
	StatusDate             *string          `json:"status_date"`
	CertifiableCompetences *int             `json:"certifiable_competences"`
	MissingCompetences     *int             `json:"missing_competences"`
	ToWork                 []competenceJSON `json:"to_work"`
	Action                 string           `json:"action"`
	LastSending            *string          `json:"last_sending"`
	Campaign               *string          `json:"campaign"`
	Sendings               int              `json:"sendings"`
}

// Report is the follow-up report: for each student, what is missing and
// what to do next. byClass makes a sheet per class, named by the first
// spelling of the class in the list; students must then come class by
// class (store.SortClass).
func Report(students Students, byClass bool) output.Document {
	return output.Document{
		Sheets: func(w output.SheetWriter) error {
			var counts Counts
			class, begun := "", false
			err := students(func(s *store.StudentStatus) error {
				// Classes compare as they sort: "3E2" and "3e2" in one roster
				// are one class.
				key := fold.SortKey(s.Class)
				if byClass && begun && key != class {
					if err := w.End(counts.Line()); err != nil {
						return err
					}
					counts, begun = Counts{}, false
				}
				if !begun {
					name := ""
					if byClass {
						name = s.Class
					}
					if err := w.Begin(name, reportRecord{}); err != nil {
						return err
					}
					class, begun = key, true
				}
				counts.Add(s.Status)
				rec, _ := reportRow(s)
				return w.Record(rec)
			})
			if err != nil {
				return err
			}
			if !begun {
				if err := w.Begin("", reportRecord{}); err != nil {
					return err
				}
			}
			return w.End(counts.Line())
		},
		JSONList: func(add func(any) error) error {
			return students(func(s *store.StudentStatus) error {
				_, j := reportRow(s)
				return add(j)
			})
		},
	}
}

func reportRow(s *store.StudentStatus) (reportRecord, reportJSON) {
	competences, _ := profileCounts(s)
	rec := reportRecord{
		LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
		Status: s.Status.Label(), StatusDate: frdate.French(s.StatusDate),
		Competences: competences, Sendings: strconv.Itoa(s.Sendings),
	}
	j := reportJSON{
		LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
		Status: s.Status, StatusLabel: s.Status.Label(), Sendings: s.Sendings,
	}
	if !s.HasProfile {
		rec.ToWork = notCommunicatedAction(s)
		j.Action = rec.ToWork
		return rec, j
	}
	missing := certif.MissingCompetences(s.CertifiableCt)
	rec.Missing = strconv.Itoa(missing)
	rec.LastSending = fmt.Sprintf("%s (%s)", frdate.FrenchDateTime(s.StatusDate), s.Campaign)
	var work []string
	j.ToWork = []competenceJSON{}
	for _, i := range s.Profile.ClosestToCertifiable(missing) {
		c := certif.Competences[i]
		work = append(work, fmt.Sprintf("%s %s (%d/%d pix)", c.Code, c.Name, s.Profile.Pix[i], certif.PixPerLevel))
		j.ToWork = append(j.ToWork, competenceJSON{Code: c.Code, Name: c.Name, Level: s.Profile.Levels[i], Pix: s.Profile.Pix[i]})
	}
	rec.ToWork = strings.Join(work, " ; ")
	count := s.CertifiableCt
	j.StatusDate = nonEmpty(frdate.Day(s.StatusDate))
	j.CertifiableCompetences, j.MissingCompetences = &count, &missing
	j.Action = rec.ToWork
	j.LastSending, j.Campaign = nonEmpty(s.StatusDate), nonEmpty(s.Campaign)
	return rec, j
}

// notCommunicatedAction says what a student with no sent profile must do.
func notCommunicatedAction(s *store.StudentStatus) string {
	if s.PendingCampaign != "" {
		return fmt.Sprintf("Envoyer son profil (participation commencée dans la campagne « %s »)", s.PendingCampaign)
	}
	return "Rejoindre la collecte et envoyer son profil"
}
