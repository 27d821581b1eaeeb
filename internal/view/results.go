package view

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/store"
)

// ResultsWhat is what `pixcert results` shows.
const ResultsWhat = "résultats de la certification Pix"

// resultRecord is one student in `pixcert results`: what the school
// planned, then what Pix's results export says. On a narrow screen the
// session number and the score go first.
type resultRecord struct {
	LastName   string `csv:"Nom" table:"wrap"`
	FirstName  string `csv:"Prénom" table:"wrap"`
	Class      string `csv:"Classe"`
	Planned    string `csv:"Session prévue" table:"wrap,prio=5"` // Présence says « Prévu »
	Attendance string `csv:"Présence"`
	Status     string `csv:"Statut"`
	PixScore   string `csv:"Score Pix" table:"prio=3"`
	Date       string `csv:"Date de passage" xlsx:"date" table:"prio=1"`
	Session    string `csv:"Session Pix" table:"prio=4"`
	Comment    string `csv:"Commentaire du jury" table:"-"`
}

// resultRecordOfSeveral is a resultRecord of a list of several
// establishments.
type resultRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	resultRecord
}

// resultClassRecord counts a class's certification.
type resultClassRecord struct {
	Class     string `csv:"Classe"`
	Students  string `csv:"Élèves"`
	Planned   string `csv:"Prévus"`
	Presented string `csv:"Présentés"`
	Certified string `csv:"Certifiés"`
	Absent    string `csv:"Absents"`
	Rejected  string `csv:"Rejetés"`
}

// resultJSON is the JSON contract of `pixcert results --format json`.
type resultJSON struct {
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	Class     string `json:"class"`
	Planned   bool   `json:"planned"`
	Presented bool   `json:"presented"`
	// CertificationStatus is as Pix writes it; null when not presented.
	CertificationStatus *string `json:"certification_status"`
	PixScore            *int    `json:"pix_score"`
	Session             *string `json:"session"` // Pix Certif's session number
	Date                *string `json:"date"`    // YYYY-MM-DD
	Attendance          string  `json:"attendance"`
	PlannedSession      *int64  `json:"planned_session"` // pixcert's session number
	PlannedAt           *string `json:"planned_at"`      // RFC 3339, Europe/Paris, as sessions' start
	JuryComment         *string `json:"jury_comment"`
	Establishment       *string `json:"establishment"`
}

// Certifications is where the students of a list stand in the
// certification (store.Snapshot.Certifications).
type Certifications = store.Certifications

// certificationOf is where a student stands.
func certificationOf(c *Certifications, s *store.StudentStatus) (store.CertificationState, sessions.Attendance) {
	st := c.Students[s.ID]
	plannedOn, passedOn := "", ""
	if st.Planned != nil {
		plannedOn = frdate.Day(st.Planned.Start)
	}
	if st.Result != nil {
		// A result without a day (Pix always gives one) still says the
		// student was presented.
		passedOn = cmp.Or(st.Result.Date, "0000-00-00")
	}
	return st, sessions.AttendanceOf(plannedOn, passedOn, c.ResultsUntil[s.ClassRef()])
}

var attendanceLabels = map[sessions.Attendance]string{
	sessions.NotPlanned:   "Non prévu",
	sessions.NotPresented: "Non présenté",
	sessions.ToCome:       "Prévu",
	sessions.Presented:    "Présenté",
	sessions.Absent:       "Absent",
}

// plannedText says a planned session: « 16/03/2026 08:30 (n° 2) »;
// pixcert sessions says its room.
func plannedText(p *store.PlannedSession) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%s (n° %d)", frdate.FrenchDateTime(p.Start), p.ID)
}

// classCounts counts a class's certification as its students go by.
type classCounts struct {
	class                                                     string
	students, planned, presented, certified, absent, rejected int
}

func (c *classCounts) add(st store.CertificationState, a sessions.Attendance) {
	c.students++
	if st.Planned != nil {
		c.planned++
	}
	switch a {
	case sessions.Presented:
		c.presented++
		if sessions.Certified(st.Result.Status) {
			c.certified++
		}
		if sessions.Rejected(st.Result.Status) {
			c.rejected++
		}
	case sessions.Absent:
		c.absent++
	}
}

