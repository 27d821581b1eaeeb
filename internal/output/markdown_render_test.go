package output

import (
	"bytes"
	"html"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/visible"
)

// What a renderer makes of a Markdown report: every cell renders as its
// text (visibly escaped), with no element of its own. It needs cmark-gfm,
// GitHub's renderer (apt install cmark-gfm), and is skipped without it.
func TestMarkdownRendersCellsAsText(t *testing.T) {
	cmark, err := exec.LookPath("cmark-gfm")
	if err != nil {
		t.Skip("cmark-gfm absent")
	}
	cells := []string{
		"[clic](http://e.vil)", "![x](http://e.vil/x.png)", "<http://e.vil>", "voir https://e.vil/a?b=c&d",
		"WWW.e.vil", "www.e.vil/x", `<img src=x onerror="alert(1)">`, "<script>alert(1)</script>", "&lt;b&gt; &#x202e; &amp;",
		"# Titre ##", "DUPONT | Léa", "*gras* _it_ __x__ ***y***", "`rm -rf` ``a`b``", "~~barré~~ ~x~", "$x^2$",
		`a\`, `\[x\]`, "DUPONT\nLéa", "a\r\nb", "\x1b[31mX\x1b]0;t\x07", "A\u202eB\u2066", "- liste", "1. liste", "> citation",
		"---", "===", "[ref]: http://e.vil", "[ref]", "<!-- commentaire -->", "N'DIAYE Inès (1.3 : 0/8 pix) 10:42",
		"a  ", "x<br>y", "{{modèle}}", "%s %d", "\\*", "_\\_",
	}
	var md bytes.Buffer
	md.WriteString("| Nom |\n| --- |\n")
	for _, c := range cells {
		md.WriteString("| " + escapeMarkdown(c) + " |\n")
	}
	cmd := exec.Command(cmark, "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter")
	cmd.Stdin = &md
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	tds := regexp.MustCompile(`(?s)<td>(.*?)</td>`).FindAllStringSubmatch(string(out), -1)
	if len(tds) != len(cells) {
		t.Fatalf("%d cells rendered, want %d:\n%s", len(tds), len(cells), out)
	}
	for i, td := range tds {
		if strings.Contains(td[1], "<") {
			t.Errorf("%q renders as markup: %s", cells[i], td[1])
		}
		// GFM trims a cell's spaces.
		if got, want := html.UnescapeString(td[1]), strings.TrimSpace(visible.Escape(cells[i])); got != want {
			t.Errorf("%q renders as the text %q, want %q", cells[i], got, want)
		}
	}
}

// A sheet's name, the class, renders as the text of its heading.
func TestMarkdownRendersHeadingsAsText(t *testing.T) {
	cmark, err := exec.LookPath("cmark-gfm")
	if err != nil {
		t.Skip("cmark-gfm absent")
	}
	names := []string{"3E2 ##", "#", "3E2\n# x", "[3E2](http://e.vil)", "<b>3E2</b>", "3E2 *A*", "=== 3E2", "3E2\n---"}
	var sheets []Sheet
	for _, n := range names {
		sheets = append(sheets, Sheet{Name: n, Records: []record{{"A", n, "", "1"}}})
	}
	var md bytes.Buffer
	if err := (markdownWriter{}).Write(&md, Document{Sheets: Sheets(sheets...)}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cmark, "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter")
	cmd.Stdin = &md
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	headings := regexp.MustCompile(`<h2>(.*?)</h2>`).FindAllStringSubmatch(string(out), -1)
	if len(headings) != len(names) {
		t.Fatalf("%d headings, want %d:\n%s", len(headings), len(names), out)
	}
	for i, h := range headings {
		if got, want := html.UnescapeString(h[1]), visible.Escape(names[i]); got != want || strings.Contains(h[1], "<") {
			t.Errorf("%q renders as the heading %s, want the text %q", names[i], h[1], want)
		}
	}
}
