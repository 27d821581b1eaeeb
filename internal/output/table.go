package output

import (
	"bufio"
	"io"
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
type tableWriter struct{}

func (tableWriter) Write(w io.Writer, doc Document) error {
	m := &measurer{onScreen: true, cell: visible.Escape, width: displayWidth}
	if err := doc.Sheets(m); err != nil {
		return err
	}
	t := &tableDrawer{w: bufio.NewWriterSize(w, 64<<10)}
	if doc.Title != "" {
		t.w.WriteString(visible.Escape(doc.Title) + "\n")
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
	w      *bufio.Writer
	sheets int
	widths []int // without padding
	// underHeader is the line under the header, not drawn yet.
	underHeader bool
}

func (t *tableDrawer) begin(s *sheetLayout) error {
	if t.sheets > 0 {
		t.w.WriteString("\n")
	}
	t.sheets++
	if s.name != "" {
		t.w.WriteString(visible.Escape(s.name) + "\n")
	}
	t.widths = s.widths
	t.line(boxTop)
	headers := make([]string, len(s.columns.headers))
	for i, h := range s.columns.headers {
		headers[i] = visible.Escape(h)
	}
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
		t.w.WriteString(visible.Escape(footer) + "\n")
	}
	_, err := t.w.Write(nil)
	return err
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

func (t *tableDrawer) cells(cells []string) {
	t.w.WriteString(boxColumn)
	for i, width := range t.widths {
		if i > 0 {
			t.w.WriteString(boxColumn)
		}
		var content string
		if i < len(cells) {
			content = cells[i]
		}
		t.w.WriteString(" ")
		t.w.WriteString(content)
		t.w.WriteString(spaces(width - displayWidth(content) + 1))
	}
	t.w.WriteString(boxColumn + "\n")
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
