package printout

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/pixcert/pixcert/internal/sessions"
)

// The number of printed pages is what the CSS promises (a convocation a
// page, RowsPerSheet rows a page) and only a browser can tell: with
// -chromium, the pages are printed to PDF by headless Chromium and their
// pages counted. Off by default: a browser is not part of the build.
var (
	chromium = flag.Bool("chromium", false, "print the pages with headless Chromium and count their pages")
	printDir = flag.String("printdir", "", "with -chromium, keep the pages and their PDF in this folder, to look at")
)

// pdfPage is a page object of a PDF, not the /Pages tree over them.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^a-zA-Z]`)

func printedPages(t *testing.T, name, page string) int {
	t.Helper()
	browser := ""
	for _, b := range []string{"chromium", "chromium-headless-shell", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Fatal("-chromium: no Chromium in PATH")
	}
	dir := *printDir
	if dir == "" {
		dir = t.TempDir()
	}
	in, out := filepath.Join(dir, name+".html"), filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(in, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "--print-to-pdf="+out, "file://"+in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, msg)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return len(pdfPage.FindAll(pdf, -1))
}

// crowded is sessions made to fill pages as a real school may: full
// pages of candidates who all have extra time (two lines a row), long
// compound names, three supervisors.
func crowded() []sessions.Session {
	var list []sessions.Session
	for _, n := range []int{20, 40, 41, 1} {
		s := plan()[0]
		s.Site = "Lycée polyvalent Jean-Baptiste de La Salle"
		s.Room = "Salle informatique B204 (bâtiment des sciences)"
		s.Supervisors = []string{"Mme Marie-Christine de La Tour d'Auvergne", "M. Jean-Baptiste Montmorency", "Mme Nguyen"}
		s.Candidates = nil
		for i := range n {
			if i%4 == 3 {
				s.Candidates = append(s.Candidates, sessions.Candidate{LastName: "MONTMORENCY-LAVAL DE LA TOUR D'AUVERGNE", FirstName: "Jean-Baptiste Marie",
					Birthdate: "2011-02-03", Class: "2NDE-EURO", ExtraTime: 33})
				continue
			}
			s.Candidates = append(s.Candidates, sessions.Candidate{
				LastName: fmt.Sprintf("DE LA TOUR D'AUVERGNE %d", i), FirstName: "Marie-Christine Anne", Birthdate: "2011-02-03",
				Class: "2NDE-EURO", ExtraTime: 33,
			})
		}
		list = append(list, s)
	}
	return list
}

func TestPrintedPages(t *testing.T) {
	if !*chromium {
		t.Skip("go test -chromium prints the pages with headless Chromium")
	}
	for _, c := range []struct {
		name       string
		list       []sessions.Session
		conv, att  int
		bring      []string
		convEstabl string
	}{
		{name: "plan", list: plan(), conv: 26, att: 2 + 1, convEstabl: "Collège Jean Moulin"},
		{name: "crowded", list: crowded(), conv: 20 + 40 + 41 + 1, att: 1 + 2 + 3 + 1,
			convEstabl: "Lycée polyvalent régional Jean-Baptiste de La Salle"},
	} {
		var conv, att bytes.Buffer
		if err := Convocations(&conv, ConvocationDoc{Establishment: c.convEstabl, Sessions: c.list, Created: created}); err != nil {
			t.Fatal(err)
		}
		if err := AttendanceSheets(&att, AttendanceDoc{Establishment: c.convEstabl, Sessions: c.list, Created: created}); err != nil {
			t.Fatal(err)
		}
		if got := printedPages(t, c.name+"-convocations", conv.String()); got != c.conv {
			t.Errorf("%s: convocations printed on %d pages, want %d", c.name, got, c.conv)
		}
		if got := printedPages(t, c.name+"-attendance", att.String()); got != c.att {
			t.Errorf("%s: attendance sheets printed on %d pages, want %d", c.name, got, c.att)
		}
	}
}
