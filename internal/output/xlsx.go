package output

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxWriter writes a real workbook: a sheet per document sheet, a bold
// frozen header row, columns as wide as their content, counts as numbers so
// Excel can sum them, text guarded against formulas.
type xlsxWriter struct{}

// maxSheetName is Excel's limit on a sheet's name.
const maxSheetName = 31

func (xlsxWriter) Write(w io.Writer, doc Document) error {
	book := excelize.NewFile()
	defer book.Close()
	bold, err := book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for i, sheet := range doc.Sheets {
		name := uniqueSheetName(sheetName(sheet.Name, i), used)
		if i == 0 {
			if err := book.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := book.NewSheet(name); err != nil {
			return err
		}
		if err := writeSheet(book, name, sheet, bold); err != nil {
			return err
		}
	}
	return book.Write(w)
}

// writeSheet streams a sheet's rows: excelize's cell-by-cell API costs
// more than the rows themselves.
func writeSheet(book *excelize.File, name string, sheet Sheet, bold int) error {
	sw, err := book.NewStreamWriter(name)
	if err != nil {
		return err
	}
	headers, rows := cells(sheet.Records, false)
	// Widths and the frozen header come before the rows in a stream.
	widths := make([]int, len(headers))
	for c, h := range headers {
		widths[c] = utf8.RuneCountInString(h)
	}
	for _, row := range rows {
		for c, cell := range row {
			widths[c] = max(widths[c], utf8.RuneCountInString(cell))
		}
	}
	for c, width := range widths {
		if err := sw.SetColWidth(c+1, c+1, float64(min(width, 60)+2)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	values := make([]any, len(headers))
	for c, h := range headers {
		values[c] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	for r, row := range rows {
		values := make([]any, len(row))
		for c, cell := range row {
			switch n, ok := count(cell); {
			case ok:
				values[c] = n
			case cell != "": // an empty cell is left out of the sheet
				values[c] = Guard(cell)
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(ref, values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

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
