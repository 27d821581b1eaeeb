// Package output writes what commands show: tables for people, CSV and xlsx
// as French Excel opens them, Markdown, an HTML page to print, and JSON for
// scripts. Every format is one file behind the Writer interface; New picks
// one by name.
//
// A document is written as it is read, a record at a time: an académie's
// million students never sit in memory at once. Text from imported files
// is data: what a terminal, a Markdown renderer or a browser would act on
// is shown escaped (internal/visible), never passed on.
package output

import (
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/visible"
)

// Document is what a command writes: its sheets, for people and
// spreadsheets, and its JSON contract, for scripts.
type Document struct {
	// Title says what the document shows, over the tables of a terminal or
	// Markdown ("Collège Jean Moulin : certificabilité d'après le dernier
	// profil envoyé"); a CSV or JSON file keeps only its data.
	Title string
	// Name says what the document is in a word or two ("Relance",
	// "Élèves"): a workbook names so a sheet that has no name of its own,
	// as the only sheet of a document not split by class.
	Name string
	// Created is when the document was made, said in a workbook's
	// properties; zero leaves it unsaid.
	Created time.Time
	// Sheets writes the document's sheets through w. A writer may call it
	// more than once (a long table is measured before it is drawn), and each
	// call must write the same records.
	Sheets func(w SheetWriter) error
	// JSONList writes the items of the document's JSON array, one at a time,
	// through add.
	JSONList func(add func(item any) error) error
	// JSON is the JSON contract of a document that is one value rather than
	// a list (a student's page); it is used when JSONList is nil.
	JSON any
	// Page is the document as a page to read in a browser and print
	// (HTML); nil for a document that has none.
	Page *Page
}

// SheetWriter receives a document's sheets, record by record.
type SheetWriter interface {
	// Begin starts a sheet named name ("" for none, e.g. the class when a
	// document is split by class) whose records are of record's type: a
	// struct whose exported string fields are the columns, named by their
	// `csv` tag. A field tagged `table:"-"` is left out of terminal tables
	// (too wide for a screen, useful in a spreadsheet); one tagged
	// `table:"wrap"` (or "wrap=N", N its least width) has its long cells
	// wrapped when a table must fit a width, one tagged `table:"prio=N"`
	// is left out then, those of the highest N first (fit.go). A field tagged
	// `xlsx:"date"` holds dates written jj/mm/aaaa, `xlsx:"datetime"` dates
	// jj/mm/aaaa hh:mm (or jj/mm/aaaa): a workbook writes them as dates
	// Excel can sort and compute with; other formats as they are. One
	// tagged `html:"wide"` is long text, given the most room on a page.
	Begin(name string, record any) error
	// Record writes one record of the sheet begun last.
	Record(record any) error
	// End ends the sheet with footer, e.g. a count line, written under a
	// terminal or Markdown table.
	End(footer string) error
}

// Sheet is a sheet held in memory, for documents that are short by nature
// (a student's page) and for tests.
type Sheet struct {
	Name    string
	Records any // a slice of records
	Footer  string
}

// Sheets writes sheets held in memory.
func Sheets(sheets ...Sheet) func(SheetWriter) error {
	return func(w SheetWriter) error {
		for _, sheet := range sheets {
			records := reflect.ValueOf(sheet.Records)
			if err := w.Begin(sheet.Name, reflect.Zero(records.Type().Elem()).Interface()); err != nil {
				return err
			}
			for i := 0; i < records.Len(); i++ {
				if err := w.Record(records.Index(i).Interface()); err != nil {
					return err
				}
			}
			if err := w.End(sheet.Footer); err != nil {
				return err
			}
		}
		return nil
	}
}

// Writer writes a document in one format.
type Writer interface {
	Write(w io.Writer, doc Document) error
}

var writers = map[string]Writer{
	"table": tableWriter{},
	"csv":   csvWriter{},
	"xlsx":  xlsxWriter{},
	"md":    markdownWriter{},
	"json":  jsonWriter{},
	"html":  htmlWriter{},
}

// FileOnly tells whether a format is made for a file, never shown on a
// terminal: a workbook is binary, and a page is markup for a browser.
func FileOnly(format string) bool { return format == "xlsx" || format == "html" }

// New returns the writer of format, one of allowed, or an error listing
// them.
func New(format string, allowed []string) (Writer, error) {
	for _, a := range allowed {
		if strings.EqualFold(format, a) {
			return writers[a], nil
		}
	}
	return nil, fmt.Errorf("format « %s » inconnu : choisissez parmi %s", format, strings.Join(allowed, ", "))
}

