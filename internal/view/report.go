package view

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// reportRecord is one student of the follow-up report.
type reportRecord struct {
	LastName    string `csv:"Nom" table:"wrap"`
	FirstName   string `csv:"Prénom" table:"wrap"`
	Class       string `csv:"Classe"`
	Status      string `csv:"Certificabilité"`
	StatusDate  string `csv:"Date de l'envoi" xlsx:"date" table:"prio=1"`
	Old         string `csv:"Envoyé avant la dernière collecte" table:"prio=4"`
	Competences string `csv:"Compétences certifiables" table:"prio=3"`
	Missing     string `csv:"Compétences manquantes" table:"prio=2"`
	ToWork      string `csv:"À travailler" table:"wrap=20"`
	LastSending string `csv:"Dernier envoi" table:"prio=5"`
	Sendings    string `csv:"Envois" table:"prio=6"`
}

// reportRecordOfSeveral is a reportRecord when the report holds students
// of several establishments.
type reportRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	reportRecord
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
	Establishment          *string          `json:"establishment"`
	// As in status: the last profile was sent before the latest collecte
	// of the student's class.
	SentBeforeLatestCollection bool    `json:"sent_before_latest_collection"`
	LatestCollection           *string `json:"latest_collection"`
}

// reportClassJSON is a class of `pixcert report --by-class --format json`:
// its students, as the report without --by-class lists them.
type reportClassJSON struct {
	Class         string       `json:"class"`
	Establishment *string      `json:"establishment"`
	Students      []reportJSON `json:"students"`
}

// ReportWhat is what a report is.
const ReportWhat = "fichier de relance (" + StatusWhat + ")"

// Report is the follow-up report: for each student, what is missing and
// what to do next. byClass makes a sheet per class, named by the first
// spelling of the class in the list (and its establishment, when there are
// several), and a JSON array of classes, each with its students; students
// must then come class by class (store.SortClass).
func Report(students Students, byClass bool, scope Scope) output.Document {
	var record any = reportRecord{}
	if scope.Several {
		record = reportRecordOfSeveral{}
	}
	return output.Document{
		Title: scope.title(ReportWhat),
		Name:  "Relance", // a workbook's sheet, when it is not split by class
		Sheets: func(w output.SheetWriter) error {
			var counts Counts
			type classKey struct {
				establishment int64
				class         string
			}
			var class classKey
			begun := false
			err := students(func(s *store.StudentStatus) error {
				// Classes compare as they sort: "3E2" and "3e2" in one roster
				// are one class.
				key := classKey{s.EstablishmentID, fold.SortKey(s.Class)}
				if byClass && begun && key != class {
					if err := w.End(counts.Line()); err != nil {
						return err
					}
					counts, begun = Counts{}, false
				}
				if !begun {
					name := ""
					switch {
					case byClass && scope.Several:
						name = s.Establishment + " — " + s.Class
					case byClass:
						name = s.Class
					}
					if err := w.Begin(name, record); err != nil {
						return err
					}
					class, begun = key, true
				}
				counts.Add(s)
				rec, _ := reportRow(s)
				if scope.Several {
					return w.Record(reportRecordOfSeveral{s.Establishment, rec})
				}
				return w.Record(rec)
			})
			if err != nil {
				return err
			}
			if !begun {
				if err := w.Begin("", record); err != nil {
					return err
				}
			}
			return w.End(counts.Line())
		},
		JSONList: func(add func(any) error) error {
			if byClass {
				return reportByClassJSON(students, add)
			}
			return students(func(s *store.StudentStatus) error {
				_, j := reportRow(s)
				return add(j)
			})
		},
	}
}

// reportByClassJSON adds the students class by class, a class at a time:
// a class is a few dozen students, an académie's list is never held whole.
func reportByClassJSON(students Students, add func(any) error) error {
	type classKey struct {
		establishment int64
		class         string
	}
	var key classKey
	var class *reportClassJSON
	err := students(func(s *store.StudentStatus) error {
		k := classKey{s.EstablishmentID, fold.SortKey(s.Class)}
		if class != nil && k != key {
			if err := add(class); err != nil {
				return err
			}
			class = nil
		}
		if class == nil {
			key, class = k, &reportClassJSON{Class: s.Class, Establishment: nonEmpty(s.Establishment)}
		}
		_, j := reportRow(s)
		class.Students = append(class.Students, j)
		return nil
	})
	if err != nil || class == nil {
		return err
	}
	return add(class)
}

func reportRow(s *store.StudentStatus) (reportRecord, reportJSON) {
	competences, _ := profileCounts(s)
	rec := reportRecord{
		LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
		Status: s.Status.Label(), StatusDate: frdate.French(s.StatusDate), Old: oldMark(s),
		Competences: competences, Sendings: strconv.Itoa(s.Sendings),
	}
	j := reportJSON{
		LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
		Status: s.Status, StatusLabel: s.Status.Label(), Sendings: s.Sendings,
		Establishment: nonEmpty(s.Establishment), SentBeforeLatestCollection: s.LatestCollection != "",
		LatestCollection: nonEmpty(s.LatestCollection),
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
	if s.LatestCollection != "" && s.Status != certif.Certifiable {
		// The profile may be behind the student: the collecte tells first.
		work = append([]string{fmt.Sprintf("Envoyer à nouveau son profil dans la collecte « %s »", s.LatestCollection)}, work...)
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
