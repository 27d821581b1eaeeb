package printout

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/visible"
)

// ConvocationDoc is what the convocations of a plan say.
type ConvocationDoc struct {
	// Establishment heads every convocation: « Collège Jean Moulin ».
	Establishment string
	// Sessions are the plan's, in the order to print: a convocation per
	// candidate, session after session.
	Sessions []sessions.Session
	// Bring is what a candidate brings, a line each; DefaultBring() when
	// nil, nothing said when empty.
	Bring []string
	// Reminder is what a candidate does before the day; DefaultReminder
	// when "".
	Reminder string
	// Created is when the convocations were made, said at their foot;
	// zero leaves it unsaid.
	Created time.Time
}

// DefaultBring is what a candidate brings to a Pix certification: Pix
// checks who sits the test, the test has sound (videos, audio), and some
// questions are worked out on paper.
func DefaultBring() []string {
	return []string{
		"une pièce d’identité ou le carnet de correspondance",
		"vos identifiants Pix (adresse e-mail ou identifiant, et mot de passe)",
		"un casque ou des écouteurs",
		"de quoi écrire (un brouillon est fourni)",
	}
}

// DefaultReminder is what saves a session the most time: a candidate who
// cannot log in on the day waits for a reset while the others work.
const DefaultReminder = "Avant le jour de l’épreuve, connectez-vous à app.pix.fr avec votre compte habituel " +
	"pour vérifier que votre mot de passe fonctionne. S’il ne fonctionne pas, faites-le réinitialiser " +
	"avec votre professeur avant l’épreuve. Le jour venu, le surveillant vous donnera le code d’accès " +
	"à la session et les informations à saisir pour vous y inscrire."

// Convocations writes a convocation for each candidate of doc's sessions,
// one per printed page, in session order then candidate order: what a
// school gives each student (and their family) a few days before.
func Convocations(w io.Writer, doc ConvocationDoc) error {
	if err := checkStarts(doc.Sessions); err != nil {
		return err
	}
	bring := doc.Bring
	if bring == nil {
		bring = DefaultBring()
	}
	reminder := doc.Reminder
	if reminder == "" {
		reminder = DefaultReminder
	}
	base := convocation{
		Establishment: visible.Escape(doc.Establishment),
		Bring:         escapeAll(bring),
		Reminder:      visible.Escape(reminder),
	}
	if !doc.Created.IsZero() {
		base.Created = longDate(doc.Created)
	}

	out := bufio.NewWriter(w)
	title := "Convocations à la certification Pix"
	if doc.Establishment != "" {
		title += " — " + doc.Establishment
	}
	if err := convocationTemplates.ExecuteTemplate(out, "head", newHead(title)); err != nil {
		return err
	}
	count := 0
	for i := range doc.Sessions {
		s := &doc.Sessions[i]
		page := base
		page.Day = longDate(s.Start)
		margin, duration := cmp(s.Margin, sessions.DefaultMargin), cmp(s.Duration, sessions.DefaultDuration)
		page.Arrival = clock(s.Start.Add(-margin))
		page.Site, page.Room = visible.Escape(s.Site), visible.Escape(s.Room)
		for j := range s.Candidates {
			c := &s.Candidates[j]
			page.Name, page.Class = visible.Escape(fullName(c)), visible.Escape(c.Class)
			page.Test = testTimes(s.Start, duration, c.ExtraTime)
			if err := convocationTemplates.ExecuteTemplate(out, "convocation", page); err != nil {
				return err
			}
			count++
		}
	}
	if count == 0 {
		out.WriteString(frenchSpaces("<p>Aucun candidat : il n’y a pas de convocation à imprimer.</p>\n"))
	}
	if err := convocationTemplates.ExecuteTemplate(out, "foot", nil); err != nil {
		return err
	}
	return out.Flush()
}

// testTimes says when a candidate's test begins and ends: « Début de
// l’épreuve à 8 h 30, fin prévue à 10 h 15 ».
func testTimes(start time.Time, duration time.Duration, extra int) string {
	if extra > 0 {
		return fmt.Sprintf("Début de l’épreuve à %s"+nbsp+"; temps majoré de %d"+nbsp+"%%"+nbsp+": fin prévue à %s.",
			clock(start), extra, clock(endFor(start, duration, extra)))
	}
	return fmt.Sprintf("Début de l’épreuve à %s, fin prévue à %s.", clock(start), clock(endFor(start, duration, 0)))
}

// convocation is a convocation as the page writes it, every text escaped.
type convocation struct {
	Establishment, Name, Class string
	Day, Arrival, Test         string
	Site, Room                 string
	Bring                      []string
	Reminder, Created          string
}

// cmp is d, or otherwise when d is zero.
func cmp(d, otherwise time.Duration) time.Duration {
	if d == 0 {
		return otherwise
	}
	return d
}

func escapeAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = visible.Escape(s)
	}
	return out
}

var convocationTemplates = parse("convocations", pageSource+`
{{- define "convocation" -}}
<section class="sheet convocation">
<header>
<p class="establishment">{{.Establishment}}</p>
<h1>Convocation à la certification Pix</h1>
</header>
<p class="candidate"><strong>{{.Name}}</strong></p>
{{- if .Class}}
<p class="class">Classe : {{.Class}}</p>
{{- end}}
<div class="when">
<p class="day">Le {{.Day}}</p>
<p class="arrival">Présentez-vous à {{.Arrival}}</p>
<p>{{.Test}}</p>
</div>
<dl class="place">
{{- if .Site}}
<dt>Lieu</dt><dd>{{.Site}}</dd>
{{- end}}
<dt>Salle</dt><dd>{{.Room}}</dd>
</dl>
{{- if .Bring}}
<h2>À apporter</h2>
<ul class="bring">
{{- range .Bring}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
<h2>Avant le jour de l’épreuve</h2>
<p>{{.Reminder}}</p>
<div class="family">
<p>Vu et pris connaissance, le <span class="blank short"></span></p>
<p>Signature d’un responsable légal :</p>
</div>
{{- if .Created}}
<footer>Convocation établie le {{.Created}}.</footer>
{{- end}}
</section>
{{end}}
`)
