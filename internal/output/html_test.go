package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/pixcert/pixcert/internal/visible"
)

type pupil struct {
	Name   string `csv:"Nom"`
	Status string `csv:"Certificabilité"`
	Work   string `csv:"À travailler" html:"wide"`
}

// page is a page of two lists, the first of hostile, the second empty;
// every text of it is from.
func page(from func(what string) string) Document {
	panel := Panel{
		Heading: from("panel"), Detail: from("detail"), Figure: from("figure"),
		Parts:       []Part{{from("part0"), 3}, {from("part1"), 0}, {from("part2"), 1}},
		Series:      []Point{{Label: from("point"), Share: 0.25, Text: from("text"), Detail: from("point detail")}, {Label: "14/03/2026", Share: 1.5, Text: "100 %"}},
		SeriesTitle: from("series"),
	}
	return Document{Title: from("title"), Page: &Page{
		Heading: from("heading"), Subtitle: from("subtitle"), Running: from("running"), Notes: []string{from("note")},
		Legend: []string{from("legend")}, SummaryHeading: from("summary"), Summary: []Panel{panel},
		ListsHeading: from("lists"), Footer: from("footer"),
		Lists: func(w ListWriter) error {
			if err := w.Begin(from("list"), &panel, pupil{}); err != nil {
				return err
			}
			if err := w.Record(pupil{from("name"), from("status"), from("work")}); err != nil {
				return err
			}
			if err := w.End(from("count")); err != nil {
				return err
			}
			if err := w.Begin("3E2", nil, pupil{}); err != nil {
				return err
			}
			return w.End("Aucun élève à relancer.")
		},
	}}
}

