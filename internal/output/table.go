package output

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/pixcert/pixcert/internal/visible"
)

// tableWriter draws tables for a terminal, with the box characters and the
// layout of tablewriter's default renderer (one space of padding, columns
// as wide as their widest cell), a row at a time: the columns are measured
// first. Every cell, name and footer is shown through visible.Escape: a
// name from a file cannot move the cursor, set a window title or turn the
// following text right to left.
//
// With a width, every line fits it, in the cells of a terminal (fit.go):
// long cells and headers wrap, and columns may be left out, said under
// the table with hint.
type tableWriter struct {
	width int    // 0: none
	hint  string // how to see the columns left out
}

// Fit returns w, when it draws tables, drawing them at most width cells
// wide (0: as wide as they are); hint ends the line that names the columns
// left out, to say how to see them. Other writers are returned as they are.
func Fit(w Writer, width int, hint string) Writer {
	if _, ok := w.(tableWriter); ok {
		return tableWriter{width: max(width, 0), hint: hint}
	}
	return w
}

func (tw tableWriter) Write(w io.Writer, doc Document) error {
	m := &measurer{onScreen: true, cell: visible.Escape, width: displayWidth, words: tw.width > 0}
	if err := doc.Sheets(m); err != nil {
		return err
	}
	t := &tableDrawer{w: bufio.NewWriterSize(w, 64<<10), limit: tw.width, hint: tw.hint}
	if doc.Title != "" {
		t.text(visible.Escape(doc.Title))
	}
	if err := replay(doc, m, t); err != nil {
		return err
	}
	return t.w.Flush()
}

// The box characters of tablewriter's default renderer.
const (
	boxRow    = "─"
	boxColumn = "│"
)

var (
	boxTop    = [3]string{"┌", "┬", "┐"}
	boxMiddle = [3]string{"├", "┼", "┤"}
	boxBottom = [3]string{"└", "┴", "┘"}
)

type tableDrawer struct {
	w           *bufio.Writer
	limit       int    // the width of a line; 0: none
	hint        string // ends the line that names the columns left out
	sheets      int
	keep        []int // the columns shown, of the records' cells
	widths      []int // of those, without padding
	left        []string
	underHeader bool // the line under the header, not drawn yet
	lines       [][]string
}

func (t *tableDrawer) begin(s *sheetLayout) error {
	if t.sheets > 0 {
		t.w.WriteString("\n")
	}
	t.sheets++
	if s.name != "" {
		t.text(visible.Escape(s.name))
	}
	headers := make([]string, len(s.columns.headers))
	cols := make([]fitColumn, len(headers))
	for i, h := range s.columns.headers {
		headers[i] = visible.Escape(h)
		cols[i] = fitColumn{header: displayWidth(headers[i]), cells: s.cellWidths[i],
			wrap: s.columns.screen[i].wrap, prio: s.columns.screen[i].prio}
		if t.limit > 0 {
			cols[i].headerWord, cols[i].cellWord = widestWord(headers[i]), s.cellWords[i]
		}
	}
	t.keep, t.widths = fit(cols, t.limit)
	t.left = t.left[:0]
	for i, h := range headers {
		if !slices.Contains(t.keep, i) {
			t.left = append(t.left, h)
		}
	}
	t.line(boxTop)
	t.cells(headers)
	t.underHeader = true // drawn with the first row: a table without rows has none
	return nil
}

func (t *tableDrawer) row(cells []string) error {
	if t.underHeader {
		t.line(boxMiddle)
		t.underHeader = false
	}
	t.cells(cells)
	_, err := t.w.Write(nil) // bufio keeps the first error: stop on a closed pipe
	return err
}

func (t *tableDrawer) end(footer string) error {
	t.line(boxBottom)
	if footer != "" {
		t.text(visible.Escape(footer))
	}
	if len(t.left) > 0 {
		t.text(fmt.Sprintf("Colonnes masquées faute de place : %s.%s", strings.Join(t.left, ", "), t.hint))
	}
	_, err := t.w.Write(nil)
	return err
}

// text writes a line of text, wrapped to the width of a line.
func (t *tableDrawer) text(s string) {
	for _, line := range wrapText(s, t.limit) {
		t.w.WriteString(line)
		t.w.WriteString("\n")
	}
}

func (t *tableDrawer) line(box [3]string) {
	t.w.WriteString(box[0])
	for i, width := range t.widths {
		if i > 0 {
			t.w.WriteString(box[1])
		}
		t.w.WriteString(strings.Repeat(boxRow, width+2))
	}
	t.w.WriteString(box[2] + "\n")
}

// cells draws a row of cells, those of the columns shown, on as many lines
// as its cells wrapped to their column take.
func (t *tableDrawer) cells(cells []string) {
	t.lines = t.lines[:0]
	height := 1
	for k, i := range t.keep {
		var content string
		if i < len(cells) {
			content = cells[i]
		}
		lines := []string{content}
		if displayWidth(content) > t.widths[k] {
			lines = wrapText(content, t.widths[k])
		}
		t.lines = append(t.lines, lines)
		height = max(height, len(lines))
	}
	for line := range height {
		t.w.WriteString(boxColumn)
		for k, width := range t.widths {
			if k > 0 {
				t.w.WriteString(boxColumn)
			}
			var content string
			if line < len(t.lines[k]) {
				content = t.lines[k][line]
			}
			t.w.WriteString(" ")
			t.w.WriteString(content)
			t.w.WriteString(spaces(width - displayWidth(content) + 1))
		}
		t.w.WriteString(boxColumn + "\n")
	}
}

// spaces is n spaces, none when n is not positive.
func spaces(n int) string {
	const some = "                                                                "
	switch {
	case n <= 0:
		return ""
	case n <= len(some):
		return some[:n]
	}
	return strings.Repeat(" ", n)
}

// displayWidth is the width of a text on a terminal, as tablewriter counts
// it; plain ASCII, most cells, is its length.
func displayWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return twwidth.Width(s)
		}
	}
	return len(s)
}