func (c classCounts) record() resultClassRecord {
	n := strconv.Itoa
	return resultClassRecord{c.class, n(c.students), n(c.planned), n(c.presented), n(c.certified), n(c.absent), n(c.rejected)}
}

// Results is the document of `pixcert results`: each student, then the
// counts of each class.
func Results(students Students, certs *Certifications, scope Scope) output.Document {
	var record any = resultRecord{}
	if scope.Several {
		record = resultRecordOfSeveral{}
	}
	return output.Document{
		Title: scope.title(ResultsWhat),
		Name:  "Résultats",
		Sheets: func(w output.SheetWriter) error {
			if err := w.Begin("Élèves", record); err != nil {
				return err
			}
			var classes []classCounts
			var key store.ClassRef
			total := classCounts{class: "Total"}
			err := students(func(s *store.StudentStatus) error {
				st, a := certificationOf(certs, s)
				if k := s.ClassRef(); len(classes) == 0 || k != key {
					name := s.Class
					if scope.Several {
						name = s.Establishment + " — " + s.Class
					}
					key, classes = k, append(classes, classCounts{class: name})
				}
				classes[len(classes)-1].add(st, a)
				total.add(st, a)
				rec := resultRow(s, st, a)
				if scope.Several {
					return w.Record(resultRecordOfSeveral{s.Establishment, rec})
				}
				return w.Record(rec)
			})
			if err != nil {
				return err
			}
			if err := w.End(total.line()); err != nil {
				return err
			}
			if err := w.Begin("Par classe", resultClassRecord{}); err != nil {
				return err
			}
			for _, c := range classes {
				if err := w.Record(c.record()); err != nil {
					return err
				}
			}
			if len(classes) > 1 {
				if err := w.Record(total.record()); err != nil {
					return err
				}
			}
			return w.End("")
		},
		JSONList: func(add func(any) error) error {
			return students(func(s *store.StudentStatus) error {
				st, a := certificationOf(certs, s)
				return add(resultJSONOf(s, st, a))
			})
		},
	}
}

// line sums up the whole list.
func (c classCounts) line() string {
	parts := []string{
		countOf(c.planned, [2]string{"prévu", "prévus"}),
		countOf(c.presented, [2]string{"présenté", "présentés"}),
		countOf(c.certified, [2]string{"certifié", "certifiés"}),
		countOf(c.absent, [2]string{"absent", "absents"}),
		countOf(c.rejected, [2]string{"rejeté", "rejetés"}),
	}
	return countOf(c.students, [2]string{"élève", "élèves"}) + " : " + strings.Join(parts, ", ")
}

func resultRow(s *store.StudentStatus, st store.CertificationState, a sessions.Attendance) resultRecord {
	rec := resultRecord{LastName: s.LastName, FirstName: s.FirstName, Class: s.Class,
		Planned: plannedText(st.Planned), Attendance: attendanceLabels[a]}
	// A result is that of the session a student was presented to: one
	// planned again since stands for the new session (AttendanceOf).
	if r := st.Result; r != nil && a == sessions.Presented {
		rec.Status, rec.Date, rec.Session, rec.Comment = r.Status, frdate.French(r.Date), r.Session, r.Comment
		if r.Pix >= 0 {
			rec.PixScore = strconv.Itoa(r.Pix)
		}
	}
	return rec
}

func resultJSONOf(s *store.StudentStatus, st store.CertificationState, a sessions.Attendance) resultJSON {
	j := resultJSON{LastName: s.LastName, FirstName: s.FirstName, Class: s.Class, Planned: st.Planned != nil,
		Presented: a == sessions.Presented, Attendance: string(a), Establishment: nonEmpty(s.Establishment)}
	if p := st.Planned; p != nil {
		id := p.ID
		j.PlannedSession = &id
		if at, err := time.ParseInLocation("2006-01-02 15:04", p.Start, frdate.Paris()); err == nil {
			start := at.Format(time.RFC3339)
			j.PlannedAt = &start
		}
	}
	if r := st.Result; r != nil && j.Presented {
		j.CertificationStatus, j.Session, j.Date, j.JuryComment = &r.Status, nonEmpty(r.Session), nonEmpty(r.Date), nonEmpty(r.Comment)
		if r.Pix >= 0 {
			pix := r.Pix
			j.PixScore = &pix
		}
	}
	return j
}

