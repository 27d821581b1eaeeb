package view

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/ with what the views write")

var dashboardDate = time.Date(2026, 3, 16, 17, 5, 0, 0, time.Local)

// school is a collège of three classes: 3E1 with every status and three
// collectes, 3E2 with one, 3E3 all certifiable, nobody to remind.
func school() ([]DashboardClass, []store.StudentStatus) {
	classes := []DashboardClass{
		{ClassCount: store.ClassCount{EstablishmentID: 1, Establishment: "Collège Jean Moulin", Class: "3E1", Students: 4, Certifiable: 1, NotCertifiable: 1, NotCommunicated: 2},
			History: []RatePoint{{"2025-11-18", 4, 0}, {"2026-01-20", 4, 1}, {"2026-03-02", 4, 1}}},
		{ClassCount: store.ClassCount{EstablishmentID: 1, Establishment: "Collège Jean Moulin", Class: "3E2", Students: 3, Certifiable: 1, NotCertifiable: 2},
			History: []RatePoint{{"2026-03-02", 3, 1}}},
		{ClassCount: store.ClassCount{EstablishmentID: 1, Establishment: "Collège Jean Moulin", Class: "3E3", Students: 2, Certifiable: 2}},
	}
	students := []store.StudentStatus{
		student("DUBOIS", "3E1", certif.NotCommunicated, nil),
		student("LEFÈVRE", "3E1", certif.NotCertifiable, map[int]int{0: 8, 1: 8, 2: 8, 3: 8, 4: 7}),
		student("MARTIN", "3e1", certif.NotCertifiable, map[int]int{0: 8, 15: 7}),
		student("N'DIAYE", "3E1", certif.Certifiable, map[int]int{0: 8, 1: 8, 2: 8, 3: 8, 4: 8}),
		student("SAINT-MARTIN", "3E1", certif.NotCommunicated, nil),
		student("ROUSSEAU", "3E2", certif.NotCertifiable, map[int]int{0: 8, 1: 8, 2: 8}),
	}
	students[4].PendingCampaign = "Collecte de profils 3e"
	// Sent in January, before the collecte of March: to send again.
	students[2].StatusDate, students[2].LatestCollection = "2026-01-20 10:00", "Collecte de mars"
	for i := range students {
		students[i].EstablishmentID, students[i].Establishment = 1, "Collège Jean Moulin"
	}
	return classes, students
}

