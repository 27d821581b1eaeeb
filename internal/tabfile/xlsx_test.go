package tabfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/hostile"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/samples"
)

// openWorkbook writes data where a user would have it and opens it, with a
// temporary folder of its own to check nothing is left in it.
func openWorkbook(t *testing.T, data []byte) (*Workbook, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "classeur.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return OpenWorkbook("classeur.xlsx", bytes.NewReader(data), int64(len(data)), path, limits.MaxWorkbookInMemoryBytes)
}

// emptyTempDir points the temporary folder at an empty one, and checks it
// is empty again when the test ends.
func emptyTempDir(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	t.Cleanup(func() {
		if left, _ := os.ReadDir(dir); len(left) > 0 {
			t.Errorf("left in the temporary folder: %v", left)
		}
	})
	return dir
}

func TestWorkbookLimits(t *testing.T) {
	header := hostile.Row("Nom", "Prénom", "Classe")
	sheet := func(rows ...func(io.Writer)) []hostile.Part {
		return hostile.Workbook(1, hostile.Concat(append(append([]func(io.Writer){hostile.Text(hostile.SheetHead + header)}, rows...), hostile.Text(hostile.SheetTail))...), nil)
	}
	withSharedStrings := func(sst func(io.Writer)) []hostile.Part {
		return hostile.Workbook(1, hostile.Text(hostile.SheetHead+header+hostile.SheetTail), sst)
	}
	declared := func(parts []hostile.Part, name string, size uint64) []hostile.Part {
		for i := range parts {
			if parts[i].Name == name {
				parts[i].Declared = size
			}
		}
		return parts
	}
	tests := []struct {
		name  string
		parts []hostile.Part
		want  string
	}{
		{"a bomb of a sheet", sheet(hostile.Repeat(hostile.Row("A", "B", "C"), 64<<20)),
			"« xl/worksheets/sheet1.xml », dans le classeur, se décompresse"},
		{"shared strings announced huge", declared(withSharedStrings(hostile.Text("<sst/>")), "xl/sharedStrings.xml", 3<<30),
			"« xl/sharedStrings.xml », dans le classeur, ferait 3 Go une fois décompressé, au-delà des 512 Mo acceptés"},
		{"too many shared strings", withSharedStrings(hostile.Concat(hostile.Text("<sst>"),
			hostile.Lines(limits.MaxSharedStrings+1, func(i int) string { return fmt.Sprintf("<si><t>%d</t></si>", i) }), hostile.Text("</sst>"))),
			"dans xl/sharedStrings.xml, ligne 1 : plus de 1 000 000 textes partagés"},
		{"a shared string of megabytes", withSharedStrings(hostile.Concat(hostile.Text("<sst><si><t>"), hostile.Random(300<<10), hostile.Text("</t></si></sst>"))),
			"dans xl/sharedStrings.xml, ligne 1 : texte de plus de 256 Ko entre deux balises"},
		{"thousands of sheets", hostile.Workbook(limits.MaxSheets+1, hostile.Text(hostile.SheetHead+header+hostile.SheetTail), nil),
			"le classeur a 251 feuilles, au-delà des 250 acceptées"},
		{"a cell of megabytes", sheet(hostile.Text(`<row><c t="inlineStr"><is><t>`), hostile.Random(300<<10), hostile.Text(`</t></is></c></row>`)),
			"dans xl/worksheets/sheet1.xml, ligne 1 : texte de plus de 256 Ko entre deux balises"},
		{"a row of megabytes", sheet(hostile.Text(`<row>`), hostile.Lines(200000, func(i int) string { return fmt.Sprintf(`<c><v>%d</v></c>`, i*7919) }), hostile.Text(`</row>`)),
			"dans xl/worksheets/sheet1.xml, ligne 1 : une ligne de plus de 4 Mo (élément « row »)"},
		{"nested without end", sheet(hostile.Repeat("<x>", 3*limits.MaxXMLDepth)),
			"éléments imbriqués sur plus de 64 niveaux"},
		{"a part other than sheets, too big", append(withSharedStrings(nil), hostile.Part{Name: "xl/media/image1.png", Write: hostile.Random(limits.MaxWorkbookPartBytes + 1)}),
			"« xl/media/image1.png », dans le classeur, pèse plus de 16 Mo une fois décompressé, au-delà des 16 Mo acceptés pour ce qui n'est pas une feuille"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emptyTempDir(t)
			w, err := openWorkbook(t, hostile.Zip(tt.parts...))
			if err == nil {
				w.Close()
			}
			var fe *fileerr.Error
			if !errors.As(err, &fe) || fe.File != "classeur.xlsx" || !strings.Contains(fe.Msg, tt.want) || !strings.HasSuffix(fe.Msg, workbookHint) {
				t.Fatalf("OpenWorkbook error = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// TestWorkbookCellLimit: a cell a spreadsheet cannot hold is a problem at
// its row and column, the other rows are read.
func TestWorkbookCellLimit(t *testing.T) {
	emptyTempDir(t)
	long := strings.Repeat("é", limits.MaxCellChars+1)
	data := hostile.Zip(hostile.Workbook(1, hostile.Text(hostile.SheetHead+hostile.Row("Nom", "Prénom", "Classe")+
		hostile.Row("DUPONT", long, "3E2")+hostile.Row("MARTIN", "Tom", "3E2")+hostile.SheetTail), nil)...)
	w, err := openWorkbook(t, data)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	f, err := w.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var errs fileerr.Collector
	var lines []int
	f.EachRow(&errs, func(r Row) error { lines = append(lines, r.Line); return nil })
	if errs.Total != 1 || errs.Kept[0].Line != 2 || errs.Kept[0].Column != "Prénom" || !strings.Contains(errs.Kept[0].Msg, "cellule de 32 768 caractères") {
		t.Errorf("problems = %v, want the cell of line 2, column Prénom", errs.Kept)
	}
	if len(lines) != 1 || lines[0] != 3 {
		t.Errorf("rows read at %v, want line 3", lines)
	}
}

// TestWorkbookIsReadFromItsOwnTemporaryFolder: a workbook's big sheets
// are extracted to a folder Close removes, and so is what a workbook that
// fails half-way through opening extracted.
func TestWorkbookIsReadFromItsOwnTemporaryFolder(t *testing.T) {
	tmp := emptyTempDir(t)
	rows := hostile.Lines(20000, func(i int) string {
		return hostile.Row(fmt.Sprintf("NOM%d", i*7919), fmt.Sprintf("Prénom%d", i), "3E2")
	})
	bigSheet := hostile.Concat(hostile.Text(hostile.SheetHead+hostile.Row("Nom", "Prénom", "Classe")), rows, hostile.Text(hostile.SheetTail))
	w, err := openWorkbook(t, hostile.Zip(hostile.Workbook(2, bigSheet, nil)...))
	if err != nil {
		t.Fatal(err)
	}
	if extracted, _ := os.ReadDir(tmp); len(extracted) != 1 {
		t.Errorf("temporary folder holds %v, want the workbook's own folder", extracted)
	}
	for range 2 { // a sheet is read as many times as needed
		f, err := w.Sheet("Feuil1")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		f.EachRow(&fileerr.Collector{}, func(Row) error { n++; return nil })
		f.Close()
		if n != 20000 {
			t.Errorf("%d rows, want 20000", n)
		}
	}
	if err := w.Close(); err != nil {
		t.Error(err)
	}

	// Styles excelize cannot read, after a big sheet it has extracted.
	parts := append(hostile.Workbook(1, bigSheet, nil), hostile.Part{Name: "xl/styles.xml", Write: hostile.Text(`<styleSheet><numFmts count="x"/></styleSheet>`)})
	if w, err := openWorkbook(t, hostile.Zip(parts...)); err == nil {
		w.Close()
		t.Error("a workbook of unreadable styles opened")
	}
}

func TestWorkbookOfExcel(t *testing.T) {
	emptyTempDir(t)
	data, err := os.ReadFile(filepath.Join(samples.Dir, "..", "variants", "roster-siecle-notice.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := openWorkbook(t, data)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if len(w.Sheets) < 2 {
		t.Errorf("sheets = %v, want a notice and the students", w.Sheets)
	}
	if _, err := w.Sheet("Absente"); err == nil || !strings.Contains(err.Error(), "le classeur n'a pas de feuille « Absente » : ses feuilles sont « ") {
		t.Errorf("Sheet(Absente) = %v", err)
	}
}
