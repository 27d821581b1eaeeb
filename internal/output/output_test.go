package output

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

type record struct {
	Name  string `csv:"Nom"`
	Class string `csv:"Classe"`
	Note  string `csv:"Note" table:"-"`
	Count string `csv:"Compétences"`
}

func doc() Document {
	return Document{
		Sheets: Sheets(
			Sheet{Name: "3E1", Records: []record{{"=BONO", "3E1", "@tous", "16"}, {"DUPONT | Léa", "3E1", "-", "007"}}, Footer: "2 élèves"},
			Sheet{Name: "3E2", Records: []record{{"MARTIN", "3E2", "+1", "4"}}, Footer: "1 élève"},
		),
		JSON: []string{"x"},
	}
}

func write(t *testing.T, format string) []byte {
	t.Helper()
	w, err := New(format, []string{"table", "csv", "xlsx", "md", "json"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, doc()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCSVIsForFrenchExcelAndGuarded(t *testing.T) {
	got := string(write(t, "csv"))
	want := "\uFEFFNom;Classe;Note;Compétences\r\n'=BONO;3E1;'@tous;16\r\nDUPONT | Léa;3E1;'-;007\r\nMARTIN;3E2;'+1;4\r\n"
	if got != want {
		t.Errorf("csv =\n%q\nwant\n%q", got, want)
	}
}

// A CSV file is one table: a summary of another kind after the list (the
// counts by class under the students) is left out, not written under the
// list's header.
func TestCSVKeepsTheFirstKindOfSheet(t *testing.T) {
	type summary struct {
		Class string `csv:"Classe"`
		Total string `csv:"Total"`
	}
	d := Document{Sheets: Sheets(
		Sheet{Records: []record{{"ARNAUD", "3A", "", "10"}}},
		Sheet{Name: "Par classe", Records: []summary{{"3A", "1"}}},
		Sheet{Records: []record{{"BERTIN", "3B", "", "9"}}},
	)}
	w, _ := New("csv", []string{"csv"})
	var b bytes.Buffer
	if err := w.Write(&b, d); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFNom;Classe;Note;Compétences\r\nARNAUD;3A;;10\r\nBERTIN;3B;;9\r\n"
	if got := b.String(); got != want {
		t.Errorf("csv =\n%q\nwant\n%q", got, want)
	}
}

// A record embeds the record it extends with a column, as encoding/json
// reads embedded structs: the embedded columns stand in its place.
func TestEmbeddedRecordsAddColumns(t *testing.T) {
	type withSchool struct {
		School string `csv:"Établissement"`
		record
		After string `csv:"Après"`
	}
	d := Document{Title: "Titre *à voir*", Sheets: Sheets(Sheet{Records: []withSchool{{"Collège", record{"MARTIN", "3E2", "+1", "4"}, "fin"}}})}
	for _, tt := range []struct{ format, want string }{
		{"csv", "\uFEFFÉtablissement;Nom;Classe;Note;Compétences;Après\r\nCollège;MARTIN;3E2;'+1;4;fin\r\n"},
		{"md", "# Titre \\*à voir\\*\n\n| Établissement | Nom | Classe | Note | Compétences | Après |\n| --- | --- | --- | --- | --- | --- |\n| Collège | MARTIN | 3E2 | +1 | 4 | fin |\n"},
	} {
		w, _ := New(tt.format, []string{tt.format})
		var b bytes.Buffer
		if err := w.Write(&b, d); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("%s =\n%q\nwant\n%q", tt.format, b.String(), tt.want)
		}
	}
	w, _ := New("table", []string{"table"})
	var b bytes.Buffer
	if err := w.Write(&b, d); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "Titre *à voir*\n┌") || !strings.Contains(got, "│ Collège       │ MARTIN │ 3E2    │ 4           │ fin   │") {
		t.Errorf("table:\n%s", got)
	}
}

func TestTableLeavesOutWideColumnsAndIsNotGuarded(t *testing.T) {
	got := string(write(t, "table"))
	for _, want := range []string{"3E1\n", "=BONO", "2 élèves\n", "\n3E2\n", "1 élève\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Note") || strings.Contains(got, "'=") {
		t.Errorf("table shows a table:\"-\" column or a guard:\n%s", got)
	}
}

func TestMarkdownEscapesCells(t *testing.T) {
	got := string(write(t, "md"))
	for _, want := range []string{"## 3E1\n", "| Nom | Classe | Note | Compétences |\n", "| DUPONT \\| Léa | 3E1 | - | 007 |\n", "\n2 élèves\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("markdown lacks %q:\n%s", want, got)
		}
	}
}

