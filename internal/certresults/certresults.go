// Package certresults reads Pix Orga's export of certification results
// (tab « Certifications », one class at a time; pix-formats.md §7): who
// sat the certification, with what status and score, in which session.
// It is the loop a school closes after the session: who passed, who must
// come back.
package certresults

import (
	"errors"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/tabfile"
	"github.com/pixcert/pixcert/internal/visible"
)

// Columns, as Pix writes them; found by name, never by position.
const (
	colNumber     = "Numéro de certification"
	colFirstName  = "Prénom"
	colLastName   = "Nom"
	colBirthdate  = "Date de naissance"
	colBirthPlace = "Lieu de naissance"
	colExternalID = "Identifiant Externe"
	colStatus     = "Statut"
	colPix        = "Nombre de Pix"
	colComment    = "Commentaire jury pour l’organisation"
	colSession    = "Session"
	colDate       = "Date de passage de la certification"
	colCenter     = "Centre de certification"
	colType       = "Type de certification"
	colOutcome    = "Résultat"
)

// None is a score or level the file gives as « - »: none (a rejected or
// cancelled certification, a competence not certified).
const None = -1

// Result is one certification of a candidate.
type Result struct {
	Line       int    // in the file, for messages
	Number     string // « Numéro de certification »
	LastName   string
	FirstName  string
	Birthdate  string // YYYY-MM-DD, "" when the file gives none
	BirthPlace string
	ExternalID string // the INE for SCO students, when the school gave it to Pix
	// Status is as Pix writes it: Validée, Rejetée, Annulée, En erreur,
	// Démarrée, or another that Pix may add: kept as written.
	Status string
	Pix    int // certified pix score; None
	// Levels are the certified level of each competence, in Pix's order
	// (1.1 to 5.2); None where there is none.
	Levels  [certif.CompetenceCount]int
	Comment string // the jury's comment for the organization
	Session string // the session's number
	Date    string // YYYY-MM-DD of the certification
	// Center, Type and Outcome are in session exports of Pix Certif and
	// newer exports; "" when the file has no such column.
	Center, Type, Outcome string
}

// Reader reads the rows of a certification results export.
type Reader struct {
	f *tabfile.File

	number, firstName, lastName, birthdate, birthPlace, externalID int
	status, pix, comment, session, date, center, kind, outcome     int
	level                                                          [certif.CompetenceCount]int
	// today is the day of the import, in Paris: a certification is passed
	// by then, and a two-digit year is read around it.
	today string
	pivot int
}

// Detect tells whether the file is a certification results export: it has
// the certification number, status and date columns. now is the time of
// the import.
func Detect(f *tabfile.File, now time.Time) (*Reader, bool) {
	if f.Column(colNumber) < 0 || f.Column(colStatus) < 0 || f.Column(colDate) < 0 {
		return nil, false
	}
	r := &Reader{
		f: f, number: f.Column(colNumber), firstName: f.Column(colFirstName), lastName: f.Column(colLastName),
		birthdate: f.Column(colBirthdate), birthPlace: f.Column(colBirthPlace), externalID: f.Column(colExternalID),
		status: f.Column(colStatus), pix: f.Column(colPix), comment: f.Column(colComment, "Commentaire jury pour l'organisation"),
		session: f.Column(colSession), date: f.Column(colDate), center: f.Column(colCenter), kind: f.Column(colType),
		outcome: f.Column(colOutcome), today: now.In(frdate.Paris()).Format("2006-01-02"), pivot: frdate.Pivot(now),
	}
	for i, c := range certif.Competences {
		r.level[i] = f.Column(c.Code)
	}
	return r, true
}

