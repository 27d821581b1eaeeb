package view

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/store"
)

// SessionsWhat is what `pixcert sessions` lists.
const SessionsWhat = "sessions de certification planifiées"

// sessionRecord is a session in `pixcert sessions`.
type sessionRecord struct {
	ID          string `csv:"N°"`
	Date        string `csv:"Date" xlsx:"date"`
	Start       string `csv:"Début"`
	End         string `csv:"Fin" table:"prio=3"`
	Site        string `csv:"Site" table:"prio=4"`
	Room        string `csv:"Salle" table:"wrap"`
	Seats       string `csv:"Places" table:"prio=2"`
	Candidates  string `csv:"Candidats"`
	Classes     string `csv:"Classes" table:"wrap"`
	Supervisors string `csv:"Surveillants" table:"wrap"`
	Observation string `csv:"Observations" table:"-"`
}

// sessionRecordOfSeveral is a sessionRecord of a list of several
// establishments.
type sessionRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	sessionRecord
}

// candidateRecord is a candidate of a session.
type candidateRecord struct {
	LastName   string `csv:"Nom de naissance" table:"wrap"`
	FirstName  string `csv:"Prénom" table:"wrap"`
	Birthdate  string `csv:"Date de naissance" xlsx:"date"`
	Class      string `csv:"Classe"`
	NationalID string `csv:"INE" table:"-"`
	ExtraTime  string `csv:"Temps majoré"`
}

// planRecord is a candidate with their session: the plan as one table.
type planRecord struct {
	Session string `csv:"N° session"`
	Date    string `csv:"Date" xlsx:"date"`
	Start   string `csv:"Début"`
	End     string `csv:"Fin"`
	Site    string `csv:"Site"`
	Room    string `csv:"Salle"`
	Superv  string `csv:"Surveillants"`
	candidateRecord
}

// sessionJSON is the JSON contract of `pixcert sessions --format json`.
type sessionJSON struct {
	ID           int64                  `json:"id"`
	Site         string                 `json:"site"`
	Room         string                 `json:"room"`
	Seats        int                    `json:"seats"`
	Start        string                 `json:"start"` // YYYY-MM-DDTHH:MM:SS±hh:mm, Europe/Paris
	End          string                 `json:"end"`   // the slowest candidate's end
	Duration     int                    `json:"duration_minutes"`
	Margin       int                    `json:"margin_minutes"`
	Supervisors  []string               `json:"supervisors"`
	Observations *string                `json:"observations"`
	Candidates   []sessionCandidateJSON `json:"candidates"`
	Establish    *string                `json:"establishment"`
}

type sessionCandidateJSON struct {
	LastName   string  `json:"last_name"`
	FirstName  string  `json:"first_name"`
	Birthdate  *string `json:"birthdate"`
	Class      string  `json:"class"`
	NationalID *string `json:"national_id"`
	ExtraTime  int     `json:"extra_time_percent"`
}

// extraTimeText is a candidate's extra time, « 33 % », "" for none.
func extraTimeText(c *sessions.Candidate) string {
	if c.ExtraTime <= 0 {
		return ""
	}
	return strconv.Itoa(c.ExtraTime) + " %"
}

func candidateRow(c *sessions.Candidate) candidateRecord {
	return candidateRecord{c.LastName, c.FirstName, frdate.French(c.Birthdate), c.Class, c.NationalID, extraTimeText(c)}
}

func clockOf(t time.Time) string { return t.In(frdate.Paris()).Format("15:04") }

func dayOf(t time.Time) string { return t.In(frdate.Paris()).Format("02/01/2006") }

// classesOf lists the classes of a session's candidates, in order.
func classesOf(se *store.StoredSession) string {
	var classes []string
	seen := map[string]bool{}
	for _, c := range se.Candidates {
		if k := fold.Key(c.Class); !seen[k] {
			seen[k] = true
			classes = append(classes, c.Class)
		}
	}
	return strings.Join(classes, ", ")
}

func sessionRow(se *store.StoredSession) sessionRecord {
	return sessionRecord{strconv.FormatInt(se.ID, 10), dayOf(se.Start), clockOf(se.Start), clockOf(se.End), se.Site, se.Room,
		strconv.Itoa(se.Seats), strconv.Itoa(len(se.Candidates)), classesOf(se), strings.Join(se.Supervisors, ", "), se.Observations}
}

// SessionHeading names a session over its candidates: « Session n° 2 —
// 16/03/2026 08:30–10:15, CDI ».
func SessionHeading(se *store.StoredSession) string {
	return fmt.Sprintf("Session n° %d — %s %s–%s, %s", se.ID, dayOf(se.Start), clockOf(se.Start), clockOf(se.End), se.Room)
}

