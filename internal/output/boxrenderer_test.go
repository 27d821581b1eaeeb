package output

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

func draw(w io.Writer, rows [][]string, opts ...tablewriter.Option) {
	t := tablewriter.NewTable(w, append([]tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	}, opts...)...)
	t.Header([]string{"Nom", "Prénom", "Compétence", "✓"})
	t.Bulk(rows)
	t.Render()
}

func TestBoxRendererDrawsWhatTheDefaultOneDraws(t *testing.T) {
	tables := map[string][][]string{
		"accents and marks": {{"LEFÈVRE", "Hugo", "2.4 S’insérer dans le monde numérique", "✓"}, {"Nguyễn", "Bảo", "", ""}},
		"no row":            {},
		"wide header":       {{"X", "Y", "Z", ""}},
	}
	for name, rows := range tables {
		var want, got bytes.Buffer
		draw(&want, rows)
		draw(&got, rows, tablewriter.WithRenderer(newBoxRenderer()))
		if got.String() != want.String() {
			t.Errorf("%s: box renderer drew\n%s\nthe default one\n%s", name, got.String(), want.String())
		}
	}
}

func BenchmarkTable1000Rows(b *testing.B) {
	var rows [][]string
	for i := 0; i < 1000; i++ {
		rows = append(rows, []string{"DUPONT", "Léa", fmt.Sprintf("3E%d", i%30), "✓"})
	}
	for _, r := range []struct {
		name string
		opts []tablewriter.Option
	}{{"default", nil}, {"box", []tablewriter.Option{tablewriter.WithRenderer(newBoxRenderer())}}} {
		b.Run(r.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				draw(io.Discard, rows, r.opts...)
			}
		})
	}
}
