package output

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/pixcert/pixcert/internal/visible"
)

// htmlWriter writes a document's Page as one HTML file that stands alone,
// to open in any browser, offline, and print: its style and charts are
// inline CSS and SVG, it has no script and loads nothing (its
// Content-Security-Policy forbids both). The three parts of a bar differ
// by pattern as well as by colour, and are named beside it, so that a
// page printed in black and white reads as well.
//
// html/template writes every text, escaped for where it stands (a list's
// rows, the one part written by hand, through its escaper); text from
// imported files is first shown as visible.Escape shows it on a terminal
// (\x1b, \u202e), so that a name cannot turn the text after it right to
// left either. The page is written as it is read, a record at a time.
type htmlWriter struct{}

func (htmlWriter) Write(w io.Writer, doc Document) error {
	p := doc.Page
	if p == nil {
		return errors.New("ce document n'a pas de version HTML")
	}
	out := bufio.NewWriterSize(w, 64<<10)
	head := struct {
		Title, Heading, Subtitle string
		CSP                      string
		CSS                      template.CSS
		Notes, Legend            []string
	}{
		Title: visible.Escape(doc.Title), Heading: visible.Escape(p.Heading), Subtitle: visible.Escape(p.Subtitle),
		CSP: pageCSP, CSS: template.CSS(pageCSS), Notes: escapeAll(p.Notes), Legend: escapeAll(p.Legend),
	}
	if err := pageTemplates.ExecuteTemplate(out, "head", head); err != nil {
		return err
	}
	if len(p.Summary) > 0 {
		summary := struct {
			Heading string
			Series  bool // some panel has a chart: every panel leaves room for one
		}{Heading: visible.Escape(p.SummaryHeading)}
		for i := range p.Summary {
			summary.Series = summary.Series || len(p.Summary[i].Series) > 0
		}
		if err := pageTemplates.ExecuteTemplate(out, "summary", summary); err != nil {
			return err
		}
		// A panel at a time: an académie has 35,000 classes.
		for i := range p.Summary {
			if err := pageTemplates.ExecuteTemplate(out, "panel", newHTMLPanel(&p.Summary[i], false)); err != nil {
				return err
			}
		}
		out.WriteString("</section>\n")
	}
	if p.Lists != nil {
		lists := &htmlLists{w: out, page: p, running: visible.Escape(p.Running), heading: visible.Escape(p.ListsHeading)}
		if err := p.Lists(lists); err != nil {
			return err
		}
		if lists.opened {
			out.WriteString("</section>\n")
		}
	}
	if err := pageTemplates.ExecuteTemplate(out, "foot", visible.Escape(p.Footer)); err != nil {
		return err
	}
	return out.Flush()
}

func escapeAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = visible.Escape(s)
	}
	return out
}

// htmlLists writes a page's lists.
type htmlLists struct {
	w       *bufio.Writer
	page    *Page
	running string // Page.Running, escaped
	heading string // Page.ListsHeading, escaped
	opened  bool   // the section of all lists is open (not PagePerList)

	columns   columns
	listHead  string // running head of the list's table
	tableOpen bool
	row       []string
}

func (l *htmlLists) Begin(heading string, panel *Panel, record any) error {
	if !l.page.PagePerList && !l.opened {
		if err := pageTemplates.ExecuteTemplate(l.w, "lists", l.heading); err != nil {
			return err
		}
		l.opened = true
	}
	heading = visible.Escape(heading)
	l.columns, l.tableOpen = columnsOf(record, false), false
	l.listHead = l.running
	if heading != "" {
		l.listHead += " — " + heading
	}
	begin := struct {
		Heading, Running, ListsHeading string
		OwnPage                        bool
		Panel                          *htmlPanel
	}{Heading: heading, Running: l.running, ListsHeading: l.heading, OwnPage: l.page.PagePerList}
	if panel != nil {
		hp := newHTMLPanel(panel, true)
		begin.Panel = &hp
	}
	return pageTemplates.ExecuteTemplate(l.w, "list-begin", begin)
}

