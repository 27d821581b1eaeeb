package output

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"pixcert/internal/visible"
)

// xlsxWriter writes a real workbook: a sheet per document sheet, a bold
// frozen header row, columns as wide as their content, counts as numbers so
// Excel can sum them, text guarded against formulas. Rows are streamed:
// excelize keeps what does not fit its memory chunk in a temporary file.
type xlsxWriter struct{}

// maxSheetName is Excel's limit on a sheet's name.
const maxSheetName = 31

func (xlsxWriter) Write(w io.Writer, doc Document) error {
	// Widths and the frozen header come before the rows in a stream: the
	// columns are measured first.
	m := &measurer{cell: func(s string) string { return s }, width: utf8.RuneCountInString}
	if err := measure(doc, m); err != nil {
		return err
	}
	book := excelize.NewFile()
	defer book.Close()
	bold, err := book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	x := &xlsxSheets{book: book, bold: bold, used: map[string]bool{}}
	if err := replay(doc, m, x); err != nil {
		return err
	}
	if x.sheets == 0 {
		return fmt.Errorf("classeur sans feuille")
	}
	return book.Write(w)
}

// xlsxSheets writes measured sheets into a workbook.
type xlsxSheets struct {
	book   *excelize.File
	bold   int
	used   map[string]bool // sheet names, lower-cased
	sheets int
	sw     *excelize.StreamWriter
	rowNum int
	values []any
}

func (x *xlsxSheets) begin(s *sheetLayout) error {
	// A sheet's name is a label, not data: what a terminal would act on
	// is shown escaped there too.
	name := uniqueSheetName(sheetName(visible.Escape(s.name), x.sheets), x.used)
	if x.sheets == 0 {
		if err := x.book.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := x.book.NewSheet(name); err != nil {
		return err
	}
	x.sheets++
	sw, err := x.book.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sw, x.rowNum = sw, 1
	for c, width := range s.widths {
		if err := sw.SetColWidth(c+1, c+1, float64(min(width, 60)+2)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	values := make([]any, len(s.columns.headers))
	for c, h := range s.columns.headers {
		values[c] = excelize.Cell{StyleID: x.bold, Value: h}
	}
	return sw.SetRow("A1", values)
}

func (x *xlsxSheets) row(cells []string) error {
	x.values = x.values[:0]
	for _, cell := range cells {
		var value any // an empty cell is left out of the sheet
		switch n, ok := count(cell); {
		case ok:
			value = n
		case cell != "":
			value = Guard(cell)
		}
		x.values = append(x.values, value)
	}
	x.rowNum++
	ref, err := excelize.CoordinatesToCellName(1, x.rowNum)
	if err != nil {
		return err
	}
	return x.sw.SetRow(ref, x.values)
}

func (x *xlsxSheets) end(string) error { return x.sw.Flush() }

// count reads a cell that is a small whole number written without leading
// zero: a count, not an identifier.
func count(cell string) (int64, bool) {
	if cell == "" || len(cell) > 9 || (len(cell) > 1 && cell[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseInt(cell, 10, 64)
	return n, err == nil
}

// uniqueSheetName adds a number to a name already taken in the workbook,
// compared as Excel does, without case: two classes may clean or cut to
// the same name.
func uniqueSheetName(name string, used map[string]bool) string {
	candidate := name
	for n := 2; used[strings.ToLower(candidate)]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		runes := []rune(name)
		candidate = string(runes[:min(len(runes), maxSheetName-len(suffix))]) + suffix
	}
	used[strings.ToLower(candidate)] = true
	return candidate
}

// sheetName makes a valid Excel sheet name.
func sheetName(name string, i int) string {
	if name == "" {
		name = fmt.Sprintf("Feuille %d", i+1)
	}
	clean := []rune{}
	for _, r := range name {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = '-'
		}
		clean = append(clean, r)
	}
	if len(clean) > maxSheetName {
		clean = clean[:maxSheetName]
	}
	return string(clean)
}
