// Package view turns what the store knows into what commands show: the
// records of each table and the JSON contract of each command.
package view

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// statusRecord is one student in `pixcert status`, columns named as Pix Orga
// names them where it has them (pix-formats.md §5). The status is that of
// the last profile sent, dated by it: the title says so. On a narrow
// screen, names wrap, and the columns that matter least go first: the
// count of sendings, the score, whether the profile is older than the
// latest collecte (the line under the table counts those), the count of
// certifiable competences, then the date.
type statusRecord struct {
	LastName    string `csv:"Nom" table:"wrap"`
	FirstName   string `csv:"Prénom" table:"wrap"`
	Class       string `csv:"Classe"`
	Birthdate   string `csv:"Date de naissance" table:"-" xlsx:"date"`
	NationalID  string `csv:"INE / N° étudiant" table:"-"`
	Status      string `csv:"Certificabilité"`
	StatusDate  string `csv:"Date de l'envoi" xlsx:"date" table:"prio=1"`
	Old         string `csv:"Envoyé avant la dernière collecte" table:"prio=3"`
	Competences string `csv:"Comp. certifiables" table:"prio=2"`
	PixScore    string `csv:"Score Pix" table:"prio=4"`
	Sendings    string `csv:"Envois" table:"prio=5"`
}

// statusRecordOfSeveral is a statusRecord when the list holds students of
// several establishments.
type statusRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	statusRecord
}

// statusRecordCertified is a statusRecord once the store holds
// certification results: the outcome, when known, comes last.
type statusRecordCertified struct {
	statusRecord
	Certification string `csv:"Certification" table:"prio=6"`
}

type statusRecordOfSeveralCertified struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	statusRecordCertified
}

// Scope is where the students of a document come from.
type Scope struct {
	// Establishment is the name of the one establishment shown; "" when
	// it has none yet, or when there are several.
	Establishment string
	// Several is a list of students from several establishments: each row
	// names its own.
	Several bool
	// AsOf is the day (YYYY-MM-DD) whose end the statuses are those of;
	// "" for today.
	AsOf string
	// Certification: the store holds certification results for these
	// students: a status list shows each one's outcome.
	Certification bool
}

