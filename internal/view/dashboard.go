package view

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// RatePoint is how a class stood at one collecte.
type RatePoint struct {
	Date        string // YYYY-MM-DD of the collecte
	Students    int
	Certifiable int
}

// DashboardClass is a class on the dashboard: how it stands, and how its
// share of certifiable students went at each collecte, oldest first
// (none: no chart).
type DashboardClass struct {
	store.ClassCount
	History []RatePoint
}

// DashboardData is what the dashboard shows.
type DashboardData struct {
	Scope Scope
	Date  time.Time // of the dashboard
	// ByClass gives each class a printed page: its bar, its chart and
	// its students to remind.
	ByClass bool
	// Classes come establishment by establishment, in natural order
	// (store.ClassCounts); every student counts, whatever the filters.
	Classes []DashboardClass
	// Students are read for the students to remind, class by class
	// (store.SortClass): certifiable ones are left out.
	Students Students
	// Statuses and Search are the choice of students to remind, said on
	// the page when it is not all of them: statuses from ToRemind, a
	// search as store.Filter takes it.
	Statuses []certif.Status
	Search   string
}

// remindable are the statuses of the students to remind.
var remindable = []certif.Status{certif.NotCertifiable, certif.NotCommunicated}

// ToRemind are the statuses of asked (all when empty) that the dashboard
// lists: those of students to remind. None when asked names only
// certifiable students.
func ToRemind(asked []certif.Status) []certif.Status {
	if len(asked) == 0 {
		return remindable
	}
	var out []certif.Status
	for _, s := range remindable {
		if slices.Contains(asked, s) {
			out = append(out, s)
		}
	}
	return out
}

// reminderRecord is a student to remind on the dashboard: what they are
// missing as the report says it.
type reminderRecord struct {
	LastName    string `csv:"Nom"`
	FirstName   string `csv:"Prénom"`
	Status      string `csv:"Certificabilité"`
	StatusDate  string `csv:"Date de l'envoi"`
	Competences string `csv:"Comp. certifiables"`
	Old         string `csv:"Envoyé avant la dernière collecte"`
	ToWork      string `csv:"À travailler" html:"wide"`
}

// Dashboard is the page a head teacher prints: how each class stands and
// went, then the students to remind, class by class, with what each
// should work on. Classes sit in memory (an académie's 35,000 are a few
// MB); students are read one at a time.
func Dashboard(data DashboardData) output.Document {
	day := data.Date.Format("02/01/2006")
	heading := data.Scope.Establishment
	switch {
	case data.Scope.Several:
		heading = "Tous établissements"
	case heading == "":
		heading = "Établissement sans nom"
	}
	page := &output.Page{
		Heading:  heading,
		Subtitle: upperFirst(StatusWhat) + " — bilan du " + day,
		Running:  heading + " — bilan du " + day,
		Notes: []string{
			"Le statut de chaque élève est celui du dernier profil qu'il a envoyé dans une collecte, à la date de cet envoi. " +
				"Pix Orga peut afficher un statut plus récent, recalculé chaque nuit pour les élèves qui se sont connectés : " +
				"une nouvelle collecte, ou un nouvel envoi de l'élève, met ce bilan à jour.",
		},
		Legend:         []string{certif.Certifiable.Label(), certif.NotCertifiable.Label(), certif.NotCommunicated.Label()},
		SummaryHeading: "Classes",
		ListsHeading:   "Élèves à relancer",
		PagePerList:    data.ByClass,
		Footer: "Établi par pixcert à partir de la liste des élèves et des exports « Collecte de profils » de Pix Orga. " +
			"Ce document contient des données personnelles d'élèves : à garder au sein de l'équipe éducative.",
	}
	if note := selectionNote(data.Statuses, data.Search); note != "" {
		page.Notes = append(page.Notes, note)
	}
	total := store.ClassCount{Class: "Total"}
	for _, c := range data.Classes {
		page.Summary = append(page.Summary, classPanel(c, data.Scope))
		addTo(&total, c.ClassCount)
	}
	if len(data.Classes) > 1 {
		panel := countsPanel(total, "Total")
		panel.Total = true
		page.Summary = append(page.Summary, panel)
	}
	page.Lists = func(w output.ListWriter) error { return writeReminders(w, data) }
	title := data.Scope.title("bilan du " + day + " (" + StatusWhat + ")")
	return output.Document{Title: title, Page: page}
}

