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
// what to do next. byClass makes a sheet per class.
func Report(students []store.StudentStatus, byClass bool) output.Document {
	var sheets []output.Sheet
	var js []reportJSON
	var records []reportRecord
	var group []store.StudentStatus
	flush := func(name string) {
		if len(records) > 0 {
			sheets = append(sheets, output.Sheet{Name: name, Records: records, Footer: CountLine(group)})
		}
		records, group = nil, nil
	}
	for i, s := range students {
		// Classes compare folded: "3E2" and "3e2" in one roster are one class.
		if byClass && i > 0 && fold.Key(s.Class) != fold.Key(students[i-1].Class) {
			flush(students[i-1].Class)
		}
		rec, j := reportRow(s)
		records, group, js = append(records, rec), append(group, s), append(js, j)
	}
	name := ""
	if byClass && len(students) > 0 {
		name = students[len(students)-1].Class
	}
	flush(name)
	if len(sheets) == 0 {
		sheets = []output.Sheet{{Records: []reportRecord{}, Footer: CountLine(nil)}}
	}
	if js == nil {
		js = []reportJSON{}
	}
	return output.Document{Sheets: sheets, JSON: js}
}

func reportRow(s store.StudentStatus) (reportRecord, reportJSON) {
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
func notCommunicatedAction(s store.StudentStatus) string {
	if s.PendingCampaign != "" {
		return fmt.Sprintf("Envoyer son profil (participation commencée dans la campagne « %s »)", s.PendingCampaign)
	}
	return "Rejoindre la collecte et envoyer son profil"
}