// rescheduleRecord is a student to offer another session.
type rescheduleRecord struct {
	LastName  string `csv:"Nom" table:"wrap"`
	FirstName string `csv:"Prénom" table:"wrap"`
	Class     string `csv:"Classe"`
	Reason    string `csv:"Motif" table:"wrap=24"`
	Status    string `csv:"Certificabilité" table:"prio=1"`
}

type rescheduleRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	rescheduleRecord
}

// rescheduleJSON is the JSON of `pixcert report --to-reschedule`.
type rescheduleJSON struct {
	LastName            string  `json:"last_name"`
	FirstName           string  `json:"first_name"`
	Class               string  `json:"class"`
	Reason              string  `json:"reason"`
	Attendance          string  `json:"attendance"`
	CertificationStatus *string `json:"certification_status"`
	Session             *string `json:"session"`
	Date                *string `json:"date"`
	PlannedSession      *int64  `json:"planned_session"`
	Status              string  `json:"status"` // certificability, as status says it
	Establishment       *string `json:"establishment"`
}

// RescheduleWhat is what `report --to-reschedule` lists.
const RescheduleWhat = "élèves à inscrire à une autre session de certification"

// Reschedule is the students to offer another session: absent from
// their session, or whose certification was rejected or cancelled, each
// with the reason.
// listed counts, after each writing, the students it listed.
func Reschedule(students Students, certs *Certifications, scope Scope, listed *int) output.Document {
	var record any = rescheduleRecord{}
	if scope.Several {
		record = rescheduleRecordOfSeveral{}
	}
	each := func(do func(s *store.StudentStatus, st store.CertificationState, a sessions.Attendance, reason string) error) error {
		*listed = 0
		return students(func(s *store.StudentStatus) error {
			st, a := certificationOf(certs, s)
			var status string
			if st.Result != nil {
				status = st.Result.Status
			}
			if _, ok := sessions.ToReschedule(a, status); !ok {
				return nil
			}
			*listed++
			return do(s, st, a, rescheduleReason(st, a))
		})
	}
	return output.Document{
		Title: scope.title(RescheduleWhat),
		Name:  "À réinscrire",
		Sheets: func(w output.SheetWriter) error {
			if err := w.Begin("", record); err != nil {
				return err
			}
			err := each(func(s *store.StudentStatus, _ store.CertificationState, _ sessions.Attendance, reason string) error {
				rec := rescheduleRecord{s.LastName, s.FirstName, s.Class, reason, s.Status.Label()}
				if scope.Several {
					return w.Record(rescheduleRecordOfSeveral{s.Establishment, rec})
				}
				return w.Record(rec)
			})
			if err != nil {
				return err
			}
			return w.End(countOf(*listed, [2]string{"élève à inscrire à une autre session", "élèves à inscrire à une autre session"}))
		},
		JSONList: func(add func(any) error) error {
			return each(func(s *store.StudentStatus, st store.CertificationState, a sessions.Attendance, reason string) error {
				j := rescheduleJSON{LastName: s.LastName, FirstName: s.FirstName, Class: s.Class, Reason: reason,
					Attendance: string(a), Status: string(s.Status), Establishment: nonEmpty(s.Establishment)}
				if r := st.Result; r != nil {
					j.CertificationStatus, j.Session, j.Date = &r.Status, nonEmpty(r.Session), nonEmpty(r.Date)
				}
				if p := st.Planned; p != nil {
					id := p.ID
					j.PlannedSession = &id
				}
				return add(j)
			})
		},
	}
}

// rescheduleReason says why, with the session or the jury's comment.
func rescheduleReason(st store.CertificationState, a sessions.Attendance) string {
	if a == sessions.Absent {
		return fmt.Sprintf("Absent à la session du %s (%s)", frdate.FrenchDateTime(st.Planned.Start), st.Planned.Room)
	}
	r := st.Result
	reason, _ := sessions.ToReschedule(a, r.Status)
	reason = upperFirst(reason)
	if r.Date != "" {
		reason += " le " + frdate.French(r.Date)
	}
	if r.Session != "" {
		reason += " (session " + r.Session + ")"
	}
	if r.Comment != "" {
		reason += " : " + r.Comment
	}
	return reason
}