// writeReminders writes the students to remind, a list per class. With a
// page per class, every class has its page, with its panel, even when no
// one in it is to remind.
func writeReminders(w output.ListWriter, data DashboardData) error {
	type classKey struct {
		establishment int64
		class         string
	}
	next := 0 // with a page per class, the first class not yet written
	// before tells whether class i comes before a student's class, in the
	// order of both lists (store.SortClass, store.ClassCounts).
	before := func(i int, s *store.StudentStatus) bool {
		c := data.Classes[i]
		return c.EstablishmentID < s.EstablishmentID ||
			c.EstablishmentID == s.EstablishmentID && fold.SortKey(c.Class) < fold.SortKey(s.Class)
	}
	listHeading := func(establishment, class string) string {
		if data.Scope.Several {
			return establishment + " — " + class
		}
		return class
	}
	nobody := "Aucun élève à relancer."
	if selectionNote(data.Statuses, data.Search) != "" {
		nobody = "Aucun élève à relancer parmi les élèves choisis."
	}
	emptyClass := func(c DashboardClass) error {
		panel := classPanel(c, data.Scope)
		if err := w.Begin(listHeading(c.Establishment, c.Class), &panel, reminderRecord{}); err != nil {
			return err
		}
		return w.End(nobody)
	}
	var counts Counts
	var current classKey
	begun := false
	err := data.Students(func(s *store.StudentStatus) error {
		if s.Status == certif.Certifiable {
			return nil
		}
		key := classKey{s.EstablishmentID, fold.Key(s.Class)}
		if !begun || key != current {
			if begun {
				if err := w.End(counts.Line()); err != nil {
					return err
				}
			}
			var panel *output.Panel
			if data.ByClass {
				// The classes before this one have no one to remind.
				for ; next < len(data.Classes) && before(next, s); next++ {
					if err := emptyClass(data.Classes[next]); err != nil {
						return err
					}
				}
				// A class missing from the classes (a roster imported
				// meanwhile) has its list, without a panel.
				if next < len(data.Classes) && data.Classes[next].EstablishmentID == key.establishment && fold.Key(data.Classes[next].Class) == key.class {
					p := classPanel(data.Classes[next], data.Scope)
					panel = &p
					next++
				}
			}
			if err := w.Begin(listHeading(s.Establishment, s.Class), panel, reminderRecord{}); err != nil {
				return err
			}
			current, begun, counts = key, true, Counts{}
		}
		counts.Add(s)
		rec, _ := reportRow(s)
		return w.Record(reminderRecord{
			LastName: rec.LastName, FirstName: rec.FirstName, Status: rec.Status, StatusDate: rec.StatusDate,
			Competences: rec.Competences, Old: rec.Old, ToWork: rec.ToWork,
		})
	})
	if err != nil {
		return err
	}
	if begun {
		if err := w.End(counts.Line()); err != nil {
			return err
		}
	}
	if data.ByClass {
		for ; next < len(data.Classes); next++ {
			if err := emptyClass(data.Classes[next]); err != nil {
				return err
			}
		}
		return nil
	}
	if !begun {
		if err := w.Begin("", nil, reminderRecord{}); err != nil {
			return err
		}
		return w.End(nobody)
	}
	return nil
}

// classPanel is how a class stands, and went when its history is known.
func classPanel(c DashboardClass, scope Scope) output.Panel {
	name := c.Class
	if scope.Several {
		name = c.Establishment + " — " + c.Class
	}
	panel := countsPanel(c.ClassCount, name)
	for _, h := range c.History {
		share := 0.0
		if h.Students > 0 {
			share = float64(h.Certifiable) / float64(h.Students)
		}
		panel.Series = append(panel.Series, output.Point{
			Label: frdate.French(h.Date), Share: share, Text: percentOf(share),
			Detail: fmt.Sprintf("%s sur %d", countOf(h.Certifiable, countNouns[certif.Certifiable]), h.Students),
		})
	}
	if len(panel.Series) > 0 {
		panel.SeriesTitle = "Part de certifiables à chaque collecte"
	}
	return panel
}

// countsPanel is a bar of the three statuses, and the share of
// certifiable students.
func countsPanel(c store.ClassCount, heading string) output.Panel {
	return output.Panel{
		Heading: heading,
		Detail:  countOf(c.Students, [2]string{"élève", "élèves"}),
		Parts: []output.Part{
			{Label: certif.Certifiable.Label(), Count: c.Certifiable},
			{Label: certif.NotCertifiable.Label(), Count: c.NotCertifiable},
			{Label: certif.NotCommunicated.Label(), Count: c.NotCommunicated},
		},
		Figure: percentOf(rate(c)) + " " + countNouns[certif.Certifiable][1],
	}
}

// percentOf writes a share as the classes view does, the sign kept with
// its number by a no-break space: "43 %".
func percentOf(share float64) string {
	return fmt.Sprintf("%d\u00a0%%", int(math.Round(share*100)))
}

// selectionNote says which students to remind the page lists when it is
// not all of them.
func selectionNote(statuses []certif.Status, search string) string {
	who := "les élèves"
	if len(statuses) > 0 && len(statuses) < len(remindable) {
		var nouns []string
		for _, s := range statuses {
			nouns = append(nouns, countNouns[s][1])
		}
		who += " " + strings.Join(nouns, " et ")
	}
	if search != "" {
		who += " dont le nom répond à la recherche « " + search + " »"
	}
	if who == "les élèves" {
		return ""
	}
	return "Seuls " + who + " sont listés ; les barres comptent toute la classe."
}
