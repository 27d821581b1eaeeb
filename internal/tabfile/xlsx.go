package tabfile

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/visible"
)

// workbookHint ends the message of a workbook past a limit.
const workbookHint = "Ouvrez-le dans Excel et enregistrez la feuille des élèves ou des résultats au format « CSV (séparateur : point-virgule) », que pixcert lit sans ces limites."

// Workbook is an Excel workbook, opened once: checked against the limits of
// package limits, then opened by excelize, which extracts its big sheets to
// a temporary folder of the workbook's own that Close removes. Its sheets
// are read from there, as many times as needed.
type Workbook struct {
	Name   string
	Sheets []string
	// InMemory is what the workbook holds in memory while it is open, in
	// bytes of its parts: everything but the sheets and shared strings
	// extracted to files.
	InMemory int64

	book *excelize.File
	tmp  string
}

// OpenWorkbook opens the workbook r of size bytes, which excelize reads
// again at path, named name in messages. It may hold at most maxInMemory
// bytes in memory (see Workbook.InMemory), and never more than
// limits.MaxWorkbookInMemoryBytes. Problems, and limits passed, come back
// as *fileerr.Error.
func OpenWorkbook(name string, r io.ReaderAt, size int64, path string, maxInMemory int64) (*Workbook, error) {
	w := &Workbook{Name: name}
	if err := w.check(r, size, maxInMemory); err != nil {
		return nil, err
	}
	// excelize leaves the files it extracted behind when opening fails
	// half-way: a folder of their own is removed whatever happens.
	tmp, err := os.MkdirTemp("", "pixcert-classeur-")
	if err != nil {
		return nil, err
	}
	book, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    limits.MaxWorkbookBytes,
		UnzipXMLSizeLimit: limits.WorkbookXMLInMemory,
		TmpDir:            tmp,
		// French Excel's built-in date formats (jj/mm/aaaa hh:mm) rather
		// than the US ones (m-d-yy).
		ShortDatePattern: "dd/mm/yyyy",
		LongTimePattern:  "hh:mm",
	})
	if err != nil {
		if book != nil {
			book.Close()
		}
		os.RemoveAll(tmp)
		return nil, unreadable(name, err)
	}
	w.book, w.tmp = book, tmp
	w.Sheets = book.GetSheetList()
	switch {
	case len(w.Sheets) == 0:
		w.Close()
		return nil, &fileerr.Error{File: name, Msg: errEmpty}
	case len(w.Sheets) > limits.MaxSheets:
		n := len(w.Sheets)
		w.Close()
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("le classeur a %s feuilles, au-delà des %d acceptées. %s", limits.Count(int64(n)), limits.MaxSheets, workbookHint)}
	}
	return w, nil
}

func unreadable(name string, err error) error {
	return &fileerr.Error{File: name, Msg: fmt.Sprintf("classeur Excel illisible (%v) : ouvrez-le dans Excel et enregistrez-le à nouveau, en .xlsx ou en CSV.", err)}
}

// check reads the table of contents of the workbook, and every XML part
// through limits.ScanXML, before excelize holds any of it: excelize keeps
// each part but the big sheets whole in memory, decodes some whole, and
// the shared strings with them.
func (w *Workbook) check(r io.ReaderAt, size int64, maxInMemory int64) error {
	zr, err := limits.OpenZip(w.Name, r, size, "le classeur", workbookHint)
	if err == nil {
		err = limits.CheckZip(w.Name, zr, size, limits.Zip{MaxEntryBytes: limits.MaxWorkbookBytes, MaxTotalBytes: limits.MaxWorkbookBytes,
			Of: "le classeur", Hint: workbookHint})
	}
	var fe *fileerr.Error
	if errors.As(err, &fe) {
		return fe
	}
	if err != nil {
		return unreadable(w.Name, err)
	}
	fail := func(format string, args ...any) error {
		return &fileerr.Error{File: w.Name, Msg: fmt.Sprintf(format, args...) + " " + workbookHint}
	}
	sheets := 0
	for _, f := range zr.File {
		kind, bytes := partOf(f.Name), int64(f.UncompressedSize64)
		if kind == sheetPart {
			sheets++
		}
		switch {
		case (kind == sheetPart || kind == sharedStringsPart) && bytes > limits.WorkbookXMLInMemory:
			// extracted to a file by excelize
		case kind == otherPart && bytes > limits.MaxWorkbookPartBytes:
			return fail("« %s », dans le classeur, pèse %s une fois décompressé, au-delà des %s acceptés pour ce qui n'est pas une feuille.",
				visible.Quote(f.Name), limits.Over(bytes, limits.MaxWorkbookPartBytes), limits.Size(limits.MaxWorkbookPartBytes))
		default:
			w.InMemory += bytes
		}
	}
	switch {
	case sheets > limits.MaxSheets:
		return fail("le classeur a %s feuilles, au-delà des %d acceptées.", limits.Count(int64(sheets)), limits.MaxSheets)
	case w.InMemory > limits.MaxWorkbookInMemoryBytes:
		return fail("le classeur garderait %s en mémoire (styles, images, petites feuilles), au-delà des %s acceptés.",
			limits.Over(w.InMemory, limits.MaxWorkbookInMemoryBytes), limits.Size(limits.MaxWorkbookInMemoryBytes))
	case w.InMemory > maxInMemory:
		return &fileerr.Error{File: w.Name, Msg: fmt.Sprintf("avec les classeurs déjà ouverts par cette importation, celui-ci dépasserait les %s "+
			"qu'ils peuvent garder en mémoire ensemble : importez-le à part, par une autre commande.", limits.Size(limits.MaxOpenWorkbooksInMemoryBytes))}
	}
	for _, f := range zr.File {
		lim, ok := xmlLimitsOf(f.Name)
		if !ok {
			continue
		}
		if err := scanPart(w.Name, f, lim); err != nil {
			return err
		}
	}
	return nil
}

