// Package output writes what commands show: tables for people, CSV and xlsx
// as French Excel opens them, Markdown, and JSON for scripts. Every format
// is one file behind the Writer interface; New picks one by name.
package output

import (
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Sheet is a list of records with a name and a footer. Records is a slice
// of structs whose exported string fields are the columns, named by their
// `csv` tag; a field tagged `table:"-"` is left out of terminal tables
// (too wide for a screen, useful in a spreadsheet).
type Sheet struct {
	Name    string // e.g. the class, when a document is split by class
	Records any
	Footer  string // e.g. a count line, under a terminal or Markdown table
}

// Document is what a command writes: its sheets, for people and
// spreadsheets, and its JSON contract, for scripts.
type Document struct {
	Sheets []Sheet
	JSON   any
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
}

// Binary tells whether a format must not be written to a terminal.
func Binary(format string) bool { return format == "xlsx" }

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

// FormatOfFile gives the format a file name asks for by its extension, ""
// when it says nothing.
func FormatOfFile(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	switch ext := strings.ToLower(name[i+1:]); ext {
	case "csv", "xlsx", "json", "md":
		return ext
	case "txt":
		return "table"
	}
	return ""
}

// cells returns a sheet's column headers and rows. onScreen leaves out the
// fields tagged table:"-".
func cells(records any, onScreen bool) (headers []string, rows [][]string) {
	v := reflect.ValueOf(records)
	t := v.Type().Elem()
	var fields []int
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("csv") == "" || (onScreen && f.Tag.Get("table") == "-") {
			continue
		}
		fields = append(fields, i)
		headers = append(headers, f.Tag.Get("csv"))
	}
	rows = make([][]string, v.Len())
	for r := range rows {
		rec := v.Index(r)
		rows[r] = make([]string, len(fields))
		for c, i := range fields {
			rows[r][c] = rec.Field(i).String()
		}
	}
	return headers, rows
}

// Guard protects a text cell from being run as a formula by a spreadsheet,
// as Pix does in its own exports (pix-formats.md §6): a leading = + - or @
// gets an apostrophe before it.
func Guard(s string) string {
	if s != "" && strings.IndexByte("=+-@", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
