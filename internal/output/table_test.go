package output

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

type competenceRow struct {
	Name       string `csv:"Nom"`
	First      string `csv:"Prénom"`
	Competence string `csv:"Compétence"`
	Mark       string `csv:"✓"`
}

// drawByTablewriter draws rows with tablewriter's default renderer, the
// layout the table writer reproduces.
func drawByTablewriter(w io.Writer, rows [][]string) {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header([]string{"Nom", "Prénom", "Compétence", "✓"})
	t.Bulk(rows)
	t.Render()
}

func tableOf(rows [][]string) Document {
	records := []competenceRow{}
	for _, r := range rows {
		records = append(records, competenceRow{r[0], r[1], r[2], r[3]})
	}
	return Document{Sheets: Sheets(Sheet{Records: records})}
}

func TestTableDrawsWhatTablewriterDraws(t *testing.T) {
	tables := map[string][][]string{
		"accents and marks": {{"LEFÈVRE", "Hugo", "2.4 S’insérer dans le monde numérique", "✓"}, {"Nguyễn", "Bảo", "", ""}},
		"wide characters":   {{"王", "小明", "3.1", "✓"}, {"DUPONT", "Léa", "", ""}},
		"no row":            {},
		"wide header":       {{"X", "Y", "Z", ""}},
	}
	for name, rows := range tables {
		for _, buffered := range []int{100_000, 1} {
			var want, got bytes.Buffer
			drawByTablewriter(&want, rows)
			withBufferedCells(t, buffered)
			if err := (tableWriter{}).Write(&got, tableOf(rows)); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%s (%d cells kept): drew\n%s\ntablewriter draws\n%s", name, buffered, got.String(), want.String())
			}
		}
	}
}

func withBufferedCells(t *testing.T, n int) {
	t.Helper()
	old := bufferedCells
	bufferedCells = n
	t.Cleanup(func() { bufferedCells = old })
}

// A name from a file is data: on a terminal, what would move the cursor,
// clear the screen, set the window's title, ring, or turn the rest of the
// line right to left is shown escaped, and the columns stay aligned.
func TestTableShowsControlsEscaped(t *testing.T) {
	tests := []struct {
		name, cell, shown string
	}{
		{"colour (CSI)", "\x1b[31mROUGE\x1b[0m", `\x1b[31mROUGE\x1b[0m`},
		{"clear screen", "\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"window title (OSC)", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"8-bit CSI (C1)", "\u009b31mX", `\x9b31mX`},
		{"bidi override", "ABC\u202eFED", `ABC\u202eFED`},
		{"bidi isolate", "\u2067x\u2069", `\u2067x\u2069`},
		{"line break", "DUPONT\nLéa", `DUPONT\nLéa`},
		{"carriage return", "fake\rREAL", `fake\rREAL`},
		{"backspace", "AB\b\bXY", `AB\x08\x08XY`},
		{"invalid UTF-8", "L\xe9a", `L\xe9a`},
		{"plain", "LEFÈVRE", "LEFÈVRE"},
	}
	for _, tt := range tests {
		doc := Document{Sheets: Sheets(Sheet{Name: tt.cell, Records: []competenceRow{{tt.cell, "Léa", "1.1", "✓"}, {"X", "Y", "Z", ""}}, Footer: "2 élèves"})}
		var b bytes.Buffer
		if err := (tableWriter{}).Write(&b, doc); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\x07\x08\r\u009b\u202e\u2067") || !strings.Contains(out, "│ "+tt.shown+" ") {
			t.Errorf("%s: table\n%s\nwant %q shown as %s, nothing raw", tt.name, out, tt.cell, tt.shown)
		}
		if !strings.HasPrefix(out, tt.shown+"\n") {
			t.Errorf("%s: sheet name not shown escaped:\n%s", tt.name, out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		width := displayWidth(lines[1])
		for _, l := range lines[1:6] {
			if displayWidth(l) != width {
				t.Errorf("%s: misaligned table\n%s", tt.name, out)
				break
			}
		}
	}
}

// A long table is read twice, once to measure and once to draw, and then
// draws what it draws at once.
func TestTableReadTwiceDrawsTheSame(t *testing.T) {
	var rows [][]string
	for i := range 50 {
		rows = append(rows, []string{"DUPONT" + strings.Repeat("x", i%7), "Léa", fmt.Sprintf("3E%d", i), "✓"})
	}
	doc := tableOf(rows)
	var once, twice bytes.Buffer
	if err := (tableWriter{}).Write(&once, doc); err != nil {
		t.Fatal(err)
	}
	withBufferedCells(t, 10)
	reads := 0
	sheets := doc.Sheets
	doc.Sheets = func(w SheetWriter) error { reads++; return sheets(w) }
	if err := (tableWriter{}).Write(&twice, doc); err != nil {
		t.Fatal(err)
	}
	if reads != 2 || once.String() != twice.String() {
		t.Errorf("read %d times; drew\n%s\nwant\n%s", reads, twice.String(), once.String())
	}
}

func BenchmarkTable1000Rows(b *testing.B) {
	var rows [][]string
	for i := 0; i < 1000; i++ {
		rows = append(rows, []string{"DUPONT", "Léa", fmt.Sprintf("3E%d", i%30), "✓"})
	}
	doc := tableOf(rows)
	b.Run("tablewriter", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			drawByTablewriter(io.Discard, rows)
		}
	})
	b.Run("pixcert", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			(tableWriter{}).Write(io.Discard, doc)
		}
	})
}