// Read checks the header, then every row, giving each good result to each
// and every problem to errs.
func (r *Reader) Read(errs *fileerr.Collector, each func(Result) error) error {
	ok := true
	for _, c := range []struct {
		index int
		name  string
	}{{r.number, colNumber}, {r.lastName, colLastName}, {r.firstName, colFirstName}, {r.birthdate, colBirthdate},
		{r.status, colStatus}, {r.pix, colPix}, {r.session, colSession}, {r.date, colDate}} {
		if c.index < 0 {
			errs.Add(r.f.MissingColumn(c.name))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return r.f.EachRow(errs, func(row tabfile.Row) error {
		if res, ok := r.result(row, errs); ok {
			return each(res)
		}
		return nil
	})
}

func (r *Reader) result(row tabfile.Row, errs *fileerr.Collector) (Result, bool) {
	cell := func(i int) string {
		if i >= 0 {
			return strings.TrimSpace(row.Cells[i])
		}
		return ""
	}
	res := Result{
		Line: row.Line, Number: cell(r.number), LastName: cell(r.lastName), FirstName: cell(r.firstName),
		BirthPlace: cell(r.birthPlace), ExternalID: strings.ToUpper(cell(r.externalID)), Status: cell(r.status),
		Comment: cell(r.comment), Session: cell(r.session), Center: cell(r.center), Type: cell(r.kind), Outcome: cell(r.outcome),
	}
	ok := true
	fail := func(col int, format string, args ...any) {
		errs.Add(r.f.Errorf(row.Line, col, format, args...))
		ok = false
	}
	for _, l := range []struct {
		col, max int
		what     string
	}{
		{r.lastName, limits.MaxNameChars, "un nom"}, {r.firstName, limits.MaxNameChars, "des prénoms"},
		{r.number, limits.MaxIDChars, "un numéro de certification"}, {r.externalID, limits.MaxLabelChars, "un identifiant externe"},
		{r.status, limits.MaxLabelChars, "un statut"}, {r.session, limits.MaxIDChars, "un numéro de session"},
		{r.birthPlace, limits.MaxLabelChars, "un lieu de naissance"}, {r.center, limits.MaxLabelChars, "un centre de certification"},
	} {
		if l.col >= 0 {
			if n, long := limits.TooLong(row.Cells[l.col], l.max); long {
				fail(l.col, "%s", limits.TooLongMessage(row.Cells[l.col], n, l.max, l.what))
			}
		}
	}
	if res.LastName == "" {
		fail(r.lastName, "le nom du candidat est vide.")
	}
	if res.FirstName == "" {
		fail(r.firstName, "le prénom du candidat est vide.")
	}
	if res.Status == "" {
		fail(r.status, "le statut de la certification est vide (Validée, Rejetée, Annulée… attendu).")
	}
	date := func(col int, what string, required bool) string {
		raw := cell(col)
		if raw == "" && !required {
			return ""
		}
		d, err := frdate.ParseDate(raw, r.pivot)
		switch {
		case errors.Is(err, frdate.ErrImpossible):
			fail(col, "la date « %s » n'existe pas (format attendu jj/mm/aaaa).", visible.Quote(raw))
		case err != nil:
			fail(col, "« %s » n'est pas %s (format attendu jj/mm/aaaa).", visible.Quote(raw), what)
		case d > r.today:
			// Pix exports what happened: a later day is an edited cell,
			// which would mark every student planned before it absent.
			fail(col, "le %s est après aujourd'hui (%s) : vérifiez l'année.", frdate.French(d), frdate.French(r.today))
			return ""
		}
		return d
	}
	res.Birthdate = date(r.birthdate, "une date de naissance", false)
	res.Date = date(r.date, "une date de passage", true)
	// A score or level is a number, or « - » for none.
	number := func(col, max int, what string) int {
		raw := cell(col)
		if raw == "-" || raw == "" {
			return None
		}
		n := 0
		for _, c := range []byte(raw) {
			if c < '0' || c > '9' || n > max {
				fail(col, "« %s » n'est pas %s (un nombre entier, ou « - »).", visible.Quote(raw), what)
				return None
			}
			n = n*10 + int(c-'0')
		}
		if n > max {
			fail(col, "« %s » est impossible pour %s (au plus %d).", visible.Quote(raw), what, max)
			return None
		}
		return n
	}
	// Pix certifies up to 1,024 pix, 8 levels: far below these bounds, past
	// which a cell was edited.
	res.Pix = number(r.pix, 9999, "un nombre de pix")
	for i := range certif.Competences {
		res.Levels[i] = None
		if r.level[i] >= 0 {
			res.Levels[i] = number(r.level[i], 99, "un niveau")
		}
	}
	return res, ok
}
