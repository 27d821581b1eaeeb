package printout

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/sessions"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/ with what the writers write")

// plan is two sessions: the first of 23 candidates (two attendance pages),
// among them one with extra time, a name that is markup, one holding a
// bidi override and one with an apostrophe; the second of 3, one of them
// without a birth date and one whose name a spreadsheet would run.
func plan() []sessions.Session {
	paris := frdate.Paris()
	names := [][2]string{
		{"BERNARD", "Léa"}, {"DUBOIS", "Hugo"}, {"DURAND", "Chloé"}, {"FONTAINE", "Nathan"},
		{"GARNIER", "Inès"}, {"GIRARD", "Lucas"}, {"LEFEBVRE", "Jade"}, {"LEROY", "Louis"},
		{"MARTIN", "Emma"}, {"MERCIER", "Gabriel"}, {"MOREAU", "Manon"}, {"N'DIAYE", "Awa"},
		{"PETIT", "Raphaël"}, {"RICHARD", "Lina"}, {"ROBERT", "Arthur"}, {"ROUSSEAU", "Zoé"},
		{"SIMON", "Jules"}, {"THOMAS", "Camille"}, {"VINCENT", "Adam"}, {"<script>alert(1)</script>", "Eve"},
		{"BLANC", "Sami\u202eLIAM"}, {"CHEVALIER", "Louise"}, {"DE LA TOUR", "Marius"},
	}
	first := sessions.Session{
		Slot: sessions.Slot{Site: "Collège Jean Moulin", Room: "Salle 101", Seats: 24,
			Start: time.Date(2026, 3, 16, 8, 30, 0, 0, paris), Observations: "Salle informatique du 1er étage"},
		Supervisors: []string{"M. Martin", "Mme Durand"},
		End:         time.Date(2026, 3, 16, 10, 50, 0, 0, paris),
	}
	for i, n := range names {
		c := sessions.Candidate{StudentID: int64(i + 1), LastName: n[0], FirstName: n[1],
			Birthdate: time.Date(2011, time.Month(1+i%12), 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02"),
			Class:     "3E" + string(rune('1'+i/12)), NationalID: "0123456789" + string(rune('A'+i))}
		if n[0] == "N'DIAYE" {
			c.ExtraTime = 33
		}
		first.Candidates = append(first.Candidates, c)
	}
	second := sessions.Session{
		Slot: sessions.Slot{Site: "Collège Jean Moulin", Room: "CDI", Seats: 12,
			Start: time.Date(2026, 3, 17, 14, 0, 0, 0, paris)},
		Supervisors: []string{"Mme Nguyen"},
		End:         time.Date(2026, 3, 17, 15, 45, 0, 0, paris),
		Candidates: []sessions.Candidate{
			{StudentID: 30, LastName: "=HYPERLINK(\"http://x\")", FirstName: "Paul", Birthdate: "2011-06-01", Class: "3E3"},
			{StudentID: 31, LastName: "ZOLA", FirstName: "Émile", Class: "3E3", NationalID: "9876543210Z"},
			{StudentID: 32, LastName: "@LAMBERT", FirstName: "+Chloé", Birthdate: "2010-12-31", Class: "3E3"},
		},
	}
	return []sessions.Session{first, second}
}

var created = time.Date(2026, 3, 2, 17, 0, 0, 0, frdate.Paris())

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what is written now (go test -update rewrites it after a look at the diff)", path)
	}
}

