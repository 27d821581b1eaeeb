package output

import (
	"encoding/csv"
	"io"
	"reflect"

	"github.com/gocarina/gocsv"
)

// utf8BOM makes French Excel read the file as UTF-8 rather than Windows-1252.
const utf8BOM = "\uFEFF"

// csvWriter writes CSV as French Excel opens it: UTF-8 with a BOM, ';', CRLF,
// one header row, every text cell guarded against formulas. Several sheets
// follow each other under the one header.
type csvWriter struct{}

func (csvWriter) Write(w io.Writer, doc Document) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	out := gocsv.NewSafeCSVWriter(cw)
	for i, sheet := range doc.Sheets {
		records := guarded(sheet.Records)
		var err error
		if i == 0 {
			err = gocsv.MarshalCSV(records, out)
		} else {
			err = gocsv.MarshalCSVWithoutHeaders(records, out)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// guarded copies records with every string field guarded.
func guarded(records any) any {
	v := reflect.ValueOf(records)
	out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	reflect.Copy(out, v)
	for r := 0; r < out.Len(); r++ {
		rec := out.Index(r)
		for i := 0; i < rec.NumField(); i++ {
			if f := rec.Field(i); f.Kind() == reflect.String && f.CanSet() {
				f.SetString(Guard(f.String()))
			}
		}
	}
	return out.Interface()
}