func TestXLSXIsARealWorkbook(t *testing.T) {
	book, err := excelize.OpenReader(bytes.NewReader(write(t, "xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if got := book.GetSheetList(); strings.Join(got, ",") != "3E1,3E2" {
		t.Fatalf("sheets = %v, want one per class", got)
	}
	rows, _ := book.GetRows("3E1")
	if strings.Join(rows[0], ";") != "Nom;Classe;Note;Compétences" || rows[1][0] != "=BONO" || rows[1][2] != "@tous" {
		t.Errorf("rows = %q, want the header then the text as it is", rows)
	}
	// A number cell has no type attribute in the sheet's XML; text is a
	// shared or inline string.
	isText := func(cell string) bool {
		typ, err := book.GetCellType("3E1", cell)
		if err != nil {
			t.Fatal(err)
		}
		return typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
	}
	if isText("D2") {
		t.Error("count 16 written as text: Excel cannot sum it")
	}
	if !isText("D3") || !isText("A2") {
		t.Error("007 or a name written as a number")
	}
	panes, err := book.GetPanes("3E1")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v (%v), want the top row frozen", panes, err)
	}
	if w, _ := book.GetColWidth("3E1", "A"); w < 12 {
		t.Errorf("column A width %v, want it fitted to « DUPONT | Léa »", w)
	}
}

// A workbook's properties name its author and what it shows, not a
// library's author.
func TestXLSXPropertiesSayWhatItIs(t *testing.T) {
	d := doc()
	d.Title = "Collège <Jean> Moulin : fichier de relance"
	book := writeXLSX(t, d)
	props, err := book.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title != d.Title || props.Creator != "pixcert" || props.Language != "fr-FR" {
		t.Errorf("properties %+v, want the title, pixcert and fr-FR", props)
	}
	if props.Created != "" {
		t.Errorf("created %q, want nothing said of a document without a date", props.Created)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	d.Created = time.Date(2026, 3, 14, 10, 42, 5, 0, paris)
	data := xlsxBytes(t, d)
	if props, err := openXLSX(t, data).GetDocProps(); err != nil || props.Created != "2026-03-14T09:42:05Z" || props.Modified != props.Created {
		t.Errorf("properties %+v (%v), want created and modified 2026-03-14T09:42:05Z", props, err)
	}
	core := xlsxPart(t, data, "docProps/core.xml")
	for _, want := range []string{`xmlns:dcterms="http://purl.org/dc/terms/"`, `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`,
		`<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-14T09:42:05Z</dcterms:created>`} {
		if !strings.Contains(core, want) {
			t.Errorf("core.xml lacks %s:\n%s", want, core)
		}
	}
}

func TestNewRejectsWhatACommandDoesNotOffer(t *testing.T) {
	_, err := New("xlsx", []string{"table", "csv", "json"})
	if err == nil || err.Error() != "format « xlsx » inconnu : choisissez parmi table, csv, json" {
		t.Errorf("err = %v", err)
	}
	if _, err := New("CSV", []string{"csv"}); err != nil {
		t.Errorf("format names are not case-sensitive: %v", err)
	}
}

func TestFormatOfFile(t *testing.T) {
	report := []string{"csv", "xlsx", "json", "md", "html"}
	const refused = "choisissez parmi .csv, .xlsx, .json, .md, .html, .htm"
	tests := []struct {
		name     string
		accepted []string
		want     string
		err      string
	}{
		{"relance.xlsx", report, "xlsx", ""},
		{"R.CSV", report, "csv", ""},
		{"a.md", report, "md", ""},
		{"x.json", report, "json", ""},
		{"bilan.html", report, "html", ""},
		{"bilan.HTM", report, "html", ""},
		{`C:\Users\cpe\Documents\relance.xlsx`, report, "xlsx", ""},
		{"relance", report, "", ""},
		{"relance.", report, "", ""},
		{"dossier.2026/relance", report, "", ""},
		{"relance.pdf", report, "", "l'extension « .pdf » ne correspond à aucun format : " + refused},
		{"relance.PDF", report, "", "l'extension « .PDF » ne correspond à aucun format : " + refused},
		{"notes.txt", report, "", "l'extension « .txt » ne correspond à aucun format : " + refused},
		{"relance.xls", report, "", "l'extension « .xls » ne correspond à aucun format : " + refused},
		{"notes.txt", []string{"table", "csv"}, "table", ""},
		{"relance.xlsx", []string{"table", "csv"}, "", "l'extension « .xlsx » ne correspond à aucun format : choisissez parmi .txt, .csv"},
	}
	for _, tt := range tests {
		got, err := FormatOfFile(tt.name, tt.accepted)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.err {
			t.Errorf("FormatOfFile(%q, %q) = %q, %q; want %q, %q", tt.name, tt.accepted, got, gotErr, tt.want, tt.err)
		}
	}
}

func TestXLSXSheetNamesAreValidAndUnique(t *testing.T) {
	doc := Document{Sheets: Sheets(
		Sheet{Name: "3E2/A", Records: []record{{"A", "3E2/A", "", "1"}}},
		Sheet{Name: "3E2-A", Records: []record{{"B", "3E2-A", "", "1"}}},
		Sheet{Name: "3e2-a", Records: []record{{"C", "3e2-a", "", "1"}}},
		Sheet{Name: strings.Repeat("Terminale générale ", 3), Records: []record{{"D", "T", "", "1"}}},
	)}
	book := writeXLSX(t, doc)
	got := book.GetSheetList()
	want := []string{"3E2-A", "3E2-A (2)", "3e2-a (3)", "Terminale générale Terminale gé"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %q, want %q", got, want)
	}
}

// Every name Excel refuses is made one it takes: a sheet is named, 31
// characters at most (UTF-16 units), none of [ ] : * ? / \, no apostrophe
// first or last, unique without case, never History, which Excel keeps.
func TestXLSXSheetNamesAreNamesExcelTakes(t *testing.T) {
	for _, tt := range []struct {
		names []string
		want  string
	}{
		{[]string{""}, "Relance"},
		{[]string{"", ""}, "Relance|Relance (2)"},
		{[]string{"History", "history"}, "History (2)|history (3)"},
		{[]string{"'3E1'", "'", "3E1"}, "3E1|Relance|3E1 (2)"},
		{[]string{"[3E1]:*?/\\"}, "-3E1------"},
		{[]string{strings.Repeat("𝒜", 20)}, strings.Repeat("𝒜", 15)},
		{[]string{strings.Repeat("a", 31), strings.Repeat("A", 40)}, strings.Repeat("a", 31) + "|" + strings.Repeat("A", 27) + " (2)"},
		{[]string{"Lycée d'État — 2nde 1", "LYCÉE D'ÉTAT — 2NDE 1"}, "Lycée d'État — 2nde 1|LYCÉE D'ÉTAT — 2NDE 1 (2)"},
	} {
		var sheets []Sheet
		for _, name := range tt.names {
			sheets = append(sheets, Sheet{Name: name, Records: []record{{"A", name, "", "1"}}})
		}
		book := writeXLSX(t, Document{Name: "Relance", Sheets: Sheets(sheets...)})
		if got := strings.Join(book.GetSheetList(), "|"); got != tt.want {
			t.Errorf("%q: sheets %q, want %q", tt.names, got, tt.want)
		}
	}
}

// The only sheet of a document not split by class is named by what the
// document is, never Feuille 1 or Sheet1.
func TestXLSXOneSheetIsNamedByTheDocument(t *testing.T) {
	records := []record{{"DUPONT", "3E1", "", "1"}}
	for _, tt := range []struct{ name, want string }{
		{"Élèves", "Élèves"},
		{"Relance: 3E1/3E2", "Relance- 3E1-3E2"},
		{"", "Données"},
	} {
		book := writeXLSX(t, Document{Title: "Collège Jean Moulin : fichier de relance", Name: tt.name, Sheets: Sheets(Sheet{Records: records})})
		if got := book.GetSheetList(); len(got) != 1 || got[0] != tt.want {
			t.Errorf("Name %q: sheets %q, want %q", tt.name, got, tt.want)
		}
	}
}

// An empty cell is left out of the sheet; the cells after it keep their
// column.
func TestXLSXEmptyCellsKeepTheColumns(t *testing.T) {
	doc := Document{Sheets: Sheets(Sheet{Name: "3E1", Records: []record{{"DUPONT", "", "", "5"}}})}
	book := writeXLSX(t, doc)
	for cell, want := range map[string]string{"A2": "DUPONT", "B2": "", "C2": "", "D2": "5"} {
		if got, err := book.GetCellValue("3E1", cell); err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q", cell, got, err, want)
		}
	}
}

// A long workbook is measured in a first reading and written in a second,
// the same as a short one written at once.
func TestXLSXReadTwiceWritesTheSame(t *testing.T) {
	var once, twice bytes.Buffer
	if err := (xlsxWriter{}).Write(&once, doc()); err != nil {
		t.Fatal(err)
	}
	withBufferedCells(t, 2)
	if err := (xlsxWriter{}).Write(&twice, doc()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(once.Bytes(), twice.Bytes()) {
		t.Error("the workbook differs when read twice")
	}
}

func TestColumnNames(t *testing.T) {
	for c, want := range map[int]string{0: "A", 9: "J", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := columnName(c); got != want {
			t.Errorf("columnName(%d) = %s, want %s", c, got, want)
		}
	}
}

// A cell longer than Excel holds is cut at its limit, counted as Excel
// counts, in UTF-16 units.
func TestXLSXCutsWhatExcelCannotHold(t *testing.T) {
	long := strings.Repeat("é", maxCellText+5)
	if got := cutForExcel(long); utf8.RuneCountInString(got) != maxCellText {
		t.Errorf("%d characters kept, want %d", utf8.RuneCountInString(got), maxCellText)
	}
	astral := strings.Repeat("𝒜", maxCellText) // two units each
	if got := cutForExcel(astral); utf8.RuneCountInString(got) != maxCellText/2 {
		t.Errorf("%d astral characters kept, want %d", utf8.RuneCountInString(got), maxCellText/2)
	}
	if short := "DUPONT"; cutForExcel(short) != short {
		t.Error("a short cell was cut")
	}
}

// writeXLSX writes doc as a workbook and opens it again with excelize, as
// the import reads workbooks.
func writeXLSX(t *testing.T, doc Document) *excelize.File {
	t.Helper()
	return openXLSX(t, xlsxBytes(t, doc))
}

func xlsxBytes(t *testing.T, doc Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (xlsxWriter{}).Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { book.Close() })
	return book
}

// xlsxPart is the text of a part of a workbook, for what excelize does not
// tell.
func xlsxPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A text that a spreadsheet would run as a formula is written as a string,
// which Excel never runs, without CSV's apostrophe: its value is the text as
// it is, and its format is marked quotePrefix, as Excel marks what is typed
// after an apostrophe, so that editing the cell again keeps it text.
func TestXLSXFormulaGuardIsAStringWithoutApostrophe(t *testing.T) {
	texts := []string{"=1+1", "+33 6 12 34 56 78", "-", "@tous", `=HYPERLINK("http://e.vil","clic")`, "-5"}
	var records []record
	for _, s := range texts {
		records = append(records, record{Name: s, Class: "3E1"})
	}
	data := xlsxBytes(t, Document{Sheets: Sheets(Sheet{Name: "3E1", Records: records})})
	book := openXLSX(t, data)
	var styles struct {
		Xfs []struct {
			QuotePrefix bool `xml:"quotePrefix,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal([]byte(xlsxPart(t, data, "xl/styles.xml")), &styles); err != nil {
		t.Fatal(err)
	}
	for i, want := range texts {
		cell := fmt.Sprintf("A%d", i+2)
		if got, err := book.GetCellValue("3E1", cell, excelize.Options{RawCellValue: true}); err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q exactly", cell, got, err, want)
		}
		if f, err := book.GetCellFormula("3E1", cell); err != nil || f != "" {
			t.Errorf("%s has formula %q, %v; want none", cell, f, err)
		}
		if typ, _ := book.GetCellType("3E1", cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s is of type %v, want a string", cell, typ)
		}
		style, err := book.GetCellStyle("3E1", cell)
		if err != nil || style >= len(styles.Xfs) || !styles.Xfs[style].QuotePrefix {
			t.Errorf("%s has format %d (%v), not marked quotePrefix", cell, style, err)
		}
	}
	if style, _ := book.GetCellStyle("3E1", "B2"); style < len(styles.Xfs) && styles.Xfs[style].QuotePrefix {
		t.Error("a plain text is marked quotePrefix")
	}
	if sheet := xlsxPart(t, data, "xl/worksheets/sheet1.xml"); strings.Contains(sheet, "<f") {
		t.Errorf("a formula in the sheet:\n%s", sheet)
	}
}

// A count is digits alone: a sign is text someone typed, kept as typed.
func TestXLSXCountsAreDigitsAlone(t *testing.T) {
	for cell, want := range map[string]bool{"0": true, "16": true, "123456789": true, "007": false, "+1": false, "-5": false, " 4": false, "1e3": false, "1234567890": false, "": false} {
		if _, ok := count(cell); ok != want {
			t.Errorf("count(%q) ok = %v, want %v", cell, ok, want)
		}
	}
}

type datedRecord struct {
	Name  string `csv:"Nom"`
	Birth string `csv:"Date de naissance" xlsx:"date"`
	Sent  string `csv:"Dernier envoi" xlsx:"datetime"`
}

// A date column's cells are dates in a workbook: Excel's serial numbers,
// shown jj/mm/aaaa (hh:mm), which sort and compute as dates. A cell that is
// not a date stays as it is. Other formats write the text.
func TestXLSXDatesAreDates(t *testing.T) {
	records := []datedRecord{
		{"DUPONT", "14/03/2011", "14/03/2026 10:42"},
		{"MARTIN", "", ""},
		{"PETIT", "inconnue", "02/03/2026"},
		{"ROUX", "31/02/2011", "14/03/2026 25:00"},
		{"ANCIEN", "31/12/1899", "01/01/1900 00:00"},
		{"LOTUS", "28/02/1900", "01/03/1900 12:00"},
		{"FIN", "31/12/9999", "31/12/9999 23:59"},
		{"ISO", "2011-03-14", "14/03/2026 10:42 (Collecte)"},
		{"=DATE", "=DATE(2011;3;14)", "-"},
	}
	doc := Document{Sheets: Sheets(Sheet{Name: "3E1", Records: records})}
	book := writeXLSX(t, doc)
	numFmt := func(cell string) string {
		t.Helper()
		id, err := book.GetCellStyle("3E1", cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := book.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if style.CustomNumFmt == nil {
			return fmt.Sprint(style.NumFmt)
		}
		return *style.CustomNumFmt
	}
	for _, tt := range []struct {
		cell, raw, shown, format string // format "" for a text
	}{
		{"B2", "40616", "14/03/2011", "dd/mm/yyyy"},
		{"C2", "46095.44583333333", "14/03/2026 10:42", "dd/mm/yyyy hh:mm"},
		{"B3", "", "", ""},
		{"C3", "", "", ""},
		{"B4", "inconnue", "inconnue", ""},
		{"C4", "46083", "02/03/2026", "dd/mm/yyyy"}, // a date alone in a column of date-times
		{"B5", "31/02/2011", "31/02/2011", ""},
		{"C5", "14/03/2026 25:00", "14/03/2026 25:00", ""},
		{"B6", "31/12/1899", "31/12/1899", ""}, // before Excel's first day
		{"C6", "1", "01/01/1900 00:00", "dd/mm/yyyy hh:mm"},
		{"B7", "59", "28/02/1900", "dd/mm/yyyy"},
		{"C7", "61.5", "01/03/1900 12:00", "dd/mm/yyyy hh:mm"},
		{"B8", "2958465", "31/12/9999", "dd/mm/yyyy"},
		{"C8", "2958465.9993055556", "31/12/9999 23:59", "dd/mm/yyyy hh:mm"},
		{"B9", "2011-03-14", "2011-03-14", ""},
		{"C9", "14/03/2026 10:42 (Collecte)", "14/03/2026 10:42 (Collecte)", ""},
		{"B10", "=DATE(2011;3;14)", "=DATE(2011;3;14)", ""},
	} {
		raw, err := book.GetCellValue("3E1", tt.cell, excelize.Options{RawCellValue: true})
		if err != nil || raw != tt.raw {
			t.Errorf("%s = %q (%v), want %q", tt.cell, raw, err, tt.raw)
		}
		if shown, _ := book.GetCellValue("3E1", tt.cell); shown != tt.shown {
			t.Errorf("%s shows %q, want %q", tt.cell, shown, tt.shown)
		}
		typ, _ := book.GetCellType("3E1", tt.cell)
		isText := typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString
		switch {
		case tt.format != "" && (isText || numFmt(tt.cell) != tt.format):
			t.Errorf("%s: type %v, format %s; want a number shown %s", tt.cell, typ, numFmt(tt.cell), tt.format)
		case tt.format == "" && tt.raw != "" && !isText:
			t.Errorf("%s: type %v, want text", tt.cell, typ)
		}
	}
	if f, _ := book.GetCellFormula("3E1", "B10"); f != "" {
		t.Errorf("B10 has formula %q", f)
	}
	// CSV, as every format but the workbook, writes the text.
	var b bytes.Buffer
	if err := (csvWriter{}).Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\r\nDUPONT;14/03/2011;14/03/2026 10:42\r\n") || !strings.Contains(b.String(), "\r\n'=DATE;\"'=DATE(2011;3;14)\";'-\r\n") {
		t.Errorf("csv:\n%s", b.String())
	}
}

// A mistake in a record's xlsx tag is found by the first test that writes
// it.
func TestUnknownXLSXTagIsAMistake(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("xlsx:\"jour\" accepted")
		}
	}()
	type wrong struct {
		Day string `csv:"Jour" xlsx:"jour"`
	}
	columnsOf(wrong{}, false)
}

// Each sheet's header filters its rows, as Excel's Données > Filtrer sets
// it: an autoFilter over the header and the rows, and the hidden name
// Excel keeps beside it.
func TestXLSXHeaderFilters(t *testing.T) {
	data := xlsxBytes(t, Document{Sheets: Sheets(
		Sheet{Name: "3E1", Records: []record{{"A", "3E1", "", "1"}, {"B", "3E1", "", "2"}}},
		Sheet{Name: "L'an 2", Records: []record{}},
	)})
	book := openXLSX(t, data)
	for i, ref := range []string{"A1:D3", "A1:D1"} {
		sheet := xlsxPart(t, data, fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1))
		for _, want := range []string{`<dimension ref="` + ref + `"/>`, `<autoFilter ref="` + ref + `"/>`} {
			if !strings.Contains(sheet, want) {
				t.Errorf("sheet %d lacks %s:\n%s", i+1, want, sheet)
			}
		}
	}
	want := map[string]string{"3E1": "'3E1'!$A$1:$D$3", "L'an 2": "'L''an 2'!$A$1:$D$1"}
	found := 0
	for _, name := range book.GetDefinedName() {
		if name.Name != "_xlnm._FilterDatabase" {
			continue
		}
		found++
		if want[name.Scope] != name.RefersTo {
			t.Errorf("filter of %q = %q, want %q", name.Scope, name.RefersTo, want[name.Scope])
		}
	}
	if found != 2 {
		t.Errorf("%d filtered ranges named, want 2: %+v", found, book.GetDefinedName())
	}
}

// A document read a second time to be written must be the one measured:
// else what was measured (widths, ranges) would be wrong.
func TestASecondReadingThatDiffersIsAnError(t *testing.T) {
	withBufferedCells(t, 1)
	for _, tt := range []struct {
		name    string
		records [2]int // at each reading
		sheets  [2]int
	}{
		{"more records", [2]int{2, 3}, [2]int{1, 1}},
		{"fewer records", [2]int{2, 1}, [2]int{1, 1}},
		{"fewer sheets", [2]int{2, 2}, [2]int{2, 1}},
		{"more sheets", [2]int{2, 2}, [2]int{1, 2}},
	} {
		for _, w := range []Writer{xlsxWriter{}, tableWriter{}} {
			reading := 0
			doc := Document{Sheets: func(sw SheetWriter) error {
				n := reading
				reading++
				for s := range tt.sheets[n] {
					if err := sw.Begin(fmt.Sprint(s), record{}); err != nil {
						return err
					}
					for i := range tt.records[n] {
						if err := sw.Record(record{Name: fmt.Sprint(i)}); err != nil {
							return err
						}
					}
					if err := sw.End(""); err != nil {
						return err
					}
				}
				return nil
			}}
			if err := w.Write(io.Discard, doc); err != errChanged {
				t.Errorf("%s, %T: err = %v, want %v", tt.name, w, err, errChanged)
			}
		}
	}
}

type followUp struct {
	Name   string `csv:"Nom"`
	Old    string `csv:"Envoyé avant la dernière collecte"`
	Date   string `csv:"Date de l'envoi" xlsx:"date"`
	ToWork string `csv:"À travailler"`
}

// Columns fit their content, within bounds: a long column is capped and
// wraps its text, a long header over short values wraps rather than widen
// its column, and leaves room for its filter button.
func TestXLSXColumnsFitTheirContent(t *testing.T) {
	long := "5.2 Construire un environnement numérique (7/8 pix) ; 1.2 Gérer des données (0/8 pix) ; 1.3 Traiter des données (0/8 pix) ; 2.1 Interagir (0/8 pix)"
	book := writeXLSX(t, Document{Sheets: Sheets(Sheet{Name: "3E2", Records: []followUp{
		{"ROUSSEAU", "oui", "11/03/2026", long},
		{"=MARTIN", "", "02/03/2026", "=" + long},
		{"DUPONT", "", "14/03/2026", ""},
	}})})
	for col, want := range map[string]float64{"A": 10, "B": 22, "C": 19, "D": 52} {
		if got, err := book.GetColWidth("3E2", col); err != nil || got != want {
			t.Errorf("column %s is %v wide (%v), want %v", col, got, err, want)
		}
	}
	wraps := func(cell string) bool {
		t.Helper()
		id, err := book.GetCellStyle("3E2", cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := book.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return style.Alignment != nil && style.Alignment.WrapText
	}
	for cell, want := range map[string]bool{"A1": true, "B1": true, "D1": true, "A2": false, "B2": false, "C2": false, "D2": true, "A3": false, "D3": true} {
		if wraps(cell) != want {
			t.Errorf("%s wraps its text: %v, want %v", cell, !want, want)
		}
	}
	if v, _ := book.GetCellValue("3E2", "D3"); v != "="+long {
		t.Errorf("D3 = %q", v)
	}
	if v, _ := book.GetCellValue("3E2", "C2", excelize.Options{RawCellValue: true}); v != "46092" {
		t.Errorf("C2 = %q, want a date", v)
	}
}

// A sheet prints as a list should: A4 in landscape, as wide as the page
// and as long as it needs, its header over every page with the title (and
// the class when there are several sheets), « Page 1 sur 3 » under it.
func TestXLSXPrintsOnA4FitToWidth(t *testing.T) {
	d := doc()
	d.Title = "Collège Jean & Paul : fichier de relance"
	book := writeXLSX(t, d)
	titles := map[string]string{}
	for _, name := range book.GetDefinedName() {
		if name.Name == "_xlnm.Print_Titles" {
			titles[name.Scope] = name.RefersTo
		}
	}
	for _, sheet := range []string{"3E1", "3E2"} {
		layout, err := book.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if *layout.Orientation != "landscape" || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 ||
			layout.FitToHeight == nil || *layout.FitToHeight != 0 {
			t.Errorf("%s: orientation %s, paper %d, fit to %v wide %v high; want landscape, A4 (9), 1 page wide",
				sheet, *layout.Orientation, *layout.Size, layout.FitToWidth, layout.FitToHeight)
		}
		if props, err := book.GetSheetProps(sheet); err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fitToPage not set (%v)", sheet, err)
		}
		if want := "'" + sheet + "'!$1:$1"; titles[sheet] != want {
			t.Errorf("%s: rows printed on every page %q, want %q", sheet, titles[sheet], want)
		}
		hf, err := book.GetHeaderFooter(sheet)
		if err != nil || hf == nil {
			t.Fatalf("%s: no header or footer (%v)", sheet, err)
		}
		if hf.OddHeader != "&LCollège Jean && Paul : fichier de relance&R&A" || hf.OddFooter != "&CPage &P sur &N" {
			t.Errorf("%s: header %q, footer %q", sheet, hf.OddHeader, hf.OddFooter)
		}
		panes, err := book.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v (%v), want the header row frozen", sheet, panes, err)
		}
	}
	// One sheet: no sheet name beside the title.
	d.Sheets = Sheets(Sheet{Records: []record{{"A", "3E1", "", "1"}}})
	if hf, err := writeXLSX(t, d).GetHeaderFooter("Données"); err != nil || hf.OddHeader != "&LCollège Jean && Paul : fichier de relance" {
		t.Errorf("header %+v (%v)", hf, err)
	}
}

// A page header holds 255 characters, its codes included; a doubled &
// counts two.
func TestPageHeaderIsCutToWhatExcelHolds(t *testing.T) {
	for _, tt := range []struct {
		title  string
		sheets int
		want   string
	}{
		{"", 1, ""},
		{"", 2, "&R&A"},
		{"Lycée", 1, "&LLycée"},
		{"A & B", 2, "&LA && B&R&A"},
		{strings.Repeat("é", 253), 1, "&L" + strings.Repeat("é", 253)},
		{strings.Repeat("é", 254), 1, "&L" + strings.Repeat("é", 252) + "…"},
		{strings.Repeat("é", 300), 2, "&L" + strings.Repeat("é", 248) + "…&R&A"},
		{strings.Repeat("&", 200), 1, "&L" + strings.Repeat("&", 252) + "…"},
	} {
		got := pageHeader(tt.title, tt.sheets)
		if got != tt.want {
			t.Errorf("pageHeader(%q, %d) = %q, want %q", tt.title, tt.sheets, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > maxPageHeader {
			t.Errorf("pageHeader(%q) is %d characters", tt.title, n)
		}
	}
}