func writeConvocations(t *testing.T, doc ConvocationDoc) string {
	t.Helper()
	var b bytes.Buffer
	if err := Convocations(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func writeAttendance(t *testing.T, doc AttendanceDoc) string {
	t.Helper()
	var b bytes.Buffer
	if err := AttendanceSheets(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	conv := writeConvocations(t, ConvocationDoc{Establishment: "Collège Jean Moulin", Sessions: plan(), Created: created})
	golden(t, "convocations.golden.html", []byte(conv))
	att := writeAttendance(t, AttendanceDoc{Establishment: "Collège Jean Moulin", Sessions: plan(), Created: created})
	golden(t, "attendance.golden.html", []byte(att))
	var csv bytes.Buffer
	if _, err := PixCertifCSV(&csv, plan()); err != nil {
		t.Fatal(err)
	}
	golden(t, "pixcertif.golden.csv", csv.Bytes())
}

// sheets parses a page and returns its sections of class sheet, with
// the text of each.
func sheets(t *testing.T, page string) (texts []string, classes []string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node, in int)
	var text func(n *html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(text(c))
			if c.Type == html.ElementNode {
				b.WriteString("\n")
			}
		}
		return b.String()
	}
	walk = func(n *html.Node, in int) {
		if n.Type == html.ElementNode && n.Data == "section" {
			for _, a := range n.Attr {
				if a.Key == "class" && strings.HasPrefix(a.Val, "sheet") {
					texts = append(texts, text(n))
					classes = append(classes, a.Val)
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, 0)
	return texts, classes
}

// policy is a page's Content-Security-Policy, as a browser reads it.
func policy(t *testing.T, page string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
			}
			if attrs["http-equiv"] == "Content-Security-Policy" {
				found = attrs["content"]
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// A convocation is a sheet, and every sheet after the first begins a
// printed page (printCSS: .sheet + .sheet): one sheet per candidate,
// in session order then candidate order.
func TestConvocationPerCandidate(t *testing.T) {
	list := plan()
	texts, classes := sheets(t, writeConvocations(t, ConvocationDoc{Establishment: "Collège Jean Moulin", Sessions: list}))
	if len(texts) != 26 {
		t.Fatalf("%d convocations, want 26", len(texts))
	}
	for _, class := range classes {
		if class != "sheet convocation" {
			t.Errorf("class %q", class)
		}
	}
	if !strings.Contains(printCSS, ".sheet + .sheet { break-before: page; }") {
		t.Error("sheets do not begin a page each")
	}
	k := 0
	for _, s := range list {
		for _, c := range s.Candidates {
			if !strings.Contains(texts[k], strings.ToUpper(c.LastName)+" "+c.FirstName[:1]) && !strings.Contains(texts[k], `\u202e`) {
				t.Errorf("convocation %d is not %s's:\n%s", k, c.LastName, texts[k])
			}
			k++
		}
	}
	want := []string{
		"Collège Jean Moulin", "Convocation à la certification Pix", "N'DIAYE Awa", "Classe\u00a0: 3E1",
		"Le lundi 16 mars 2026", "Présentez-vous à 8\u00a0h\u00a015",
		"Début de l’épreuve à 8\u00a0h\u00a030\u00a0; temps majoré de 33\u00a0%\u00a0: fin prévue à 10\u00a0h\u00a050.",
		"Salle 101", "une pièce d’identité ou le carnet de correspondance", "app.pix.fr",
	}
	for _, w := range want {
		if !strings.Contains(texts[11], w) {
			t.Errorf("N'DIAYE's convocation does not say %q:\n%s", w, texts[11])
		}
	}
	if !strings.Contains(texts[0], "Début de l’épreuve à 8\u00a0h\u00a030, fin prévue à 10\u00a0h\u00a015.") {
		t.Errorf("first convocation:\n%s", texts[0])
	}
	if !strings.Contains(texts[23], "Le mardi 17 mars 2026") || !strings.Contains(texts[23], "Présentez-vous à 13\u00a0h\u00a045") ||
		!strings.Contains(texts[23], "à 14\u00a0h, fin prévue à 15\u00a0h\u00a045") {
		t.Errorf("second session's convocation:\n%s", texts[23])
	}
}

func TestConvocationOptions(t *testing.T) {
	list := plan()[1:]
	list[0].Margin, list[0].Duration = 30*time.Minute, time.Hour
	page := writeConvocations(t, ConvocationDoc{Sessions: list,
		Bring: []string{}, Reminder: "Rappel <b>maison</b>"})
	for _, w := range []string{"Présentez-vous à 13\u00a0h\u00a030", "fin prévue à 15\u00a0h.", "Rappel &lt;b&gt;maison&lt;/b&gt;"} {
		if !strings.Contains(page, w) {
			t.Errorf("page does not say %q", w)
		}
	}
	if strings.Contains(page, "À apporter") || strings.Contains(page, "Convocation établie") {
		t.Error("an empty Bring, or a zero Created, is said")
	}
}

// Pages of 20 rows: the session of 23 is two pages, each under the
// session's heading and numbered; only the last has the closing box; the
// second session begins a page of its own.
func TestAttendancePages(t *testing.T) {
	texts, classes := sheets(t, writeAttendance(t, AttendanceDoc{Establishment: "Collège Jean Moulin", Sessions: plan()}))
	if len(texts) != 3 {
		t.Fatalf("%d pages, want 3", len(texts))
	}
	for i, want := range []struct {
		page          string
		rows          int
		closing       bool
		room, started string
	}{
		{"page 1/2", 20, false, "Salle 101", "de 8\u00a0h\u00a030 à 10\u00a0h\u00a050"},
		{"page 2/2", 3, true, "Salle 101", "de 8\u00a0h\u00a030 à 10\u00a0h\u00a050"},
		{"page 1/1", 3, true, "CDI", "de 14\u00a0h à 15\u00a0h\u00a045"},
	} {
		text := texts[i]
		if classes[i] != "sheet attendance" || !strings.Contains(text, want.page) || !strings.Contains(text, want.room) ||
			!strings.Contains(text, want.started) || !strings.Contains(text, "Session n°") || !strings.Contains(text, "Code d’accès") {
			t.Errorf("page %d:\n%s", i, text)
		}
		if got := strings.Contains(text, "Nombre de candidats présents\u00a0:"); got != want.closing {
			t.Errorf("page %d: closing box %v, want %v", i, got, want.closing)
		}
	}
	page := writeAttendance(t, AttendanceDoc{Sessions: plan()})
	if n := strings.Count(page, "<tr><td"); n != 26 {
		t.Errorf("%d rows, want 26", n)
	}
	if !strings.Contains(page, `<tr><td>N&#39;DIAYE<span class="extra">temps majoré 33`+"\u00a0"+`%</span></td><td>Awa</td><td class="birth">12/12/2011</td><td>3E1</td><td></td></tr>`) {
		t.Error("the candidate with extra time is not marked")
	}
	if !strings.Contains(page, `<td>ZOLA</td><td>Émile</td><td class="birth"></td>`) {
		t.Error("an unknown birth date is not an empty cell")
	}
}

func TestAttendanceEmptySession(t *testing.T) {
	list := plan()[1:]
	list[0].Candidates = nil
	list[0].Supervisors = nil
	texts, _ := sheets(t, writeAttendance(t, AttendanceDoc{Sessions: list}))
	if len(texts) != 1 || !strings.Contains(texts[0], "Aucun candidat inscrit") || !strings.Contains(texts[0], "page 1/1") {
		t.Errorf("%q", texts)
	}
}

// Markup and control characters in names are text: no element of their
// own, the bidi override shown escaped, as visible.Escape shows it.
func TestPagesEscape(t *testing.T) {
	for name, page := range map[string]string{
		"convocations": writeConvocations(t, ConvocationDoc{Establishment: "Collège <b>\u202e", Sessions: plan()}),
		"attendance":   writeAttendance(t, AttendanceDoc{Establishment: "Collège <b>\u202e", Sessions: plan()}),
	} {
		for _, raw := range []string{"<script", "<b>", "\u202e"} {
			if strings.Contains(page, raw) {
				t.Errorf("%s: %q written as is", name, raw)
			}
		}
		for _, shown := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", `Sami\u202eLIAM`, `Collège &lt;b&gt;\u202e`} {
			if !strings.Contains(strings.ToLower(page), strings.ToLower(shown)) { // a convocation writes NOM Prénom
				t.Errorf("%s: %q not shown", name, shown)
			}
		}
		if strings.Contains(page, "<script") || strings.Contains(page, "src=") || strings.Contains(page, "href=") {
			t.Errorf("%s: a script or a resource", name)
		}
		if !strings.Contains(page, `<html lang="fr">`) || policy(t, page) != printCSP {
			t.Errorf("%s: no lang or no policy", name)
		}
	}
}

// The policy allows the one style by its hash: the style as written must
// hash to it, or a browser would print the pages unstyled, every
// convocation run into the next. (TestPrintedPages shows Chromium applies
// it: without it, 26 convocations would not be 26 pages.)
func TestPolicyAllowsTheStyle(t *testing.T) {
	page := writeAttendance(t, AttendanceDoc{Sessions: plan()})
	start, end := strings.Index(page, "<style>")+len("<style>"), strings.Index(page, "</style>")
	sum := sha256.Sum256([]byte(page[start:end]))
	if want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(policy(t, page), want) {
		t.Errorf("policy %q does not allow the style (%s)", policy(t, page), want)
	}
	if strings.Count(page, "<style") != 1 || strings.Contains(page, "style=") {
		t.Error("another style than the one allowed")
	}
}

// pixcertif's own text follows French typography: a no-break space before
// « : ; ? ! % », inside « », never a plain space. The fixture's data has
// none of these.
func TestFrenchSpaces(t *testing.T) {
	for name, page := range map[string]string{
		"convocations": writeConvocations(t, ConvocationDoc{Establishment: "Collège Jean Moulin", Sessions: plan(), Created: created}),
		"attendance":   writeAttendance(t, AttendanceDoc{Establishment: "Collège Jean Moulin", Sessions: plan(), Created: created}),
	} {
		body := page[strings.Index(page, "<body>"):]
		for _, bad := range []string{" :", " ;", " ?", " !", " %", "« ", " »"} {
			if i := strings.Index(body, bad); i >= 0 {
				t.Errorf("%s: plain space in %q", name, body[max(0, i-30):i+len(bad)])
			}
		}
	}
}

func TestLongDateAndClock(t *testing.T) {
	paris := frdate.Paris()
	for _, c := range []struct {
		t          time.Time
		day, clock string
	}{
		{time.Date(2026, 3, 16, 8, 15, 0, 0, paris), "lundi 16 mars 2026", "8\u00a0h\u00a015"},
		{time.Date(2026, 3, 1, 14, 0, 0, 0, paris), "dimanche 1er mars 2026", "14\u00a0h"},
		{time.Date(2026, 8, 3, 9, 5, 0, 0, paris), "lundi 3 août 2026", "9\u00a0h\u00a005"},
		// A time from another zone is said in Paris's: 22:30 UTC is
		// past midnight in Paris in summer.
		{time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), "mercredi 1er juillet 2026", "0\u00a0h\u00a030"},
	} {
		if got := longDate(c.t); got != c.day {
			t.Errorf("longDate(%v) = %q, want %q", c.t, got, c.day)
		}
		if got := clock(c.t); got != c.clock {
			t.Errorf("clock(%v) = %q, want %q", c.t, got, c.clock)
		}
	}
	start := time.Date(2026, 3, 16, 8, 30, 0, 0, paris)
	for _, c := range []struct {
		extra int
		want  string
	}{{0, "10\u00a0h\u00a015"}, {33, "10\u00a0h\u00a050"}, {25, "10\u00a0h\u00a042"}, {50, "11\u00a0h\u00a008"}} {
		if got := clock(endFor(start, sessions.DefaultDuration, c.extra)); got != c.want {
			t.Errorf("end with %d %%: %s, want %s", c.extra, got, c.want)
		}
	}
}

func TestNoStart(t *testing.T) {
	list := plan()
	list[1].Start = time.Time{}
	if err := Convocations(&bytes.Buffer{}, ConvocationDoc{Sessions: list}); err == nil || !strings.Contains(err.Error(), "session 2 (CDI, Collège Jean Moulin)") {
		t.Errorf("convocations: %v", err)
	}
	if err := AttendanceSheets(&bytes.Buffer{}, AttendanceDoc{Sessions: list}); err == nil {
		t.Error("attendance: no error")
	}
	if _, err := PixCertifCSV(&bytes.Buffer{}, list); err == nil {
		t.Error("csv: no error")
	}
}