func writeHTML(t *testing.T, doc Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := (htmlWriter{}).Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// hostile are names a file may hold, to be shown as text and never acted
// on: by the browser (markup, an attribute, an entity), nor by the text
// around them (a bidi override turns what follows right to left, an
// escape sequence acts on a terminal the page is printed to).
var hostile = []string{
	"<script>alert(1)</script>", `"onmouseover=alert(1) x="`, "'><img src=x onerror=alert(1)>", "A\u202eB\u2066C",
	"\x1b[31mROUGE\x1b]0;titre\x07", "\u009b1m", "&lt;b&gt; &#x202e;", "</style><script>x</script>", "</title><p>",
	"url(javascript:alert(1))", "]]><!--", "\xff\xfe", "a\u2028b\u200bc\u00a0d",
}

// Every text of a page, wherever it stands, is HTML text: no element, no
// attribute, no entity of its own, and what a terminal or the bidi
// algorithm would act on is shown escaped, as visible.Escape shows it.
func TestHTMLShowsEveryTextAsText(t *testing.T) {
	for _, name := range hostile {
		out := writeHTML(t, page(func(what string) string { return what + " " + name }))
		for _, raw := range []string{"<script", "<img", "\x1b", "\u202e", "\u2066", "\u009b", "\u2028", "\u200b", "\xff", " onmouseover="} {
			if strings.Contains(strings.ToLower(out), strings.ToLower(raw)) {
				t.Errorf("%q: the page holds %q raw", name, raw)
			}
		}
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		want := visible.Escape(name)
		texts := map[string]bool{}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			switch {
			case n.Type == html.ElementNode && !allowedElements[n.Data]:
				t.Errorf("%q: element <%s> on the page", name, n.Data)
			case n.Type == html.ElementNode:
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") || strings.Contains(a.Val, name) && name != want {
						t.Errorf("%q: attribute %s=%q", name, a.Key, a.Val)
					}
				}
			case n.Type == html.TextNode && n.Parent.Data != "style":
				// Line ends are the template's, between elements.
				if text := strings.Trim(n.Data, "\n"); visible.Escape(text) != text {
					t.Errorf("%q: text %q is not shown escaped", name, n.Data)
				}
				for what := range strings.FieldsSeq("title heading subtitle running note legend summary panel detail figure part0 part1 part2 series point text lists list name status work count footer") {
					if strings.Contains(n.Data, what+" "+want) {
						texts[what] = true
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		for what := range strings.FieldsSeq("title heading subtitle running note legend summary panel detail figure part0 part1 part2 series point text lists list name status work count footer") {
			if !texts[what] {
				t.Errorf("%q: %s is not on the page as the text %q", name, what, what+" "+want)
			}
		}
	}
}

// allowedElements are the elements a page is made of: nothing that runs,
// loads or submits.
var allowedElements = map[string]bool{}

func init() {
	for e := range strings.FieldsSeq(`html head meta title style body svg defs pattern rect line circle header h1 h2 h3 p ul li
		main section div strong span figure figcaption g text table thead tbody tr th td footer`) {
		allowedElements[e] = true
	}
}

// The page's one style is allowed by its hash, and nothing else is: no
// script, no other style, nothing loaded from anywhere.
func TestHTMLPolicyAllowsItsStyleOnly(t *testing.T) {
	out := writeHTML(t, page(func(what string) string { return what }))
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(out, -1)
	if len(style) != 1 {
		t.Fatalf("%d style elements", len(style))
	}
	sum := sha256.Sum256([]byte(style[0][1]))
	want := "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
	var policies []string
	tokens := html.NewTokenizer(strings.NewReader(out))
	for tt := tokens.Next(); tt != html.ErrorToken; tt = tokens.Next() {
		if tok := tokens.Token(); tok.Data == "meta" && len(tok.Attr) == 2 && tok.Attr[0].Val == "Content-Security-Policy" {
			policies = append(policies, tok.Attr[1].Val)
		}
	}
	if len(policies) != 1 || policies[0] != want {
		t.Errorf("policies %q, want one: %s", policies, want)
	}
	if strings.Index(out, "Content-Security-Policy") > strings.Index(out, "<style>") {
		t.Error("the policy comes after the style: it would not apply to it")
	}
	for _, attr := range []string{" style=", " src=", " href=", "http:", "https:", "@import", "@font-face"} {
		if strings.Contains(out, attr) {
			t.Errorf("the page holds %q", attr)
		}
	}
	if !strings.HasPrefix(out, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n") {
		t.Errorf("the page begins %q", out[:80])
	}
}

// A bar shows each part in proportion, an empty part not at all; a
// chart's bars stand between the base and the top, whatever the share.
func TestHTMLDrawsPartsAndSeriesToScale(t *testing.T) {
	out := writeHTML(t, page(func(what string) string { return what }))
	for _, want := range []string{
		`<rect x="0%" y="1" width="75%" height="18" fill="url(#pattern-0)" stroke="#000"/><rect x="75%" y="1" width="25%" height="18" fill="url(#pattern-2)" stroke="#000"/></svg>`,
		`aria-label="part0 : 3, part1 : 0, part2 : 1"`,
		`<rect x="50" y="53.5" width="26" height="12.5" fill="url(#pattern-0)" stroke="#000"/>`, // 25 %
		`<rect x="108" y="16" width="26" height="50" fill="url(#pattern-0)" stroke="#000"/>`,    // 150 % is 100 %
		`<text class="date" x="63" y="78" text-anchor="middle">point</text>`,
		`<title>point : text (point detail)</title>`,
		`<th scope="col" class="wide">À travailler</th>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// Lists follow each other under one heading, or each begins a printed
// page; an empty list has no table, only its footer.
func TestHTMLListsTheirOwnPages(t *testing.T) {
	for _, own := range []bool{false, true} {
		doc := page(func(what string) string { return what })
		doc.Page.PagePerList = own
		out := writeHTML(t, doc)
		pages := strings.Count(out, `<section class="list page">`)
		if want := map[bool]int{false: 0, true: 2}[own]; pages != want {
			t.Errorf("page per list %v: %d lists on their own pages, want %d", own, pages, want)
		}
		if n := strings.Count(out, "<table>"); n != 1 {
			t.Errorf("page per list %v: %d tables, want 1 (the empty list has none)", own, n)
		}
		if !strings.Contains(out, "<p class=\"count\">Aucun élève à relancer.</p>\n</section>") {
			t.Errorf("page per list %v: the empty list does not say so", own)
		}
		if !strings.Contains(out, `<tr class="running"><th colspan="3">running — list</th></tr>`) {
			t.Errorf("page per list %v: the table does not repeat whose it is", own)
		}
	}
}

// A name of 200 letters may break anywhere; ordinary cells break between
// words only.
func TestHTMLBreaksOnlyLongWords(t *testing.T) {
	doc := page(func(what string) string { return what })
	doc.Page.Lists = func(w ListWriter) error {
		w.Begin("3E1", nil, pupil{})
		w.Record(pupil{strings.Repeat("A", 200), "Non communiqué", "Rejoindre la collecte et envoyer son profil"})
		return w.End("")
	}
	out := writeHTML(t, doc)
	if !strings.Contains(out, `<tr><td class="long">AAAA`) || !strings.Contains(out, `<td>Non communiqué</td><td>Rejoindre`) {
		t.Errorf("cells:\n%s", out[strings.Index(out, "<tbody>"):])
	}
}

// A page is valid HTML, as HTML Tidy reads it (apt install tidy); skipped
// without it.
func TestHTMLIsValid(t *testing.T) {
	tidy, err := exec.LookPath("tidy")
	if err != nil {
		t.Skip("tidy absent")
	}
	for _, name := range append([]string{"3E1"}, hostile...) {
		cmd := exec.Command(tidy, "-q", "-e", "--show-warnings", "yes")
		cmd.Stdin = strings.NewReader(writeHTML(t, page(func(what string) string { return what + " " + name })))
		out, err := cmd.CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("%q: tidy: %v\n%s", name, err, out)
		}
	}
}

func TestHTMLNeedsAPage(t *testing.T) {
	if err := (htmlWriter{}).Write(&bytes.Buffer{}, doc()); err == nil {
		t.Error("a document without a page written as HTML")
	}
}

// BenchmarkHTMLRows writes the rows of a page, the part that grows with
// the students: an académie's page has a million.
func BenchmarkHTMLRows(b *testing.B) {
	doc := page(func(what string) string { return what })
	rec := pupil{"SAINT-MARTIN Jean-Baptiste", "Non communiqué", "Envoyer son profil (participation commencée dans la campagne « Collecte de profils 3e »)"}
	doc.Page.Summary, doc.Page.Lists = nil, func(w ListWriter) error {
		w.Begin("3E1", nil, pupil{})
		for i := 0; i < b.N; i++ {
			if err := w.Record(rec); err != nil {
				return err
			}
		}
		return w.End("")
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := (htmlWriter{}).Write(io.Discard, doc); err != nil {
		b.Fatal(err)
	}
}