// ForTerminal returns the writer to use when its output is a terminal: a
// CSV then shows the characters a terminal would act on escaped, as a
// table does, rather than as data for Excel. Tables and Markdown always
// escape them, and JSON writes them as \u escapes, which keep the data.
func ForTerminal(w Writer) Writer {
	if _, ok := w.(csvWriter); ok {
		return csvWriter{visible: true}
	}
	return w
}

// extensions are the extensions of each format's files, the usual one
// first.
var extensions = map[string][]string{
	"table": {".txt"},
	"csv":   {".csv"},
	"xlsx":  {".xlsx"},
	"json":  {".json"},
	"md":    {".md"},
	"html":  {".html", ".htm"},
}

// FormatOfFile gives the format, one of accepted, that a file name asks
// for by its extension (compared without case): "" when it has none. An
// extension of no accepted format is an error naming those accepted: the
// extension tells the computer what program opens the file, and CSV in
// relance.pdf opens in none.
func FormatOfFile(name string, accepted []string) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == "" || ext == "." {
		return "", nil
	}
	var known []string
	for _, format := range accepted {
		for _, e := range extensions[format] {
			if e == ext {
				return format, nil
			}
			known = append(known, e)
		}
	}
	return "", fmt.Errorf("l'extension « %s » ne correspond à aucun format : choisissez parmi %s", visible.Quote(filepath.Ext(name)), strings.Join(known, ", "))
}

// columns are the columns of a type of record: their headers, the fields
// that hold them, and what they hold.
type columns struct {
	headers []string
	fields  [][]int // indexes, as reflect.Value.FieldByIndex takes them
	kinds   []cellKind
	// wide are the columns tagged html:"wide": long text, which a page
	// gives the room the short columns leave.
	wide []bool
	// screen is what each column's `table` tag says of it on a screen
	// (fit.go).
	screen []tableTag
}

// cellKind is what a column holds, as its field's `xlsx` tag says.
type cellKind uint8

const (
	kindText     cellKind = iota // text, or a count (xlsx.go)
	kindDate                     // xlsx:"date": jj/mm/aaaa
	kindDateTime                 // xlsx:"datetime": jj/mm/aaaa hh:mm, or jj/mm/aaaa
)

var cellKinds = map[string]cellKind{"": kindText, "date": kindDate, "datetime": kindDateTime}

// columnsOf reads the columns of record's type. The columns of an embedded
// struct are read in its place, as encoding/json does: a record with an
// optional column embeds the record without it. onScreen leaves out the
// fields tagged table:"-".
func columnsOf(record any, onScreen bool) columns {
	var c columns
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			at := append(index[:len(index):len(index)], i)
			switch {
			case f.Anonymous && f.Type.Kind() == reflect.Struct:
				walk(f.Type, at)
			case f.Tag.Get("csv") == "":
			case onScreen && parseTableTag(t.String()+"."+f.Name, f.Tag.Get("table")).hidden:
			default:
				kind, ok := cellKinds[f.Tag.Get("xlsx")]
				if !ok {
					// A mistake in pixcert's code, found by any test that
					// writes the record.
					panic(fmt.Sprintf("output : champ %s.%s : xlsx:%q inconnu (date ou datetime attendu)", t, f.Name, f.Tag.Get("xlsx")))
				}
				c.fields = append(c.fields, at)
				c.headers = append(c.headers, f.Tag.Get("csv"))
				c.kinds = append(c.kinds, kind)
				c.wide = append(c.wide, f.Tag.Get("html") == "wide")
				c.screen = append(c.screen, parseTableTag(t.String()+"."+f.Name, f.Tag.Get("table")))
			}
		}
	}
	walk(reflect.TypeOf(record), nil)
	return c
}

// cells returns a record's cells, in dst when it has room.
func (c columns) cells(record any, dst []string) []string {
	v := reflect.ValueOf(record)
	dst = dst[:0]
	for _, index := range c.fields {
		dst = append(dst, v.FieldByIndex(index).String())
	}
	return dst
}

// Guard protects a text cell from being run as a formula by a spreadsheet,
// as Pix does in its own exports (pix-formats.md §6): a leading = + - or @
// gets an apostrophe before it. That is CSV's guard, which Excel reads as
// typed; a workbook types its cells, and guards them without the
// apostrophe (xlsx.go).
func Guard(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// formulaLike tells whether a spreadsheet would take s, typed in a cell, for
// a formula.
func formulaLike(s string) bool {
	return s != "" && strings.IndexByte("=+-@", s[0]) >= 0
}
