// Package view turns what the store knows into what commands show: the
// records of each table and the JSON contract of each command.
package view

import (
	"fmt"
	"strconv"
	"strings"

	"pixcert/internal/certif"
	"pixcert/internal/frdate"
	"pixcert/internal/output"
	"pixcert/internal/store"
)

// statusRecord is one student in `pixcert status`, columns named as Pix Orga
// names them where it has them (pix-formats.md §5).
type statusRecord struct {
	LastName    string `csv:"Nom"`
	FirstName   string `csv:"Prénom"`
	Class       string `csv:"Classe"`
	Birthdate   string `csv:"Date de naissance" table:"-"`
	NationalID  string `csv:"INE / N° étudiant" table:"-"`
	Status      string `csv:"Certificabilité"`
	StatusDate  string `csv:"Date"`
	Competences string `csv:"Comp. certifiables"`
	PixScore    string `csv:"Score Pix"`
	Sendings    string `csv:"Envois"`
}

// statusJSON is the JSON contract of `pixcert status --format json`:
// scripts depend on exactly these keys.
type statusJSON struct {
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
	Competences            []competenceJSON `json:"competences"`
}

type competenceJSON struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
	Pix   int    `json:"pix"`
}

// Students reads students one at a time, in order, as the store's
// EachStudent does. It may be called again, and reads the same again.
type Students func(each func(*store.StudentStatus) error) error

// List reads students held in memory.
func List(list []store.StudentStatus) Students {
	return func(each func(*store.StudentStatus) error) error {
		for i := range list {
			if err := each(&list[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// Status is the document of `pixcert status`.
func Status(students Students) output.Document {
	return output.Document{
		Sheets: func(w output.SheetWriter) error {
			if err := w.Begin("", statusRecord{}); err != nil {
				return err
			}
			var counts Counts
			err := students(func(s *store.StudentStatus) error {
				counts.Add(s.Status)
				competences, score := profileCounts(s)
				return w.Record(statusRecord{
					LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
					Birthdate: frdate.French(s.Birthdate), NationalID: s.NationalID + s.StudentNumber,
					Status: s.Status.Label(), StatusDate: frdate.French(s.StatusDate),
					Competences: competences, PixScore: score, Sendings: strconv.Itoa(s.Sendings),
				})
			})
			if err != nil {
				return err
			}
			return w.End(counts.Line())
		},
		JSONList: func(add func(any) error) error {
			return students(func(s *store.StudentStatus) error { return add(studentJSON(s)) })
		},
	}
}

// studentJSON is one student in the JSON contract.
func studentJSON(s *store.StudentStatus) statusJSON {
	j := statusJSON{
		LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
		Birthdate: nonEmpty(s.Birthdate), NationalID: nonEmpty(s.NationalID),
		Status: s.Status, StatusLabel: s.Status.Label(), Sendings: s.Sendings,
	}
	if s.HasProfile {
		count, pix := s.CertifiableCt, s.PixTotal
		j.StatusDate = nonEmpty(frdate.Day(s.StatusDate))
		j.CertifiableCompetences, j.PixScore = &count, &pix
		j.Competences = competencesJSON(s.Profile)
	}
	return j
}

// profileCounts are the certifiable competences and pix score of a student,
// blank, not zero, when no profile was ever sent: nothing is known.
func profileCounts(s *store.StudentStatus) (competences, score string) {
	if !s.HasProfile {
		return "", ""
	}
	return strconv.Itoa(s.CertifiableCt), strconv.Itoa(s.PixTotal)
}

func competencesJSON(p certif.Profile) []competenceJSON {
	out := make([]competenceJSON, certif.CompetenceCount)
	for k, c := range certif.Competences {
		out[k] = competenceJSON{Code: c.Code, Name: c.Name, Level: p.Levels[k], Pix: p.Pix[k]}
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// countNouns are the statuses as a count line says them, singular and plural.
var countNouns = map[certif.Status][2]string{
	certif.Certifiable:     {"certifiable", "certifiables"},
	certif.NotCertifiable:  {"non certifiable", "non certifiables"},
	certif.NotCommunicated: {"non communiqué", "non communiqués"},
}

// Counts counts students by status, as a list goes by.
type Counts struct {
	total    int
	byStatus map[certif.Status]int
}

// Add counts a student of status.
func (c *Counts) Add(status certif.Status) {
	if c.byStatus == nil {
		c.byStatus = map[certif.Status]int{}
	}
	c.total++
	c.byStatus[status]++
}

// Line sums up a list the way Pix Orga counts its students ("8 élèves"),
// with the split by status.
func (c *Counts) Line() string {
	line := countOf(c.total, [2]string{"élève", "élèves"})
	var parts []string
	for _, st := range certif.Statuses {
		if n := c.byStatus[st]; n > 0 {
			parts = append(parts, countOf(n, countNouns[st]))
		}
	}
	if len(parts) == 0 {
		return line
	}
	return line + " : " + strings.Join(parts, ", ")
}

// Counted reads students and counts them in c, afresh at each reading: after
// a document is written, c holds what it wrote.
func Counted(students Students, c *Counts) Students {
	return func(each func(*store.StudentStatus) error) error {
		*c = Counts{}
		return students(func(s *store.StudentStatus) error {
			c.Add(s.Status)
			return each(s)
		})
	}
}

func countOf(n int, nouns [2]string) string {
	if n > 1 {
		return fmt.Sprintf("%d %s", n, nouns[1])
	}
	return fmt.Sprintf("%d %s", n, nouns[0])
}