func writeDashboard(t *testing.T, data DashboardData) string {
	t.Helper()
	w, err := output.New("html", []string{"html"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, Dashboard(data)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// golden compares got with testdata/name, or rewrites it with -update.
// Open the file in a browser, and print it, before committing a change.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./internal/view -run Dashboard -update", err)
	}
	if got != string(want) {
		gotLines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gotLines), len(wantLines)) {
			if gotLines[i] != wantLines[i] {
				t.Fatalf("%s differs from line %d:\n got %s\nwant %s\n(go test ./internal/view -run Dashboard -update rewrites it: check the page in a browser)", path, i+1, gotLines[i], wantLines[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", path, len(gotLines), len(wantLines))
	}
}

func TestDashboardGolden(t *testing.T) {
	classes, students := school()
	jeanMoulin := Scope{Establishment: "Collège Jean Moulin"}
	// A second collège has its own 3E1: two classes. Only the students
	// not communicated whose name holds "martin" are listed, as the store
	// reads them.
	several := append([]DashboardClass{}, classes...)
	several = append(several, DashboardClass{ClassCount: store.ClassCount{EstablishmentID: 2, Establishment: "Collège Victor Hugo", Class: "3E1", Students: 1, NotCommunicated: 1}})
	for _, tt := range []struct {
		file string
		data DashboardData
	}{
		{"dashboard.html", DashboardData{Scope: jeanMoulin, Date: dashboardDate, Classes: classes, Students: List(students)}},
		{"dashboard-by-class.html", DashboardData{Scope: jeanMoulin, Date: dashboardDate, ByClass: true, Classes: classes, Students: List(students)}},
		{"dashboard-several.html", DashboardData{Scope: Scope{Several: true}, Date: dashboardDate, ByClass: true, Classes: several,
			Students: List(students[4:5]), Statuses: []certif.Status{certif.NotCommunicated}, Search: "martin"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			golden(t, tt.file, writeDashboard(t, tt.data))
		})
	}
}

// lists collects a page's lists.
type lists struct {
	headings []string
	panels   []*output.Panel
	records  [][]reminderRecord
	footers  []string
}

func (l *lists) Begin(heading string, panel *output.Panel, record any) error {
	l.headings, l.panels, l.records = append(l.headings, heading), append(l.panels, panel), append(l.records, nil)
	return nil
}

func (l *lists) Record(record any) error {
	l.records[len(l.records)-1] = append(l.records[len(l.records)-1], record.(reminderRecord))
	return nil
}

func (l *lists) End(footer string) error {
	l.footers = append(l.footers, footer)
	return nil
}

func listsOf(t *testing.T, data DashboardData) *lists {
	t.Helper()
	var l lists
	if err := Dashboard(data).Page.Lists(&l); err != nil {
		t.Fatal(err)
	}
	return &l
}

// What each student should work on is what the report says, word for
// word; certifiable students are not listed.
func TestDashboardSaysWhatTheReportSays(t *testing.T) {
	classes, students := school()
	l := listsOf(t, DashboardData{Date: dashboardDate, Classes: classes, Students: List(students)})
	var listed []reminderRecord
	for _, r := range l.records {
		listed = append(listed, r...)
	}
	var want []reminderRecord
	for i := range students {
		if students[i].Status == certif.Certifiable {
			continue
		}
		rec, _ := reportRow(&students[i])
		want = append(want, reminderRecord{rec.LastName, rec.FirstName, rec.Status, rec.StatusDate, rec.Competences, rec.Old, rec.ToWork})
	}
	if !reflect.DeepEqual(listed, want) {
		t.Errorf("listed\n%+v\nwant\n%+v", listed, want)
	}
	if got := listed[2]; got.Old != "oui" || !strings.HasPrefix(got.ToWork, "Envoyer à nouveau son profil dans la collecte « Collecte de mars » ; ") {
		t.Errorf("a profile sent before the latest collecte: %+v", got)
	}
	// "3E1" and "3e1" are one class, as in the store; without a page per
	// class, lists have no panel, and a class with no one to remind none.
	if !reflect.DeepEqual(l.headings, []string{"3E1", "3E2"}) || l.panels[0] != nil {
		t.Errorf("lists %q, panels %v", l.headings, l.panels)
	}
	if l.footers[0] != "4 élèves : 2 non certifiables, 2 non communiqués ; 1 profil envoyé avant la dernière collecte de sa classe (à renvoyer)" {
		t.Errorf("footer %q", l.footers[0])
	}
}

// With a page per class, every class has its page and its panel, in the
// order of the classes, those with no one to remind too; a student whose
// class is not among them (a roster imported meanwhile) still has a list.
func TestDashboardGivesEveryClassItsPage(t *testing.T) {
	classes, students := school()
	stray := student("NOUVEAU", "3E4", certif.NotCommunicated, nil)
	stray.EstablishmentID = 1
	students = append(students, stray)
	l := listsOf(t, DashboardData{Date: dashboardDate, ByClass: true, Classes: classes[1:], Students: List(students)})
	if !reflect.DeepEqual(l.headings, []string{"3E1", "3E2", "3E3", "3E4"}) {
		t.Fatalf("lists %q", l.headings)
	}
	for i, heading := range []string{"", "3E2", "3E3", ""} {
		if got := l.panels[i]; (got == nil) != (heading == "") || got != nil && got.Heading != heading {
			t.Errorf("list %s: panel %+v", l.headings[i], got)
		}
	}
	if l.records[2] != nil || l.footers[2] != "Aucun élève à relancer." {
		t.Errorf("3E3: %v, %q", l.records[2], l.footers[2])
	}
	if none := listsOf(t, DashboardData{Date: dashboardDate, Students: List(nil)}); !reflect.DeepEqual(none.footers, []string{"Aucun élève à relancer."}) {
		t.Errorf("nobody to remind: %+v", none)
	}
}

func TestDashboardPanels(t *testing.T) {
	classes, _ := school()
	page := Dashboard(DashboardData{Scope: Scope{Establishment: "Collège Jean Moulin"}, Date: dashboardDate, Classes: classes, Students: List(nil)}).Page
	if len(page.Summary) != 4 || !page.Summary[3].Total || page.Summary[3].Detail != "9 élèves" || page.Summary[3].Figure != "44\u00a0% certifiables" {
		t.Fatalf("summary %+v", page.Summary)
	}
	e1 := page.Summary[0]
	if !reflect.DeepEqual(e1.Parts, []output.Part{{Label: "Certifiable", Count: 1}, {Label: "Non Certifiable", Count: 1}, {Label: "Non communiqué", Count: 2}}) || e1.Figure != "25\u00a0% certifiables" {
		t.Errorf("3E1: %+v", e1)
	}
	if want := (output.Point{Label: "20/01/2026", Share: 0.25, Text: "25\u00a0%", Detail: "1 certifiable sur 4"}); e1.Series[1] != want {
		t.Errorf("3E1 in January: %+v, want %+v", e1.Series[1], want)
	}
	if page.Summary[2].Series != nil {
		t.Errorf("3E3 has no history, and a series %+v", page.Summary[2].Series)
	}
	if page.Heading != "Collège Jean Moulin" || page.Subtitle != "Certificabilité d'après le dernier profil envoyé — bilan du 16/03/2026" {
		t.Errorf("heading %q, subtitle %q", page.Heading, page.Subtitle)
	}
}

func TestToRemind(t *testing.T) {
	c, nc, nk := certif.Certifiable, certif.NotCertifiable, certif.NotCommunicated
	for _, tt := range []struct{ asked, want []certif.Status }{
		{nil, []certif.Status{nc, nk}},
		{[]certif.Status{nk}, []certif.Status{nk}},
		{[]certif.Status{c, nc}, []certif.Status{nc}},
		{[]certif.Status{c}, nil},
	} {
		if got := ToRemind(tt.asked); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ToRemind(%v) = %v, want %v", tt.asked, got, tt.want)
		}
	}
}

// Names come from files: on the page they are text, what a browser, a
// terminal or the bidi algorithm would act on shown escaped.
func TestDashboardShowsHostileNamesEscaped(t *testing.T) {
	hostile := student(`<script>alert(1)</script>`, `3E1"onmouseover=alert(1)`, certif.NotCommunicated, nil)
	hostile.FirstName, hostile.Establishment = "\x1b[2JLéa\u202eeloc", "Collège </title><script>"
	hostile.PendingCampaign = "Collecte <img src=x onerror=alert(1)>"
	class := DashboardClass{ClassCount: store.ClassCount{Establishment: hostile.Establishment, Class: hostile.Class, Students: 1, NotCommunicated: 1}}
	for _, byClass := range []bool{false, true} {
		out := writeDashboard(t, DashboardData{Scope: Scope{Establishment: hostile.Establishment}, Date: dashboardDate, ByClass: byClass,
			Classes: []DashboardClass{class}, Students: List([]store.StudentStatus{hostile})})
		for _, raw := range []string{"<script", "<img", `"onmouseover`, "\x1b", "\u202e"} {
			if strings.Contains(out, raw) {
				t.Errorf("by class %v: %q on the page", byClass, raw)
			}
		}
		for _, want := range []string{
			"<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>", "<td>\\x1b[2JLéa\\u202eeloc</td>",
			"<h1>Collège &lt;/title&gt;&lt;script&gt;</h1>", "3E1&#34;onmouseover=alert(1)",
			"Envoyer son profil (participation commencée dans la campagne « Collecte &lt;img src=x onerror=alert(1)&gt; »)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("by class %v: the page lacks %s", byClass, want)
			}
		}
	}
}
