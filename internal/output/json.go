package output

import (
	"encoding/json"
	"io"

	"pixcert/internal/certif"
	"pixcert/internal/frdate"
	"pixcert/internal/store"
)

type jsonWriter struct{}

// jsonStudent is the JSON contract of `pixcert status --format json`:
// scripts depend on these keys; add, never rename.
type jsonStudent struct {
	LastName               string           `json:"last_name"`
	FirstName              string           `json:"first_name"`
	Class                  string           `json:"class"`
	Birthdate              *string          `json:"birthdate"`
	NationalID             *string          `json:"national_id"`
	Status                 certif.Status    `json:"status"`
	StatusLabel            string           `json:"status_label"`
	StatusDate             *string          `json:"status_date"`
	CertifiableCompetences *int             `json:"certifiable_competences"`
	PixScore               *int             `json:"pix_score"`
	Sendings               int              `json:"sendings"`
	Competences            []jsonCompetence `json:"competences"`
}

type jsonCompetence struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
	Pix   int    `json:"pix"`
}

func (jsonWriter) WriteStatus(w io.Writer, students []store.StudentStatus) error {
	out := make([]jsonStudent, len(students))
	for i, s := range students {
		j := jsonStudent{
			LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
			Birthdate: nonEmpty(s.Birthdate), NationalID: nonEmpty(s.NationalID),
			Status: s.Status, StatusLabel: s.Status.Label(), Sendings: s.Sendings,
		}
		if s.HasProfile {
			j.StatusDate = nonEmpty(frdate.Day(s.StatusDate))
			count, pix := s.CertifiableCt, s.PixTotal
			j.CertifiableCompetences, j.PixScore = &count, &pix
			j.Competences = make([]jsonCompetence, certif.CompetenceCount)
			for k, c := range certif.Competences {
				j.Competences[k] = jsonCompetence{Code: c.Code, Name: c.Name, Level: s.Profile.Levels[k], Pix: s.Profile.Pix[k]}
			}
		}
		out[i] = j
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
