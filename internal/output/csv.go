package output

import (
	"bufio"
	"encoding/csv"
	"io"
	"reflect"

	"github.com/pixcert/pixcert/internal/visible"
)

// utf8BOM makes French Excel read the file as UTF-8 rather than Windows-1252.
const utf8BOM = "\uFEFF"

// csvWriter writes CSV as French Excel opens it: UTF-8 with a BOM, ';', CRLF,
// one header row, every text cell guarded against formulas. Several sheets
// follow each other under the one header. The cells are the data as it is,
// for Excel; visible shows on a terminal what the terminal would act on.
type csvWriter struct{ visible bool }

func (cw csvWriter) Write(w io.Writer, doc Document) error {
	buf := bufio.NewWriterSize(w, 64<<10)
	if _, err := buf.WriteString(utf8BOM); err != nil {
		return err
	}
	out := csv.NewWriter(buf)
	out.Comma = ';'
	out.UseCRLF = true
	s := &csvSheets{out: out, visible: cw.visible}
	if err := doc.Sheets(s); err != nil {
		return err
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return err
	}
	return buf.Flush()
}

type csvSheets struct {
	out     *csv.Writer
	visible bool
	header  bool // written
	first   reflect.Type
	// skip: the sheet begun last is not of the first sheet's kind (a
	// summary under a list): a CSV file is one table, it is left out.
	skip    bool
	columns columns
	row     []string
}

func (s *csvSheets) Begin(_ string, record any) error {
	if s.header {
		s.skip = reflect.TypeOf(record) != s.first
		return nil
	}
	s.columns = columnsOf(record, false)
	s.header, s.first = true, reflect.TypeOf(record)
	return s.write(s.columns.headers)
}

func (s *csvSheets) Record(record any) error {
	if s.skip {
		return nil
	}
	s.row = s.columns.cells(record, s.row)
	for i, cell := range s.row {
		s.row[i] = Guard(cell)
	}
	return s.write(s.row)
}

func (s *csvSheets) End(string) error { return nil }

func (s *csvSheets) write(row []string) error {
	if s.visible {
		for i, cell := range row {
			row[i] = visible.Escape(cell)
		}
	}
	return s.out.Write(row)
}
