// Package printout writes what a school prints for a certification
// session (pix-formats.md §8): a convocation for each candidate, the
// attendance sheets (« feuilles d'émargement ») the supervisors have
// signed, and the CSV a centre that does not manage students imports into
// Pix Certif to create its sessions and candidates.
//
// The pages follow the printable dashboard's way (internal/output,
// html.go): one file that stands alone, its style inline and allowed by
// its hash in a Content-Security-Policy that forbids any script and any
// resource, black on white, a page of A4 when printed. Text from the
// store is escaped twice: visible.Escape shows what a terminal or the
// bidi algorithm would act on (a name holding U+202E must not turn the
// rest of a line right to left on a convocation), then html/template
// escapes it for where it stands.
package printout

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/visible"
)

// nbsp is the no-break space French puts before « : ; ? ! % », inside
// « » and in « 8 h 15 », so that a line never starts with the sign.
const nbsp = "\u00a0"

// frenchSpaces puts a no-break space where French typography wants one,
// in pixcert's own text: a template's source or a sentence, never data,
// whose spaces are the file's. Not « % »: a format string's « %s » is
// not a percent sign.
func frenchSpaces(s string) string { return frenchSpacer.Replace(s) }

var frenchSpacer = strings.NewReplacer(" :", nbsp+":", " ;", nbsp+";", " ?", nbsp+"?", " !", nbsp+"!",
	"« ", "«"+nbsp, " »", nbsp+"»")

// ErrNoStart means a session has no start time: nothing can be printed
// for it, as its date is what a convocation and a sheet are for.
var ErrNoStart = errors.New("session sans date ni heure de début")

// checkStarts refuses sessions without a start, naming the first one.
func checkStarts(list []sessions.Session) error {
	for i := range list {
		if list[i].Start.IsZero() {
			return fmt.Errorf("session %d (%s) : %w", i+1, visible.Quote(where(&list[i])), ErrNoStart)
		}
	}
	return nil
}

// where names a session's place: its room, then its site.
func where(s *sessions.Session) string {
	var parts []string
	for _, p := range []string{s.Room, s.Site} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

var (
	weekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	months   = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}
)

// longDate writes a day in full, as a letter does: « lundi 16 mars
// 2026 », « dimanche 1er mars 2026 », in Paris time.
func longDate(t time.Time) string {
	t = t.In(frdate.Paris())
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return weekdays[t.Weekday()] + " " + day + " " + months[t.Month()-1] + " " + fmt.Sprint(t.Year())
}

// clock writes a time of day the French way, in Paris time: « 8 h 15 »,
// « 14 h » on the hour, with no-break spaces.
func clock(t time.Time) string {
	t = t.In(frdate.Paris())
	if t.Minute() == 0 {
		return fmt.Sprintf("%d%sh", t.Hour(), nbsp)
	}
	return fmt.Sprintf("%d%sh%s%02d", t.Hour(), nbsp, nbsp, t.Minute())
}

// endFor is when a candidate finishes a test of duration begun at start.
func endFor(start time.Time, duration time.Duration, extraTime int) time.Time {
	return start.Add(sessions.LengthFor(duration, extraTime))
}

// fullName is a candidate as a school list writes them: « N'DIAYE Awa ».
func fullName(c *sessions.Candidate) string {
	return strings.TrimSpace(strings.ToUpper(c.LastName) + " " + c.FirstName)
}

// extraTime says a candidate's extra time, « 33 % », or "" for none.
func extraTime(c *sessions.Candidate) string {
	if c.ExtraTime <= 0 {
		return ""
	}
	return fmt.Sprintf("%d%s%%", c.ExtraTime, nbsp)
}

// supervisors are a session's supervisors, as one line.
func supervisors(s *sessions.Session) string {
	return strings.Join(s.Supervisors, ", ")
}

// head is what a printed document begins with.
type head struct {
	Title string
	CSP   string
	CSS   template.CSS
}

func newHead(title string) head {
	return head{Title: visible.Escape(title), CSP: printCSP, CSS: template.CSS(printCSS)}
}

// parse parses a template's source with French spaces put in its text.
func parse(name, src string) *template.Template {
	return template.Must(template.New(name).Parse(frenchSpaces(src)))
}