// SessionsLine counts sessions, candidates and seats.
func SessionsLine(list []store.StoredSession) string {
	candidates, seats := 0, 0
	for _, se := range list {
		candidates += len(se.Candidates)
		seats += se.Seats
	}
	return fmt.Sprintf("%s, %s, %s", countOf(len(list), [2]string{"session", "sessions"}),
		countOf(candidates, [2]string{"candidat", "candidats"}), countOf(seats, [2]string{"place", "places"}))
}

// Sessions is the document of `pixcert sessions`: the sessions, then,
// with detail, each one's candidates. Its HTML page has a panel per
// session (seats taken and free) and a printed page of candidates each.
func Sessions(list []store.StoredSession, detail bool, scope Scope, now time.Time) output.Document {
	return output.Document{
		Title: scope.title(SessionsWhat),
		Name:  "Sessions",
		Sheets: func(w output.SheetWriter) error {
			var record any = sessionRecord{}
			if scope.Several {
				record = sessionRecordOfSeveral{}
			}
			if err := w.Begin("Sessions", record); err != nil {
				return err
			}
			for i := range list {
				record = sessionRow(&list[i])
				if scope.Several {
					record = sessionRecordOfSeveral{list[i].Establishment, sessionRow(&list[i])}
				}
				if err := w.Record(record); err != nil {
					return err
				}
			}
			if err := w.End(SessionsLine(list)); err != nil {
				return err
			}
			if !detail {
				return nil
			}
			for i := range list {
				se := &list[i]
				if err := w.Begin(SessionHeading(se), candidateRecord{}); err != nil {
					return err
				}
				for j := range se.Candidates {
					if err := w.Record(candidateRow(&se.Candidates[j])); err != nil {
						return err
					}
				}
				if err := w.End(countOf(len(se.Candidates), [2]string{"candidat", "candidats"}) + " sur " +
					countOf(se.Seats, [2]string{"place", "places"})); err != nil {
					return err
				}
			}
			return nil
		},
		JSONList: func(add func(any) error) error {
			for i := range list {
				if err := add(sessionJSONOf(&list[i])); err != nil {
					return err
				}
			}
			return nil
		},
		Page: sessionsPage(list, scope, now),
	}
}

