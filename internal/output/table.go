package output

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"pixcert/internal/store"
)

type tableWriter struct{}

func (tableWriter) WriteStatus(w io.Writer, students []store.StudentStatus) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header(statusColumns)
	for _, s := range students {
		if err := t.Append(statusCells(s)); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := io.WriteString(w, CountLine(students)+"\n")
	return err
}
