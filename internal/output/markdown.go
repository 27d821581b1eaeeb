package output

import (
	"fmt"
	"io"
	"strings"
)

// markdownWriter writes GitHub-flavoured Markdown tables, a heading per
// named sheet: for a message, a wiki or a report pasted in an ENT.
type markdownWriter struct{}

func (markdownWriter) Write(w io.Writer, doc Document) error {
	var b strings.Builder
	for i, sheet := range doc.Sheets {
		if i > 0 {
			b.WriteString("\n")
		}
		if sheet.Name != "" {
			fmt.Fprintf(&b, "## %s\n\n", escapeMarkdown(sheet.Name))
		}
		headers, rows := cells(sheet.Records, false)
		writeMarkdownRow(&b, headers)
		b.WriteString("|" + strings.Repeat(" --- |", len(headers)) + "\n")
		for _, row := range rows {
			writeMarkdownRow(&b, row)
		}
		if sheet.Footer != "" {
			fmt.Fprintf(&b, "\n%s\n", escapeMarkdown(sheet.Footer))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownRow(b *strings.Builder, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + escapeMarkdown(c) + " |")
	}
	b.WriteString("\n")
}

// escapeMarkdown keeps a cell's text from being read as Markdown.
func escapeMarkdown(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", "\n", " ")
	return r.Replace(s)
}