// title is the title of a document about what, e.g. "certificabilité
// d'après le dernier profil envoyé", named by its establishment.
func (sc Scope) title(what string) string {
	if sc.AsOf != "" {
		what += " au " + frdate.French(sc.AsOf)
	}
	switch {
	case sc.Several:
		return upperFirst(what) + ", tous établissements"
	case sc.Establishment != "":
		return sc.Establishment + " : " + what
	}
	return upperFirst(what)
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// StatusWhat is what the status of every list is: pixcert knows the
// profiles sent, which Pix Orga may have recomputed since (README).
const StatusWhat = "certificabilité d'après le dernier profil envoyé"

// oldMark is the cell of a profile sent before the latest collecte of the
// student's class.
func oldMark(s *store.StudentStatus) string {
	if s.LatestCollection != "" {
		return "oui"
	}
	return ""
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
	Establishment          *string          `json:"establishment"`
	// SentBeforeLatestCollection: the last profile was sent before the
	// latest collecte of the student's class, LatestCollection.
	SentBeforeLatestCollection bool    `json:"sent_before_latest_collection"`
	LatestCollection           *string `json:"latest_collection"`
	// The latest certification, as Pix writes its status, and its day;
	// null when no results export names the student.
	CertificationStatus *string `json:"certification_status"`
	CertificationDate   *string `json:"certification_date"`
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
func Status(students Students, scope Scope) output.Document {
	return output.Document{
		Title: scope.title(StatusWhat),
		Sheets: func(w output.SheetWriter) error {
			var first any = statusRecord{}
			switch {
			case scope.Several && scope.Certification:
				first = statusRecordOfSeveralCertified{}
			case scope.Several:
				first = statusRecordOfSeveral{}
			case scope.Certification:
				first = statusRecordCertified{}
			}
			if err := w.Begin("", first); err != nil {
				return err
			}
			var counts Counts
			err := students(func(s *store.StudentStatus) error {
				counts.Add(s)
				competences, score := profileCounts(s)
				rec := statusRecord{
					LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
					Birthdate: frdate.French(s.Birthdate), NationalID: s.NationalID + s.StudentNumber,
					Status: s.Status.Label(), StatusDate: frdate.French(s.StatusDate), Old: oldMark(s),
					Competences: competences, PixScore: score, Sendings: strconv.Itoa(s.Sendings),
				}
				certified := statusRecordCertified{rec, certificationText(s)}
				switch {
				case scope.Several && scope.Certification:
					return w.Record(statusRecordOfSeveralCertified{s.Establishment, certified})
				case scope.Several:
					return w.Record(statusRecordOfSeveral{s.Establishment, rec})
				case scope.Certification:
					return w.Record(certified)
				}
				return w.Record(rec)
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

// certificationText is a student's latest certification, « Validée le
// 16/03/2026 », or "" when no results export names them.
func certificationText(s *store.StudentStatus) string {
	if s.Certification == "" || s.CertifiedOn == "" {
		return s.Certification
	}
	return s.Certification + " le " + frdate.French(s.CertifiedOn)
}

// studentJSON is one student in the JSON contract.
func studentJSON(s *store.StudentStatus) statusJSON {
	j := statusJSON{
		LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
		Birthdate: nonEmpty(s.Birthdate), NationalID: nonEmpty(s.NationalID),
		Status: s.Status, StatusLabel: s.Status.Label(), Sendings: s.Sendings,
		Establishment: nonEmpty(s.Establishment), SentBeforeLatestCollection: s.LatestCollection != "",
		LatestCollection: nonEmpty(s.LatestCollection), CertificationStatus: nonEmpty(s.Certification),
		CertificationDate: nonEmpty(s.CertifiedOn),
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
	old      int // profiles sent before the latest collecte of the class
	// Students of each establishment, in the order they came: said when
	// there are several.
	establishments []string
	byEstab        map[string]int
}

// Add counts a student.
func (c *Counts) Add(s *store.StudentStatus) {
	if c.byStatus == nil {
		c.byStatus = map[certif.Status]int{}
	}
	c.total++
	c.byStatus[s.Status]++
	if s.LatestCollection != "" {
		c.old++
	}
	if c.byEstab == nil {
		c.byEstab = map[string]int{}
	}
	if _, seen := c.byEstab[s.Establishment]; !seen {
		c.establishments = append(c.establishments, s.Establishment)
	}
	c.byEstab[s.Establishment]++
}

// Line sums up a list the way Pix Orga counts its students ("8 élèves"),
// with the split by status, and the profiles to send again.
func (c *Counts) Line() string {
	line := countOf(c.total, [2]string{"élève", "élèves"})
	var parts []string
	for _, st := range certif.Statuses {
		if n := c.byStatus[st]; n > 0 {
			parts = append(parts, countOf(n, countNouns[st]))
		}
	}
	if len(parts) > 0 {
		line += " : " + strings.Join(parts, ", ")
	}
	if len(c.establishments) > 1 {
		var each []string
		for _, e := range c.establishments {
			name := e
			if name == "" {
				name = "établissement sans nom"
			}
			each = append(each, fmt.Sprintf("%s %d", name, c.byEstab[e]))
		}
		line += " (" + strings.Join(each, ", ") + ")"
	}
	switch {
	case c.old == 1:
		line += " ; 1 profil envoyé avant la dernière collecte de sa classe (à renvoyer)"
	case c.old > 1:
		line += fmt.Sprintf(" ; %d profils envoyés avant la dernière collecte de leur classe (à renvoyer)", c.old)
	}
	return line
}

// Counted reads students and counts them in c, afresh at each reading: after
// a document is written, c holds what it wrote.
func Counted(students Students, c *Counts) Students {
	return func(each func(*store.StudentStatus) error) error {
		*c = Counts{}
		return students(func(s *store.StudentStatus) error {
			c.Add(s)
			return each(s)
		})
	}
}

func countOf(n int, nouns [2]string) string {
	return french.Plural(n, nouns[0], nouns[1])
}
