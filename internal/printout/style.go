package printout

import "github.com/pixcert/pixcert/internal/output"

// printCSS is the style of both documents. Printed, a .sheet is a page of
// A4: each one after the first begins a new page, and is made to fit in
// one (a convocation by its short text, an attendance sheet by its 20
// rows of fixed height), so that the number of printed pages is known
// before printing. On screen, sheets are drawn as pages one under
// another. Black on white, with lines rather than shades, for a school's
// black-and-white printer.
const printCSS = `
@page { size: A4; margin: 10mm 14mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; font-size: 15px; }
body { margin: 0; padding: 1rem; font: 1rem/1.4 system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .3rem; break-after: avoid; }
p { margin: .3rem 0; }
.sheet { break-inside: auto; }
.establishment { font-size: 1.1rem; font-weight: 600; margin: 0 0 .4rem; }
.sheet > header { border-bottom: 3px solid #000; padding-bottom: .4rem; margin-bottom: .8rem; }
.sheet > footer { margin-top: 1.2rem; padding-top: .3rem; border-top: 1px solid #999; font-size: .8rem; }
.blank { display: inline-block; min-width: 9rem; border-bottom: 1px solid #000; }
.blank.short { min-width: 5rem; }

.candidate { font-size: 1.35rem; margin: .6rem 0 .1rem; }
.candidate strong { font-size: 1.55rem; }
.class { font-size: 1.1rem; margin: 0 0 .8rem; }
.when { border: 2px solid #000; padding: .6rem .9rem; margin: .8rem 0; }
.when .day { font-size: 1.3rem; font-weight: 600; margin: 0; }
.when .arrival { font-size: 1.3rem; font-weight: 700; margin: .2rem 0; }
.place { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }
.place dt { font-weight: 600; }
.place dd { margin: 0; }
.bring { margin: .3rem 0; padding-left: 1.4rem; }
.bring li { margin: .15rem 0; }
.family { margin-top: 1.4rem; border: 1px solid #000; padding: .5rem .8rem; min-height: 6.5rem; }

.attendance > header { display: grid; grid-template-columns: 1fr auto; gap: 0 1rem; padding-bottom: .3rem; margin-bottom: .5rem; }
.attendance h1 { font-size: 1.3rem; margin: 0; }
.attendance .establishment { margin: 0; }
.page-number { text-align: right; margin: 0; font-size: .8rem; }
.page-number strong { display: block; font-size: 1.1rem; }
.session { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .1rem 1.6rem; margin: .3rem 0 0; }
.session div { display: flex; gap: .4rem; }
.session dt { font-weight: 600; }
.session dd { margin: 0; }
.codes { grid-column: 1 / -1; margin: .4rem 0 0; display: flex; gap: 2.5rem; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; line-height: 1.2; }
th, td { border: 1px solid #000; padding: .1rem .3rem; text-align: left; vertical-align: middle; }
th { font-size: .85rem; }
.col-name { width: 33%; }
.col-first { width: 18%; }
.col-birth { width: 13%; }
.col-class { width: 12%; }
.col-signature { width: 24%; }
td.long { font-size: .8em; }
td.birth { white-space: nowrap; }
tbody tr { height: 2.75rem; break-inside: avoid; }
.extra { display: block; font-size: .8rem; font-style: italic; }
.none td { text-align: center; font-style: italic; }
.closing { margin-top: .5rem; border: 2px solid #000; padding: .3rem .6rem .5rem; break-inside: avoid; }
.closing p { margin: .15rem 0; }
.signatures { display: flex; gap: .5rem; }
.signatures div { flex: 1 1 0; border: 1px solid #000; min-height: 3.8rem; padding: .1rem .3rem; font-size: .8rem; }

@media screen {
  body { background: #fff; }
  .sheet { max-width: 52rem; margin: 0 auto 2rem; padding: 1.5rem 2rem; border: 1px solid #000; }
  .attendance table { font-size: .85rem; }
}
@media print {
  html { font-size: 10.5pt; }
  .convocation { font-size: 11.5pt; }
  body { padding: 0; }
  .sheet + .sheet { break-before: page; }
  .attendance { font-size: 9pt; }
  .attendance tbody tr { height: 9.5mm; }
  .signatures div { min-height: 14mm; }
}
`

// printCSP is printCSS's policy.
var printCSP = output.ContentSecurityPolicy(printCSS)

// pageSource begins and ends a document; each writer adds its sheets
// between.
const pageSource = `
{{- define "head" -}}
` + output.HTMLHead + `{{end}}

{{- define "foot" -}}
</body>
</html>
{{end}}
`
