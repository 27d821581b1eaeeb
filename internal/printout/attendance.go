package printout

import (
	"bufio"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/visible"
)

// RowsPerSheet is how many candidates an attendance sheet lists, as Pix's
// own sheet does (pix-formats.md §8).
const RowsPerSheet = 20

// AttendanceDoc is what the attendance sheets of a plan say.
type AttendanceDoc struct {
	// Establishment heads every sheet.
	Establishment string
	// Sessions are the plan's, a sheet or more each, in this order.
	Sessions []sessions.Session
	// Created is when the sheets were made, said at their foot; zero
	// leaves it unsaid.
	Created time.Time
}

// AttendanceSheets writes the « feuilles d'émargement » of doc's
// sessions, as Pix's: per session, pages of RowsPerSheet candidates, each
// under the session's heading and « page k/n », the last one closed by a
// box for the count of candidates present and the supervisors'
// signatures. A session begins a new page. The session number and access
// code are left blank: Pix Certif gives them once the session is created.
func AttendanceSheets(w io.Writer, doc AttendanceDoc) error {
	if err := checkStarts(doc.Sessions); err != nil {
		return err
	}
	out := bufio.NewWriter(w)
	title := "Feuilles d’émargement de la certification Pix"
	if doc.Establishment != "" {
		title += " — " + doc.Establishment
	}
	if err := attendanceTemplates.ExecuteTemplate(out, "head", newHead(title)); err != nil {
		return err
	}
	var created string
	if !doc.Created.IsZero() {
		created = "établie le " + longDate(doc.Created)
	}
	for i := range doc.Sessions {
		s := &doc.Sessions[i]
		page := attendancePage{
			Establishment: visible.Escape(doc.Establishment),
			Site:          visible.Escape(s.Site),
			Room:          visible.Escape(s.Room),
			Day:           longDate(s.Start),
			Hours:         hours(s),
			Supervisors:   visible.Escape(supervisors(s)),
			Count:         len(s.Candidates),
			Created:       created,
		}
		for _, name := range s.Supervisors {
			page.Signatures = append(page.Signatures, visible.Escape(name))
		}
		if len(page.Signatures) == 0 {
			page.Signatures = []string{""} // a box to sign all the same
		}
		// An empty session still has its sheet: it says so, and the
		// supervisors sign it.
		page.Pages = max(1, (len(s.Candidates)+RowsPerSheet-1)/RowsPerSheet)
		for page.Page = 1; page.Page <= page.Pages; page.Page++ {
			from := (page.Page - 1) * RowsPerSheet
			page.Rows = page.Rows[:0]
			for j := from; j < min(from+RowsPerSheet, len(s.Candidates)); j++ {
				page.Rows = append(page.Rows, newAttendanceRow(&s.Candidates[j]))
			}
			page.Last = page.Page == page.Pages
			if err := attendanceTemplates.ExecuteTemplate(out, "sheet", &page); err != nil {
				return err
			}
		}
	}
	if len(doc.Sessions) == 0 {
		out.WriteString(frenchSpaces("<p>Aucune session : il n’y a pas de feuille d’émargement à imprimer.</p>\n"))
	}
	if err := attendanceTemplates.ExecuteTemplate(out, "foot", nil); err != nil {
		return err
	}
	return out.Flush()
}

// hours says when a session runs: from its start to the end of its last
// candidate, when the plan says it.
func hours(s *sessions.Session) string {
	if s.End.After(s.Start) {
		return fmt.Sprintf("de %s à %s", clock(s.Start), clock(s.End))
	}
	return "à partir de " + clock(s.Start)
}

// attendancePage is a printed page of a session's sheet, every text
// escaped.
type attendancePage struct {
	Establishment, Site, Room, Day, Hours, Supervisors string
	Count                                              int // candidates of the session
	Page, Pages                                        int
	Rows                                               []attendanceRow
	Last                                               bool // the session's last page: the closing box
	Signatures                                         []string
	Created                                            string
}

type attendanceRow struct {
	LastName, FirstName, Birthdate, Class string
	ExtraTime                             string // « 33 % », "" for none
	// Long is a name that would take two lines of its column, then three
	// with the mark of extra time: written smaller, so that a row keeps
	// its height, and a page its 20 rows.
	Long bool
}

// longName is the length, in characters, past which a name is Long.
const longName = 24

func newAttendanceRow(c *sessions.Candidate) attendanceRow {
	return attendanceRow{
		LastName: visible.Escape(c.LastName), FirstName: visible.Escape(c.FirstName),
		Birthdate: frdate.French(c.Birthdate), Class: visible.Escape(c.Class), ExtraTime: extraTime(c),
		Long: utf8.RuneCountInString(c.LastName) > longName,
	}
}

var attendanceTemplates = parse("attendance", pageSource+`
{{- define "sheet" -}}
<section class="sheet attendance">
<header>
<div>
<p class="establishment">{{.Establishment}}</p>
<h1>Feuille d’émargement — certification Pix</h1>
</div>
<p class="page-number"><strong>page {{.Page}}/{{.Pages}}</strong>{{.Created}}</p>
<dl class="session">
<div><dt>Date</dt><dd>{{.Day}}</dd></div>
<div><dt>Horaire</dt><dd>{{.Hours}}</dd></div>
<div><dt>Candidats</dt><dd>{{.Count}}</dd></div>
<div><dt>Site</dt><dd>{{.Site}}</dd></div>
<div><dt>Salle</dt><dd>{{.Room}}</dd></div>
<div><dt>Surveillant(s)</dt><dd>{{.Supervisors}}</dd></div>
</dl>
<p class="codes"><span>Session n° <span class="blank"></span></span> <span>Code d’accès <span class="blank"></span></span></p>
</header>
<table>
<colgroup><col class="col-name"><col class="col-first"><col class="col-birth"><col class="col-class"><col class="col-signature"></colgroup>
<thead>
<tr><th scope="col">Nom de naissance</th><th scope="col">Prénom</th><th scope="col">Date de naissance</th><th scope="col">Classe</th><th scope="col">Signature</th></tr>
</thead>
<tbody>
{{- range .Rows}}
<tr><td{{if .Long}} class="long"{{end}}>{{.LastName}}{{if .ExtraTime}}<span class="extra">temps majoré {{.ExtraTime}}</span>{{end}}</td><td>{{.FirstName}}</td><td class="birth">{{.Birthdate}}</td><td>{{.Class}}</td><td></td></tr>
{{- else}}
<tr class="none"><td colspan="5">Aucun candidat inscrit à cette session.</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Last}}
<div class="closing">
<p>Nombre de candidats présents : <span class="blank short"></span> sur {{.Count}}</p>
<p>Signature des surveillants :</p>
<div class="signatures">
{{- range .Signatures}}
<div>{{.}}</div>
{{- end}}
</div>
</div>
{{- end}}
</section>
{{end}}
`)
