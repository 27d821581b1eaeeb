package output

import (
	"bufio"
	"io"
	"strings"

	"github.com/pixcert/pixcert/internal/visible"
)

// markdownWriter writes GitHub-flavoured Markdown tables, a heading per
// named sheet: for a message, a wiki or a report pasted in an ENT.
type markdownWriter struct{}

func (markdownWriter) Write(w io.Writer, doc Document) error {
	s := &markdownSheets{w: bufio.NewWriterSize(w, 64<<10)}
	if doc.Title != "" {
		s.w.WriteString("# " + escapeMarkdown(doc.Title) + "\n\n")
	}
	if err := doc.Sheets(s); err != nil {
		return err
	}
	return s.w.Flush()
}

type markdownSheets struct {
	w       *bufio.Writer
	sheets  int
	columns columns
	row     []string
}

func (s *markdownSheets) Begin(name string, record any) error {
	if s.sheets > 0 {
		s.w.WriteString("\n")
	}
	s.sheets++
	if name != "" {
		s.w.WriteString("## " + escapeMarkdown(name) + "\n\n")
	}
	s.columns = columnsOf(record, false)
	s.writeRow(s.columns.headers)
	s.w.WriteString("|" + strings.Repeat(" --- |", len(s.columns.headers)) + "\n")
	return nil
}

func (s *markdownSheets) Record(record any) error {
	s.row = s.columns.cells(record, s.row)
	return s.writeRow(s.row)
}

func (s *markdownSheets) End(footer string) error {
	if footer != "" {
		s.w.WriteString("\n" + escapeMarkdown(footer) + "\n")
	}
	_, err := s.w.Write(nil) // bufio keeps the first error
	return err
}

func (s *markdownSheets) writeRow(cells []string) error {
	s.w.WriteString("|")
	for _, c := range cells {
		s.w.WriteString(" " + escapeMarkdown(c) + " |")
	}
	_, err := s.w.WriteString("\n")
	return err
}

// escapeMarkdown keeps a cell's text from being read as Markdown, so that a
// name cannot bring a link, an image, HTML, a heading or emphasis into a
// report, nor close its table cell: the characters a terminal would act on
// are shown escaped (visible.Escape, which also writes line breaks as \n),
// then every character that starts an inline construct of CommonMark or
// GitHub's extensions is backslash-escaped, which CommonMark allows for any
// ASCII punctuation: \ ` * _ [ ] < > & | ~ # $ !. A "www." and a "://" are
// broken so that GitHub does not make a link of them; an e-mail address
// still becomes a mailto: link in GitHub, whose text is the address, which
// no escape prevents.
func escapeMarkdown(s string) string {
	s = visible.Escape(s)
	if !strings.ContainsAny(s, "\\`*_[]<>&|~#$!:wW") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("\\`*_[]<>&|~#$!", c) >= 0:
			b.WriteByte('\\')
		case c == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteByte('\\')
		case c == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
