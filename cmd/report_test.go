package cmd

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pixcert/pixcert/internal/samples"
)

// The report's workbook, read back as Excel would: a sheet per class, the
// dates as dates, names as they are, ready to filter and print, dated and
// titled.
func TestReportWorkbookIsAsExcelMakesIt(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("import: %d\n%s", code, stderr)
	}
	before := time.Now().Add(-time.Second)
	book := writtenReport(t, db, filepath.Join(dir, "relance.xlsx"), "--by-class")
	after := time.Now()

	if got := strings.Join(book.GetSheetList(), ","); got != "3E1,3E2" {
		t.Fatalf("sheets %s, want one per class", got)
	}
	cell := func(sheet, ref string, opts ...excelize.Options) string {
		t.Helper()
		v, err := book.GetCellValue(sheet, ref, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if h := cell("3E2", "E1"); h != "Date de l'envoi" {
		t.Fatalf("E1 = %q, want the date column", h)
	}
	// =BONO sent on 01/02/2026: the name as it is, never a formula; the
	// date a date.
	formula, err := book.GetCellFormula("3E2", "A2")
	if name := cell("3E2", "A2"); name != "=BONO" || formula != "" || err != nil {
		t.Errorf("A2 = %q, formula %q (%v); want the text =BONO", name, formula, err)
	}
	if raw, shown := cell("3E2", "E2", excelize.Options{RawCellValue: true}), cell("3E2", "E2"); raw != "46054" || shown != "01/02/2026" {
		t.Errorf("E2 = %s shown %q, want the serial 46054 shown 01/02/2026", raw, shown)
	}
	style, _ := book.GetCellStyle("3E2", "E2")
	if s, err := book.GetStyle(style); err != nil || s.CustomNumFmt == nil || *s.CustomNumFmt != "dd/mm/yyyy" {
		t.Errorf("E2's format %+v (%v), want dd/mm/yyyy", s, err)
	}
	// DUBOIS has sent nothing: no date, an empty cell.
	if v := cell("3E1", "E2"); cell("3E1", "A2") != "DUBOIS" || v != "" {
		t.Errorf("3E1 E2 = %q", v)
	}
	// Dernier envoi is text: the time and the campaign.
	if v := cell("3E2", "J2"); v != "01/02/2026 08:00 (Collecte de profils 3e)" {
		t.Errorf("J2 = %q", v)
	}

	for _, sheet := range []string{"3E1", "3E2"} {
		layout, err := book.GetPageLayout(sheet)
		if err != nil || *layout.Orientation != "landscape" || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
			t.Errorf("%s: page %+v (%v), want A4 landscape, one page wide", sheet, layout, err)
		}
		if hf, err := book.GetHeaderFooter(sheet); err != nil || hf == nil ||
			!strings.HasPrefix(hf.OddHeader, "&LCollège Jean Moulin : fichier de relance") || hf.OddFooter != "&CPage &P sur &N" {
			t.Errorf("%s: header and footer %+v (%v)", sheet, hf, err)
		}
		if panes, err := book.GetPanes(sheet); err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes %+v (%v)", sheet, panes, err)
		}
	}
	names := map[string]string{}
	for _, n := range book.GetDefinedName() {
		names[n.Name+" "+n.Scope] = n.RefersTo
	}
	for name, want := range map[string]string{
		"_xlnm.Print_Titles 3E1":    "'3E1'!$1:$1",
		"_xlnm.Print_Titles 3E2":    "'3E2'!$1:$1",
		"_xlnm._FilterDatabase 3E1": "'3E1'!$A$1:$K$5",
		"_xlnm._FilterDatabase 3E2": "'3E2'!$A$1:$K$5",
	} {
		if names[name] != want {
			t.Errorf("%s = %q, want %q", name, names[name], want)
		}
	}

	props, err := book.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	created, err := time.Parse(time.RFC3339, props.Created)
	if err != nil || created.Before(before) || created.After(after) || props.Creator != "pixcert" ||
		props.Title != "Collège Jean Moulin : fichier de relance (certificabilité d'après le dernier profil envoyé)" {
		t.Errorf("properties %+v, want the title, pixcert, and the time of the report", props)
	}

	// Not split by class: one sheet, named by what the file is.
	book = writtenReport(t, db, filepath.Join(dir, "relance-1.xlsx"))
	if got := book.GetSheetList(); len(got) != 1 || got[0] != "Relance" {
		t.Errorf("sheets %q, want Relance", got)
	}
}

func writtenReport(t *testing.T, db, path string, args ...string) *excelize.File {
	t.Helper()
	if code, _, stderr := run(t, db, append([]string{"report", "-o", path}, args...)...); code != ExitOK {
		t.Fatalf("report: %d\n%s", code, stderr)
	}
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { book.Close() })
	return book
}