func (l *htmlLists) Record(record any) error {
	if !l.tableOpen {
		// An empty list has no table: its footer says why.
		table := struct {
			Running string
			Headers []htmlHeader
		}{Running: l.listHead}
		for i, h := range l.columns.headers {
			table.Headers = append(table.Headers, htmlHeader{Text: visible.Escape(h), Wide: l.columns.wide[i]})
		}
		if err := pageTemplates.ExecuteTemplate(l.w, "table-begin", table); err != nil {
			return err
		}
		l.tableOpen = true
	}
	// A row is the one part written by hand, escaped by html/template's
	// own escaper: a template executed per row cost 6 µs and 600 bytes
	// of garbage, for a million rows.
	l.row = l.columns.cells(record, l.row)
	l.w.WriteString("<tr>")
	for _, c := range l.row {
		c = visible.Escape(c)
		if longestWord(c) > longWord {
			l.w.WriteString(`<td class="long">`)
		} else {
			l.w.WriteString("<td>")
		}
		l.w.WriteString(template.HTMLEscapeString(c))
		l.w.WriteString("</td>")
	}
	_, err := l.w.WriteString("</tr>\n") // bufio keeps the first error
	return err
}

func (l *htmlLists) End(footer string) error {
	end := struct {
		Table  bool
		Footer string
	}{l.tableOpen, visible.Escape(footer)}
	return pageTemplates.ExecuteTemplate(l.w, "list-end", end)
}

// htmlHeader is a column's header; a wide column is given the room.
type htmlHeader struct {
	Text string
	Wide bool
}

// longWord is longer than any French word, or name. A cell with a
// longer word may break it anywhere: a table sizes its columns by their
// longest word, and a name of 200 letters would push the page's table
// past its margin. Only such a cell may: others break between words, or
// a column of short words would be cut into pieces of letters.
const longWord = 30

// longestWord is the length, in characters, of the longest run of s
// without a space.
func longestWord(s string) int {
	longest, n := 0, 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			n = 0
			continue
		}
		n++
		longest = max(longest, n)
	}
	return longest
}

// htmlPanel is a Panel as the page draws it: its text escaped, its bar
// and chart measured.
type htmlPanel struct {
	Heading, Detail, Figure string
	Total, Large            bool
	Label                   string // the bar said in words, for a screen reader
	Bar                     []htmlSegment
	Parts                   []htmlPart
	Chart                   *htmlChart
}

// htmlSegment is a part of a bar, placed in percents of its width.
type htmlSegment struct {
	X, Width string
	Pattern  int
}

type htmlPart struct {
	Label   string
	Count   int
	Pattern int
}

// htmlChart is a series drawn as bars, one per point, in SVG units, over
// a scale of 0, 50 and 100 %.
type htmlChart struct {
	Width, Height, Left, Base, Half, Top int
	Title, Label                         string
	Bars                                 []htmlChartBar
}

type htmlChartBar struct {
	X, Y, Width, Height, Middle string
	Text, Date, Detail          string
}

// Geometry of a chart: the scale on the left, then a slot per point,
// wide enough for a date jj/mm/aaaa under it, the share written above
// its bar.
const (
	chartLeft     = 34
	chartSlot     = 58
	chartBarWidth = 26
	chartTop      = 16 // the top of a bar of 100 %
	chartBase     = 66 // the bottom of every bar
	chartHeight   = 82
)

func newHTMLPanel(p *Panel, large bool) htmlPanel {
	hp := htmlPanel{Heading: visible.Escape(p.Heading), Detail: visible.Escape(p.Detail), Figure: visible.Escape(p.Figure),
		Total: p.Total, Large: large}
	total := 0
	for _, part := range p.Parts {
		total += max(part.Count, 0)
	}
	var said []string
	x := 0.0
	for i, part := range p.Parts {
		label := visible.Escape(part.Label)
		hp.Parts = append(hp.Parts, htmlPart{Label: label, Count: part.Count, Pattern: i})
		said = append(said, fmt.Sprintf("%s : %d", label, part.Count))
		if part.Count <= 0 || total == 0 {
			continue
		}
		width := float64(part.Count) / float64(total) * 100
		hp.Bar = append(hp.Bar, htmlSegment{X: number(x), Width: number(width), Pattern: i})
		x += width
	}
	hp.Label = strings.Join(said, ", ")
	if len(p.Series) > 0 {
		hp.Chart = newHTMLChart(p.Series, visible.Escape(p.SeriesTitle))
	}
	return hp
}

func newHTMLChart(series []Point, title string) *htmlChart {
	c := &htmlChart{Width: chartLeft + max(len(series), 2)*chartSlot, Height: chartHeight, Left: chartLeft,
		Base: chartBase, Half: (chartBase + chartTop) / 2, Top: chartTop, Title: title}
	said := []string{title}
	for i, pt := range series {
		share := min(max(pt.Share, 0), 1)
		height := share * (chartBase - chartTop)
		middle := float64(chartLeft+i*chartSlot) + chartSlot/2.0
		bar := htmlChartBar{
			X: number(middle - chartBarWidth/2.0), Y: number(chartBase - height), Width: number(chartBarWidth), Height: number(height),
			Middle: number(middle), Text: visible.Escape(pt.Text), Date: visible.Escape(pt.Label), Detail: visible.Escape(pt.Detail),
		}
		c.Bars = append(c.Bars, bar)
		said = append(said, fmt.Sprintf("%s : %s (%s)", bar.Date, bar.Text, bar.Detail))
	}
	c.Label = strings.Join(said, ", ")
	return c
}

