package output

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pixcert/pixcert/internal/visible"
)

// xlsxWriter writes a real workbook: a sheet per document sheet, a bold
// frozen header row, columns as wide as their content, counts as numbers so
// Excel can sum them, dates as dates (a date column's cells, see
// SheetWriter), text guarded against formulas.
//
// The guard of a workbook is not CSV's apostrophe: a cell written as a
// string is never run as a formula, and Excel shows its text as it is. A
// text that would be one (= + - @) is written as Excel writes what is typed
// after an apostrophe: the text alone, in a format marked quotePrefix,
// which keeps it text when the cell is edited again.
//
// It writes the SpreadsheetML parts (ECMA-376) itself, one after the other
// into the zip, a row at a time: excelize, which reads workbooks at import,
// keeps every sheet until it writes the file, and a report --by-class of an
// académie's 32,000 classes took it over 500 MB and minutes. The workbooks
// are checked by reading them back with excelize.
type xlsxWriter struct{}

// maxSheetName is Excel's limit on a sheet's name.
const maxSheetName = 31

// maxCellText is Excel's limit on a cell's text, in UTF-16 units.
const maxCellText = 32767

func (xlsxWriter) Write(w io.Writer, doc Document) error {
	// Widths, the frozen header and the list of sheets come before the
	// rows: the sheets are measured first.
	m := &measurer{cell: func(s string) string { return s }, width: utf8.RuneCountInString}
	if err := doc.Sheets(m); err != nil {
		return err
	}
	if len(m.sheets) == 0 {
		return fmt.Errorf("classeur sans feuille")
	}
	x := &xlsxSheets{zip: zip.NewWriter(w), title: visible.Escape(doc.Title), created: doc.Created, layouts: m.sheets}
	// Excel keeps the name History for a workbook's change history.
	used := map[string]bool{"history": true}
	unnamed := sheetName(visible.Escape(doc.Name), "Données")
	for _, s := range m.sheets {
		// A sheet's name is a label, not data: what a terminal would act
		// on is shown escaped there too.
		x.names = append(x.names, uniqueSheetName(sheetName(visible.Escape(s.name), unnamed), used))
	}
	x.pageHeader = pageHeader(x.title, len(x.names))
	if err := x.writePackage(); err != nil {
		return err
	}
	if err := replay(doc, m, x); err != nil {
		return err
	}
	return x.zip.Close()
}

// xlsxSheets writes measured sheets into the zip of a workbook.
type xlsxSheets struct {
	zip *zip.Writer
	// The document's title and date, in its properties (File > Info in
	// Excel).
	title   string
	created time.Time
	names   []string       // of the sheets, as Excel takes them
	layouts []*sheetLayout // of the sheets, as measured
	w       *bufio.Writer  // the part being written
	sheet   int            // being written, from 1
	rowNum  int
	layout  *sheetLayout // of the sheet being written
	// The header of every printed page.
	pageHeader string
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const (
	nsMain          = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPackageRels   = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// The cell formats of styles, by index. A text's format is followed by its
// twin that wraps the text, for the cells of a long column.
const (
	styleDefault     = iota
	styleWrap        // text on several lines
	styleFormula     // text that would be a formula if typed: quotePrefix
	styleFormulaWrap // and on several lines
	styleHeader      // bold, on several lines
	styleDate        // jj/mm/aaaa
	styleDateTime    // jj/mm/aaaa hh:mm
)

// styles holds the cell formats a workbook uses. Its number formats, 164
// and up as a workbook's own are numbered, show dates as French Excel does;
// a format's code is in Excel's terms whatever its language, and French
// Excel shows dd/mm/yyyy as jj/mm/aaaa.
const styles = `<styleSheet xmlns="` + nsMain + `">` +
	`<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyAlignment="1"><alignment wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1"/></xf>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

// writePackage writes the parts before the sheets: content types,
// relationships, the workbook and its list of sheets, the styles. Each is
// written into the zip as it goes: an académie's report has 32,000 sheets.
func (x *xlsxSheets) writePackage() error {
	for _, part := range []struct {
		name  string
		write func(w *bufio.Writer)
	}{
		{"[Content_Types].xml", x.contentTypes},
		{"_rels/.rels", func(w *bufio.Writer) {
			w.WriteString(`<Relationships xmlns="` + nsPackageRels + `"><Relationship Id="rId1" Type="` + nsRelationships +
				`/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="` + nsPackageRels +
				`/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`)
		}},
		{"docProps/core.xml", func(w *bufio.Writer) { w.WriteString(x.coreProperties()) }},
		{"xl/workbook.xml", x.workbook},
		{"xl/_rels/workbook.xml.rels", x.workbookRelationships},
		{"xl/styles.xml", func(w *bufio.Writer) { w.WriteString(styles) }},
	} {
		f, err := x.zip.Create(part.name)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 64<<10)
		w.WriteString(xmlHeader)
		part.write(w)
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func (x *xlsxSheets) contentTypes(w *bufio.Writer) {
	w.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`)
	for i := range x.names {
		fmt.Fprintf(w, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	w.WriteString(`</Types>`)
}

// workbook writes the list of sheets and the names Excel gives a sheet's
// ranges: its filtered range (_xlnm._FilterDatabase, hidden, as Excel keeps
// it beside each autoFilter), and its header, printed over every page
// (_xlnm.Print_Titles, Excel's « Lignes à répéter en haut »).
func (x *xlsxSheets) workbook(w *bufio.Writer) {
	w.WriteString(`<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRelationships + `"><bookViews><workbookView/></bookViews><sheets>`)
	for i, name := range x.names {
		fmt.Fprintf(w, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, xmlText(name), i+1, i+1)
	}
	w.WriteString(`</sheets>`)
	names := false
	for i, name := range x.names {
		ref := x.layouts[i].ref()
		if ref == "" {
			continue
		}
		if !names {
			w.WriteString(`<definedNames>`)
			names = true
		}
		fmt.Fprintf(w, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">%s</definedName>`,
			i, xmlText(sheetReference(name)+"!"+absoluteRef(ref)))
	}
	for i, name := range x.names {
		if x.layouts[i].ref() != "" {
			fmt.Fprintf(w, `<definedName name="_xlnm.Print_Titles" localSheetId="%d">%s</definedName>`, i, xmlText(sheetReference(name)+"!$1:$1"))
		}
	}
	if names {
		w.WriteString(`</definedNames>`)
	}
	w.WriteString(`</workbook>`)
}

