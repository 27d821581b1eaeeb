package output

import (
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// tableWriter draws tables for a terminal.
type tableWriter struct{}

func (tableWriter) Write(w io.Writer, doc Document) error {
	for i, sheet := range doc.Sheets {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if sheet.Name != "" {
			fmt.Fprintln(w, sheet.Name)
		}
		headers, rows := cells(sheet.Records, true)
		t := tablewriter.NewTable(w,
			tablewriter.WithRenderer(newBoxRenderer()),
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithHeaderAlignment(tw.AlignLeft),
			tablewriter.WithRowAlignment(tw.AlignLeft),
		)
		t.Header(headers)
		if err := t.Bulk(rows); err != nil {
			return err
		}
		if err := t.Render(); err != nil {
			return err
		}
		if sheet.Footer != "" {
			if _, err := fmt.Fprintln(w, sheet.Footer); err != nil {
				return err
			}
		}
	}
	return nil
}