// number writes a coordinate or a percent, to the hundredth.
func number(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

// pageCSS is the page's style: a page of A4 with margins when printed,
// lists that begin a printed page each when asked (PagePerList), rows
// and panels never cut across two pages, black on white.
const pageCSS = `
@page { size: A4; margin: 14mm 12mm 14mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; font-size: 15px; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem; font: 1rem/1.45 system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; overflow-wrap: break-word; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; margin: 1.6rem 0 .5rem; padding-bottom: .15rem; border-bottom: 2px solid #000; break-after: avoid; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
header { border-bottom: 3px solid #000; padding-bottom: .5rem; }
.subtitle { font-size: 1.05rem; margin: 0 0 .5rem; }
.note { font-size: .85rem; margin: .2rem 0; }
.patterns { position: absolute; }
.legend, .parts { list-style: none; margin: .3rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .15rem 1.1rem; font-size: .85rem; }
.legend li, .parts li { display: flex; align-items: center; gap: .35rem; }
.swatch { flex: none; }
.panel { display: grid; grid-template-columns: 9rem minmax(0, 1fr) 8rem; gap: .2rem 1rem; align-items: center; padding: .5rem 0; border-bottom: 1px solid #999; break-inside: avoid; }
.panel.total { border-top: 2px solid #000; border-bottom: 0; }
.panel .name strong { display: block; font-size: 1.05rem; }
.panel .name span { font-size: .85rem; }
.panel .figure { font-size: 1.1rem; font-weight: 600; text-align: right; }
.series .panel { grid-template-columns: 9rem minmax(0, 1fr) 8rem 12rem; }
.panel.large { grid-template-columns: minmax(0, 1fr) 9rem; border-bottom: 0; }
.panel.large .chart { grid-column: 1 / -1; }
.panel.large .chart svg { width: auto; height: 7rem; }
.summary .chart svg { width: auto; height: 4.5rem; }
.bar svg { display: block; }
.chart { margin: 0; }
.chart svg { display: block; max-width: 100%; height: auto; }
.chart text { font-size: 11px; font-family: inherit; }
.chart .date, .chart .scale text { font-size: 9.5px; }
.chart figcaption { font-size: .75rem; }
.panel:not(.large) .chart figcaption { display: none; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .4rem; border-bottom: 1px solid #999; }
th.wide { width: 35%; }
td.long { overflow-wrap: anywhere; }
thead th { border-bottom: 2px solid #000; }
tr { break-inside: avoid; }
.running th { font-weight: normal; font-size: .8rem; border-bottom: 1px solid #999; }
.running-head { font-size: .85rem; margin: 0 0 .2rem; }
.list.page h2 { margin-top: .2rem; }
.count { font-size: .9rem; margin: .4rem 0 0; }
footer { margin-top: 2rem; padding-top: .4rem; border-top: 1px solid #999; font-size: .8rem; }
@media screen {
  .running { display: none; }
  .list.page { margin-top: 2.5rem; padding-top: 1rem; border-top: 4px double #000; }
}
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  .list.page { break-before: page; }
}
`

// pageCSP is pageCSS's policy.
var pageCSP = ContentSecurityPolicy(pageCSS)

// ContentSecurityPolicy forbids a page everything but its own style, css:
// no script, no font, image, frame or anything else from anywhere, no
// form, no base. The style is allowed by its hash, not as any inline
// style. Every page pixcert writes has it (HTMLHead).
func ContentSecurityPolicy(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}

// HTMLHead begins every page pixcert writes, up to its body, as
// html/template source: French, its policy (.CSP), its title (.Title) and
// its one style (.CSS).
const HTMLHead = `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pixcert">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
`

// pageTemplates are the parts of a page, written in turn. The patterns
// are defined once and used by every bar: solid, hatched, dotted.
var pageTemplates = template.Must(template.New("page").Parse(`
{{- define "head" -}}
` + HTMLHead + `<svg class="patterns" width="0" height="0" aria-hidden="true">
<defs>
<pattern id="pattern-0" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#1f6f3a"/></pattern>
<pattern id="pattern-1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe3c8"/><line x1="1.5" y1="0" x2="1.5" y2="6" stroke="#a34d00" stroke-width="2.2"/></pattern>
<pattern id="pattern-2" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.1" fill="#555"/></pattern>
</defs>
</svg>
<header>
<h1>{{.Heading}}</h1>
<p class="subtitle">{{.Subtitle}}</p>
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
{{- if .Legend}}
<ul class="legend">{{range $i, $label := .Legend}}<li>{{template "swatch" $i}}{{$label}}</li>{{end}}</ul>
{{- end}}
</header>
<main>
{{end}}

{{- define "swatch" -}}
<svg class="swatch" width="14" height="14" aria-hidden="true"><rect x="0.5" y="0.5" width="13" height="13" fill="url(#pattern-{{.}})" stroke="#000"/></svg>
{{- end}}

{{- define "summary" -}}
<section class="summary{{if .Series}} series{{end}}">
<h2>{{.Heading}}</h2>
{{end}}

{{- define "panel" -}}
<div class="panel{{if .Total}} total{{end}}{{if .Large}} large{{end}}">
{{- if not .Large}}
<div class="name"><strong>{{.Heading}}</strong> <span>{{.Detail}}</span></div>
{{- end}}
<div class="bar">
<svg width="100%" height="20" role="img" aria-label="{{.Label}}">
{{- range .Bar}}<rect x="{{.X}}%" y="1" width="{{.Width}}%" height="18" fill="url(#pattern-{{.Pattern}})" stroke="#000"/>{{end -}}
</svg>
<ul class="parts">{{range .Parts}}<li>{{template "swatch" .Pattern}}{{.Label}} : {{.Count}}</li>{{end}}</ul>
</div>
<div class="figure">{{.Figure}}</div>
{{- with .Chart}}
<figure class="chart">
<svg viewBox="0 0 {{.Width}} {{.Height}}" width="{{.Width}}" height="{{.Height}}" role="img" aria-label="{{.Label}}">
<g class="scale"><line x1="{{.Left}}" y1="{{.Top}}" x2="{{.Width}}" y2="{{.Top}}" stroke="#999" stroke-dasharray="2 3"/><line x1="{{.Left}}" y1="{{.Half}}" x2="{{.Width}}" y2="{{.Half}}" stroke="#999" stroke-dasharray="2 3"/><text x="{{.Left}}" y="{{.Top}}" dx="-3" dy="3" text-anchor="end">100 %</text><text x="{{.Left}}" y="{{.Half}}" dx="-3" dy="3" text-anchor="end">50 %</text><text x="{{.Left}}" y="{{.Base}}" dx="-3" dy="3" text-anchor="end">0 %</text></g>
{{- range .Bars}}
<g><title>{{.Date}} : {{.Text}} ({{.Detail}})</title><rect x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="{{.Height}}" fill="url(#pattern-0)" stroke="#000"/><text x="{{.Middle}}" y="{{.Y}}" dy="-3" text-anchor="middle">{{.Text}}</text><text class="date" x="{{.Middle}}" y="78" text-anchor="middle">{{.Date}}</text></g>
{{- end}}
<line x1="{{.Left}}" y1="{{.Base}}" x2="{{.Width}}" y2="{{.Base}}" stroke="#000"/>
</svg>
<figcaption>{{.Title}}</figcaption>
</figure>
{{- end}}
</div>
{{end}}

{{- define "lists" -}}
<section class="lists">
<h2>{{.}}</h2>
{{end}}

{{- define "list-begin" -}}
<section class="list{{if .OwnPage}} page{{end}}">
{{- if .OwnPage}}
<p class="running-head">{{.Running}}</p>
{{- if .Heading}}
<h2>{{.Heading}}</h2>
{{- end}}
{{- else if .Heading}}
<h3>{{.Heading}}</h3>
{{- end}}
{{with .Panel}}{{template "panel" .}}{{end -}}
{{if .OwnPage}}<h3>{{.ListsHeading}}</h3>
{{end}}
{{- end}}

{{- define "table-begin" -}}
<table>
<thead>
<tr class="running"><th colspan="{{len .Headers}}">{{.Running}}</th></tr>
<tr>{{range .Headers}}<th scope="col"{{if .Wide}} class="wide"{{end}}>{{.Text}}</th>{{end}}</tr>
</thead>
<tbody>
{{end}}

{{- define "list-end" -}}
{{if .Table}}</tbody>
</table>
{{end -}}
{{if .Footer}}<p class="count">{{.Footer}}</p>
{{end -}}
</section>
{{end}}

{{- define "foot" -}}
</main>
{{- if .}}
<footer><p>{{.}}</p></footer>
{{- end}}
</body>
</html>
{{end}}
`))