func (x *xlsxSheets) workbookRelationships(w *bufio.Writer) {
	w.WriteString(`<Relationships xmlns="` + nsPackageRels + `">`)
	for i := range x.names {
		fmt.Fprintf(w, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, nsRelationships, i+1)
	}
	fmt.Fprintf(w, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, len(x.names)+1, nsRelationships)
	w.WriteString(`</Relationships>`)
}

// ref is the range of a sheet's header and rows, "A1:K9"; "" for a sheet
// without columns.
func (s *sheetLayout) ref() string {
	if len(s.columns.headers) == 0 {
		return ""
	}
	return "A1:" + columnName(len(s.columns.headers)-1) + strconv.Itoa(s.records+1)
}

// absoluteRef makes a range such as A1:K9 absolute, $A$1:$K$9, as names
// refer to ranges.
func absoluteRef(ref string) string {
	from, to, _ := strings.Cut(ref, ":")
	abs := func(cell string) string {
		i := strings.IndexAny(cell, "0123456789")
		return "$" + cell[:i] + "$" + cell[i:]
	}
	return abs(from) + ":" + abs(to)
}

// sheetReference is a sheet's name as a formula names it: quoted, its
// apostrophes doubled.
func sheetReference(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// coreProperties are the workbook's properties. The author is pixcert, not
// a library's; the title says what the workbook shows; the language is
// French, for Excel's spelling and proofing.
func (x *xlsxSheets) coreProperties() string {
	var b strings.Builder
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + xmlText(x.title) + `</dc:title><dc:creator>pixcert</dc:creator><dc:language>fr-FR</dc:language>`)
	if !x.created.IsZero() {
		// W3CDTF, in UTC as Excel writes it.
		when := x.created.UTC().Format("2006-01-02T15:04:05Z")
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + when + `</dcterms:created>` +
			`<dcterms:modified xsi:type="dcterms:W3CDTF">` + when + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

func (x *xlsxSheets) begin(s *sheetLayout) error {
	x.sheet++
	f, err := x.zip.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", x.sheet))
	if err != nil {
		return err
	}
	x.w, x.rowNum, x.layout = bufio.NewWriterSize(f, 64<<10), 1, s
	// Printed to fit the page's width: the rows go on as many pages as
	// they need.
	x.w.WriteString(xmlHeader + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRelationships + `">` +
		`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`)
	if ref := s.ref(); ref != "" {
		x.w.WriteString(`<dimension ref="` + ref + `"/>`)
	}
	tab := ""
	if x.sheet == 1 {
		tab = ` tabSelected="1"` // the sheet the workbook opens on
	}
	x.w.WriteString(`<sheetViews><sheetView` + tab + ` workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	if len(s.widths) > 0 {
		x.w.WriteString("<cols>")
		for c, h := range s.columns.headers {
			fmt.Fprintf(x.w, `<col min="%d" max="%d" width="%d" customWidth="1"/>`, c+1, c+1, columnWidth(h, s.cellWidths[c]))
		}
		x.w.WriteString("</cols>")
	}
	x.w.WriteString(`<sheetData><row r="1">`)
	for c, h := range s.columns.headers {
		x.text(columnName(c)+"1", styleHeader, h)
	}
	x.w.WriteString("</row>")
	return nil
}

func (x *xlsxSheets) row(cells []string) error {
	x.rowNum++
	n := strconv.Itoa(x.rowNum)
	x.w.WriteString(`<row r="` + n + `">`)
	kinds, widest := x.layout.columns.kinds, x.layout.cellWidths
	for c, cell := range cells {
		if kinds[c] != kindText {
			if serial, style, ok := excelDate(cell, kinds[c]); ok {
				x.w.WriteString(`<c r="` + columnName(c) + n + `" s="` + strconv.Itoa(style) + `"><v>` + serial + `</v></c>`)
				continue
			}
			// Not a date: written as it is, below.
		}
		switch v, ok := count(cell); {
		case ok:
			x.w.WriteString(`<c r="` + columnName(c) + n + `"><v>` + strconv.FormatInt(v, 10) + `</v></c>`)
		case cell == "": // left out of the sheet
		default:
			style := styleDefault
			if formulaLike(cell) {
				style = styleFormula
			}
			if widest[c] > maxColumnWidth {
				style++ // its wrapping twin
			}
			x.text(columnName(c)+n, style, cell)
		}
	}
	_, err := x.w.WriteString("</row>")
	return err
}

// text writes a cell of text, an inline string: a string cell is never
// run as a formula, whatever its text.
func (x *xlsxSheets) text(ref string, style int, s string) {
	x.w.WriteString(`<c r="` + ref + `"`)
	if style != styleDefault {
		x.w.WriteString(` s="` + strconv.Itoa(style) + `"`)
	}
	x.w.WriteString(` t="inlineStr"><is><t xml:space="preserve">` + xmlText(cutForExcel(s)) + `</t></is></c>`)
}

func (x *xlsxSheets) end(string) error {
	x.w.WriteString("</sheetData>")
	if ref := x.layout.ref(); ref != "" {
		// Filters on the header, as Excel's Données > Filtrer sets them.
		x.w.WriteString(`<autoFilter ref="` + ref + `"/>`)
	}
	// Excel's default margins; A4 in landscape, where a list's columns
	// fit better; the title and the sheet over each page, its number
	// under it.
	x.w.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
		`<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>` +
		`<headerFooter>`)
	if x.pageHeader != "" {
		x.w.WriteString(`<oddHeader>` + xmlText(x.pageHeader) + `</oddHeader>`)
	}
	x.w.WriteString(`<oddFooter>` + xmlText(pageFooter) + `</oddFooter></headerFooter></worksheet>`)
	return x.w.Flush()
}

// pageFooter is what Excel's own footer « Page 1 sur 3 » writes.
const pageFooter = "&CPage &P sur &N"

// maxPageHeader is Excel's limit on a page header, codes included.
const maxPageHeader = 255

// pageHeader is what a printed page shows over its rows: the document's
// title on the left and, when the workbook has several sheets, the sheet's
// name (&A) on the right. An & of the title is doubled, as Excel writes it:
// a single one starts a code (&P, a font...).
func pageHeader(title string, sheets int) string {
	right := ""
	if sheets > 1 {
		right = "&R&A"
	}
	if title == "" {
		return right
	}
	room := maxPageHeader - len("&L") - len(right)
	escaped := strings.ReplaceAll(title, "&", "&&")
	if utf8.RuneCountInString(escaped) > room {
		var b strings.Builder
		used := 1 // the ellipsis
		for _, r := range title {
			size := 1
			if r == '&' {
				size = 2
			}
			if used += size; used > room {
				break
			}
			b.WriteString(strings.Repeat(string(r), size))
		}
		escaped = b.String() + "…"
	}
	return "&L" + escaped + right
}

// xmlText escapes text for XML; a character XML cannot hold (a control)
// becomes U+FFFD, as in excelize's workbooks.
func xmlText(s string) string {
	if !needsXMLEscape(s) {
		return s
	}
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// needsXMLEscape tells whether s holds a character XML escapes or cannot
// hold.
func needsXMLEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || strings.IndexByte(`<>&'"`, c) >= 0 {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xfffe || r == 0xffff {
			return true
		}
		i += size
	}
	return false
}

// cutForExcel cuts a text to what a cell of Excel holds.
func cutForExcel(s string) string {
	if len(s) <= maxCellText {
		return s
	}
	units := 0
	for i, r := range s {
		if units += utf16Units(r); units > maxCellText {
			return s[:i]
		}
	}
	return s
}

func utf16Units(r rune) int {
	if r > 0xffff {
		return 2
	}
	return 1
}

// columnName is the letters of a column, from 0: A, B... Z, AA...
func columnName(c int) string {
	name := ""
	for c++; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return name
}

// Columns are as wide as their widest cell up to maxColumnWidth
// characters; a longer column wraps its text, which Excel shows on as many
// lines as it needs (it sizes the rows of wrapped text as it opens the
// workbook). A header longer than headerWidth wraps too, so that a long
// name over short values (« Envoyé avant la dernière collecte » over
// « oui ») does not widen its column: printed to fit the page's width,
// every column costs.
const (
	maxColumnWidth = 50
	headerWidth    = 18
)

// columnWidth is the width of a column of header whose widest cell is
// widest characters: enough for widest, and for the header on one line, or
// on lines of headerWidth when it is longer, its longest word whole. Two
// characters more leave room around a cell's text, as Excel's own fitting
// does; the header's filter button takes two more.
func columnWidth(header string, widest int) int {
	longestWord := 0
	for _, word := range strings.Fields(header) {
		longestWord = max(longestWord, utf8.RuneCountInString(word))
	}
	headerLine := max(longestWord, min(utf8.RuneCountInString(header), headerWidth))
	return min(max(widest+2, headerLine+4), maxColumnWidth+2)
}

// excelDate reads a date cell, jj/mm/aaaa, or jj/mm/aaaa hh:mm in a column
// of date-times, as Excel stores it: the days since 30/12/1899 (its serial
// number), the time as a fraction of a day, and the format that shows it.
// Anything else is not a date (ok false): an empty cell, a text, a date
// that does not exist, a date before 1900, which Excel cannot hold.
func excelDate(cell string, kind cellKind) (serial string, style int, ok bool) {
	t, err := time.Parse("02/01/2006", cell)
	style = styleDate
	if err != nil && kind == kindDateTime {
		t, err = time.Parse("02/01/2006 15:04", cell)
		style = styleDateTime
	}
	if err != nil || t.Year() < 1900 {
		return "", 0, false
	}
	days := (t.Unix() - excelEpoch.Unix()) / (24 * 60 * 60) // a Duration holds 292 years only
	if days < 61 {
		// Excel counts a 29/02/1900, as Lotus 1-2-3 did: its days before
		// 01/03/1900 are one fewer.
		days--
	}
	if style == styleDate {
		return strconv.FormatInt(days, 10), style, true
	}
	minutes := t.Hour()*60 + t.Minute()
	return strconv.FormatFloat(float64(days)+float64(minutes)/(24*60), 'f', -1, 64), style, true
}

// excelEpoch is the day 0 of Excel's serial numbers from 01/03/1900 on.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// count reads a cell that is a small whole number written in digits alone,
// without leading zero: a count, not an identifier. A sign makes it text
// ("+1", "-5" in a name or a note are what was typed, not numbers).
func count(cell string) (int64, bool) {
	if cell == "" || len(cell) > 9 || (len(cell) > 1 && cell[0] == '0') {
		return 0, false
	}
	var n int64
	for i := 0; i < len(cell); i++ {
		if cell[i] < '0' || cell[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(cell[i]-'0')
	}
	return n, true
}

// uniqueSheetName adds a number to a name already taken in the workbook,
// compared as Excel does, without case: two classes may clean or cut to
// the same name.
func uniqueSheetName(name string, used map[string]bool) string {
	candidate := name
	for n := 2; used[strings.ToLower(candidate)]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		candidate = cutSheetName(name, maxSheetName-len(suffix)) + suffix
	}
	used[strings.ToLower(candidate)] = true
	return candidate
}

// sheetName makes a valid Excel sheet name of name, or of unnamed when
// there is nothing left of it: no character Excel refuses ([ ] : * ? / \),
// no apostrophe first or last, at most 31 characters.
func sheetName(name, unnamed string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, name)
	name = strings.Trim(cutSheetName(name, maxSheetName), "'")
	if name == "" {
		return unnamed
	}
	return name
}

// cutSheetName cuts a sheet's name to n characters, counted as Excel
// counts, in UTF-16 units.
func cutSheetName(name string, n int) string {
	units := 0
	for i, r := range name {
		if units += utf16Units(r); units > n {
			return name[:i]
		}
	}
	return name
}