// SessionCandidates is the plan as one table, a candidate a row with
// their session: what a CSV file of the plan holds.
func SessionCandidates(list []store.StoredSession, scope Scope) output.Document {
	return output.Document{
		Title: scope.title(SessionsWhat),
		Name:  "Candidats",
		Sheets: func(w output.SheetWriter) error {
			if err := w.Begin("", planRecord{}); err != nil {
				return err
			}
			for i := range list {
				se := &list[i]
				for j := range se.Candidates {
					rec := planRecord{strconv.FormatInt(se.ID, 10), dayOf(se.Start), clockOf(se.Start), clockOf(se.End), se.Site, se.Room,
						strings.Join(se.Supervisors, ", "), candidateRow(&se.Candidates[j])}
					if err := w.Record(rec); err != nil {
						return err
					}
				}
			}
			return w.End(SessionsLine(list))
		},
		JSONList: func(add func(any) error) error {
			for i := range list {
				if err := add(sessionJSONOf(&list[i])); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func sessionJSONOf(se *store.StoredSession) sessionJSON {
	j := sessionJSON{ID: se.ID, Site: se.Site, Room: se.Room, Seats: se.Seats, Start: se.Start.In(frdate.Paris()).Format(time.RFC3339),
		End: se.End.In(frdate.Paris()).Format(time.RFC3339), Duration: int(se.Duration / time.Minute), Margin: int(se.Margin / time.Minute),
		Supervisors: append([]string{}, se.Supervisors...), Observations: nonEmpty(se.Observations), Candidates: []sessionCandidateJSON{},
		Establish: nonEmpty(se.Establishment)}
	for _, c := range se.Candidates {
		j.Candidates = append(j.Candidates, sessionCandidateJSON{c.LastName, c.FirstName, nonEmpty(c.Birthdate), c.Class, nonEmpty(c.NationalID), c.ExtraTime})
	}
	return j
}

// sessionsPage is the plan as a page to print: a panel per session, then
// its candidates, a printed page each.
func sessionsPage(list []store.StoredSession, scope Scope, now time.Time) *output.Page {
	heading := scope.Establishment
	switch {
	case scope.Several:
		heading = "Tous établissements"
	case heading == "":
		heading = "Établissement sans nom"
	}
	day := now.In(frdate.Paris()).Format("02/01/2006")
	page := &output.Page{
		Heading:        heading,
		Subtitle:       upperFirst(SessionsWhat) + " — au " + day,
		Running:        heading + " — sessions de certification au " + day,
		Legend:         []string{"Candidats", "Places libres"},
		SummaryHeading: "Sessions",
		ListsHeading:   "Candidats par session",
		PagePerList:    true,
		Footer: "Établi par pixcert. Les candidats s'inscrivent dans Pix Certif classe par classe (pixcert sessions inscriptions). " +
			"Ce document contient des données personnelles d'élèves : à garder au sein de l'équipe éducative.",
	}
	for i := range list {
		se := &list[i]
		page.Summary = append(page.Summary, output.Panel{
			Heading: fmt.Sprintf("N° %d", se.ID),
			Detail:  fmt.Sprintf("%s %s, %s", dayOf(se.Start), clockOf(se.Start), se.Room),
			Parts:   []output.Part{{Label: "Candidats", Count: len(se.Candidates)}, {Label: "Places libres", Count: max(se.Seats-len(se.Candidates), 0)}},
			Figure:  fmt.Sprintf("%d / %d", len(se.Candidates), se.Seats),
		})
	}
	page.Lists = func(w output.ListWriter) error {
		for i := range list {
			se := &list[i]
			if err := w.Begin(SessionHeading(se), nil, candidateRecord{}); err != nil {
				return err
			}
			for j := range se.Candidates {
				if err := w.Record(candidateRow(&se.Candidates[j])); err != nil {
					return err
				}
			}
			footer := countOf(len(se.Candidates), [2]string{"candidat", "candidats"}) + " — surveillance : " + strings.Join(se.Supervisors, ", ")
			if err := w.End(footer); err != nil {
				return err
			}
		}
		return nil
	}
	return page
}

// InscriptionsWhat is what `pixcert sessions inscriptions` lists.
const InscriptionsWhat = "inscriptions dans Pix Certif, par classe"

// inscriptionRecord is a candidate as Pix Certif's enrolment screens ask
// for them: class by class.
type inscriptionRecord struct {
	Class     string `csv:"Classe" table:"prio=2"` // the sheet's name, on a screen
	LastName  string `csv:"Nom de naissance" table:"wrap"`
	FirstName string `csv:"Prénom" table:"wrap"`
	Birthdate string `csv:"Date de naissance" xlsx:"date"`
	Session   string `csv:"Session" table:"prio=1"` // pixcert's number: date, time and room say it in Pix Certif
	Date      string `csv:"Date" xlsx:"date"`
	Start     string `csv:"Heure"`
	Room      string `csv:"Salle" table:"wrap"`
	ExtraTime string `csv:"Temps majoré"`
}

// inscription is a candidate of a session.
type inscription struct {
	c  *sessions.Candidate
	se *store.StoredSession
}

// Inscriptions is the list a referent keeps next to Pix Certif's
// enrolment screens: collèges and lycées enrol candidates class by class
// (pix-formats.md §8), each into the session pixcert planned. A sheet per
// class.
func Inscriptions(list []store.StoredSession, scope Scope) output.Document {
	var all []inscription
	for i := range list {
		for j := range list[i].Candidates {
			all = append(all, inscription{&list[i].Candidates[j], &list[i]})
		}
	}
	// By class, then name: the order of Pix Certif's screens.
	sortInscriptions(all)
	return output.Document{
		Title: scope.title(InscriptionsWhat),
		Name:  "Inscriptions",
		Sheets: func(w output.SheetWriter) error {
			begun, class, n := false, "", 0
			for _, in := range all {
				if k := fold.SortKey(in.c.Class); !begun || k != class {
					if begun {
						if err := w.End(countOf(n, [2]string{"candidat", "candidats"})); err != nil {
							return err
						}
					}
					if err := w.Begin(in.c.Class, inscriptionRecord{}); err != nil {
						return err
					}
					begun, class, n = true, k, 0
				}
				n++
				se := in.se
				if err := w.Record(inscriptionRecord{in.c.Class, in.c.LastName, in.c.FirstName, frdate.French(in.c.Birthdate),
					fmt.Sprintf("n° %d", se.ID), dayOf(se.Start), clockOf(se.Start), se.Room, extraTimeText(in.c)}); err != nil {
					return err
				}
			}
			if !begun {
				if err := w.Begin("", inscriptionRecord{}); err != nil {
					return err
				}
			}
			return w.End(countOf(n, [2]string{"candidat", "candidats"}))
		},
		JSONList: func(add func(any) error) error {
			for _, in := range all {
				j := sessionCandidateJSON{in.c.LastName, in.c.FirstName, nonEmpty(in.c.Birthdate), in.c.Class, nonEmpty(in.c.NationalID), in.c.ExtraTime}
				if err := add(struct {
					sessionCandidateJSON
					Session int64  `json:"session"`
					Start   string `json:"start"`
					Room    string `json:"room"`
				}{j, in.se.ID, in.se.Start.In(frdate.Paris()).Format(time.RFC3339), in.se.Room}); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func sortInscriptions(all []inscription) {
	slices.SortStableFunc(all, func(a, b inscription) int {
		return cmp.Or(strings.Compare(fold.SortKey(a.c.Class), fold.SortKey(b.c.Class)),
			strings.Compare(fold.SortKey(a.c.LastName), fold.SortKey(b.c.LastName)),
			strings.Compare(fold.SortKey(a.c.FirstName), fold.SortKey(b.c.FirstName)))
	})
}

// PlanOutcome is what `pixcert sessions plan` made.
type PlanOutcome struct {
	Sessions []store.StoredSession // numbered once stored; 0 in a trial
	Left     []sessions.Left
	// NotCertifiable are students of the classes chosen left out as not
	// certifiable from their last profile sent: Pix Certif decides when
	// they are enrolled, and their live profile may have become so.
	NotCertifiable []store.StudentStatus
	DryRun         bool
}

// leftRecord is a student a plan could not place.
type leftRecord struct {
	LastName  string `csv:"Nom" table:"wrap"`
	FirstName string `csv:"Prénom" table:"wrap"`
	Class     string `csv:"Classe"`
	Reason    string `csv:"Motif" table:"wrap=24"`
}

// apartRecord is a student not planned for their status.
type apartRecord struct {
	LastName   string `csv:"Nom" table:"wrap"`
	FirstName  string `csv:"Prénom" table:"wrap"`
	Class      string `csv:"Classe"`
	Status     string `csv:"Certificabilité"`
	StatusDate string `csv:"Date de l'envoi"`
}

type planJSON struct {
	DryRun         bool          `json:"dry_run"`
	Sessions       []sessionJSON `json:"sessions"`
	Left           []leftJSON    `json:"left"`
	NotCertifiable []apartJSON   `json:"not_certifiable"`
}

type leftJSON struct {
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	Class     string `json:"class"`
	Reason    string `json:"reason"`
}

type apartJSON struct {
	LastName  string  `json:"last_name"`
	FirstName string  `json:"first_name"`
	Class     string  `json:"class"`
	Status    string  `json:"status"`
	Date      *string `json:"status_date"`
}

// Plan is the document of `pixcert sessions plan`: the sessions with
// their candidates, who could not be placed and why, and the students of
// the classes left apart as not certifiable.
func Plan(p PlanOutcome, scope Scope) output.Document {
	title := "plan des sessions de certification"
	if p.DryRun {
		title += " (essai, non enregistré)"
	}
	sessionsDoc := Sessions(p.Sessions, true, scope, time.Time{})
	js := planJSON{DryRun: p.DryRun, Sessions: []sessionJSON{}, Left: []leftJSON{}, NotCertifiable: []apartJSON{}}
	for i := range p.Sessions {
		js.Sessions = append(js.Sessions, sessionJSONOf(&p.Sessions[i]))
	}
	for _, l := range p.Left {
		js.Left = append(js.Left, leftJSON{l.LastName, l.FirstName, l.Class, l.Reason})
	}
	for _, s := range p.NotCertifiable {
		js.NotCertifiable = append(js.NotCertifiable, apartJSON{s.LastName, s.FirstName, s.Class, string(s.Status), nonEmpty(frdate.Day(s.StatusDate))})
	}
	return output.Document{
		Title: scope.title(title),
		Name:  "Plan",
		Sheets: func(w output.SheetWriter) error {
			if err := sessionsDoc.Sheets(w); err != nil {
				return err
			}
			if len(p.Left) > 0 {
				if err := w.Begin("Élèves non placés", leftRecord{}); err != nil {
					return err
				}
				for _, l := range p.Left {
					if err := w.Record(leftRecord{l.LastName, l.FirstName, l.Class, l.Reason}); err != nil {
						return err
					}
				}
				if err := w.End(countOf(len(p.Left), [2]string{"élève non placé", "élèves non placés"})); err != nil {
					return err
				}
			}
			if len(p.NotCertifiable) > 0 {
				if err := w.Begin("Non planifiés : non certifiables ou non communiqués d'après le dernier profil envoyé", apartRecord{}); err != nil {
					return err
				}
				for _, s := range p.NotCertifiable {
					if err := w.Record(apartRecord{s.LastName, s.FirstName, s.Class, s.Status.Label(), frdate.French(s.StatusDate)}); err != nil {
						return err
					}
				}
				footer := countOf(len(p.NotCertifiable), [2]string{"élève", "élèves"}) + " : Pix Certif vérifie la certificabilité à l'inscription " +
					"(leur profil a pu progresser) ; pour en présenter un : pixcert sessions move \"NOM Prénom\" N°"
				if err := w.End(footer); err != nil {
					return err
				}
			}
			return nil
		},
		JSON: js,
	}
}