func scanPart(name string, f *zip.File, lim limits.XML) error {
	rc, err := limits.OpenEntry(name, f)
	if err != nil {
		return unreadable(name, err)
	}
	defer rc.Close()
	err = limits.ScanXML(name, rc, lim)
	var fe *fileerr.Error
	switch {
	case errors.As(err, &fe):
		return fe
	case err != nil:
		return unreadable(name, err)
	}
	return nil
}

type part int

const (
	otherPart part = iota
	sheetPart
	sharedStringsPart
)

// partOf tells a part as excelize does, which extracts sheets and shared
// strings past UnzipXMLSizeLimit to files, and keeps the others.
func partOf(name string) part {
	lower := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	switch {
	case lower == "xl/sharedstrings.xml":
		return sharedStringsPart
	case strings.HasPrefix(lower, "xl/worksheets/sheet"):
		return sheetPart
	}
	return otherPart
}

// xmlLimitsOf is what each XML part of a workbook may hold.
func xmlLimitsOf(name string) (limits.XML, bool) {
	lim := limits.XML{MaxBytes: limits.MaxWorkbookBytes, MaxText: limits.MaxXMLText, MaxTag: limits.MaxXMLTag, MaxDepth: limits.MaxXMLDepth,
		Part: visible.Quote(name), Hint: workbookHint}
	switch partOf(name) {
	case sheetPart: // worksheet/sheetData/row
		lim.RecordDepth, lim.MaxRecord, lim.Record, lim.Records = 3, limits.MaxSheetRowBytes, "une ligne", "lignes"
		return lim, true
	case sharedStringsPart: // sst/si, which may hold runs of formatted text
		lim.RecordDepth, lim.MaxRecord, lim.MaxRecords, lim.Record, lim.Records = 2, 4*limits.MaxXMLText, limits.MaxSharedStrings, "un texte partagé", "textes partagés"
		return lim, true
	}
	ext := strings.ToLower(path.Ext(name))
	return lim, ext == ".xml" || ext == ".rels"
}

// Sheet reads the header of the sheet named sheet, or of the first one when
// sheet is "". Cells come as Excel shows them, dates as jj/mm/aaaa. Close
// the File when done with it; the workbook stays open.
func (w *Workbook) Sheet(sheet string) (*File, error) {
	switch {
	case sheet == "":
		sheet = w.Sheets[0]
	case !contains(w.Sheets, sheet):
		return nil, &fileerr.Error{File: w.Name, Msg: fmt.Sprintf("le classeur n'a pas de feuille « %s » : ses feuilles sont %s.", visible.Quote(sheet), quoteList(w.Sheets, 20))}
	}
	rows, err := w.book.Rows(sheet)
	if err != nil {
		if rows != nil {
			rows.Close()
		}
		return nil, &fileerr.Error{File: w.Name, Msg: fmt.Sprintf("feuille « %s » illisible (%v).", visible.Quote(sheet), err)}
	}
	f := &File{Name: w.Name, Encoding: UTF8, Separator: ';', padShortRows: true,
		Source: fmt.Sprintf("classeur Excel, feuille « %s »", visible.Quote(sheet)),
		Sheet:  sheet,
		src:    &xlsxSource{name: w.Name, rows: rows}}
	if err := f.readHeader(); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Close removes what opening the workbook extracted.
func (w *Workbook) Close() error {
	err := w.book.Close()
	return errors.Join(err, os.RemoveAll(w.tmp))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// xlsxSource reads the rows of one sheet, streaming.
type xlsxSource struct {
	name string
	rows *excelize.Rows
	row  int
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, &fileerr.Error{File: s.name, Msg: fmt.Sprintf("classeur illisible après la ligne %d (%v).", s.row, err)}
		}
		return nil, 0, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns()
	if err != nil {
		return nil, s.row, &fileerr.Error{File: s.name, Line: s.row, Msg: fmt.Sprintf("ligne illisible (%v).", err)}
	}
	if err := checkCells(cells); err != nil {
		return nil, s.row, err
	}
	return cells, s.row, nil
}

func (s *xlsxSource) close() error { return s.rows.Close() }
