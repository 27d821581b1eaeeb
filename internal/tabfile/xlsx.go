package tabfile

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"pixcert/internal/fileerr"
)

// frenchDates makes excelize show Excel's built-in date formats the way
// French Excel does (jj/mm/aaaa hh:mm) rather than the US way (m-d-yy).
var frenchDates = excelize.Options{ShortDatePattern: "dd/mm/yyyy", LongTimePattern: "hh:mm"}

// OpenXLSX reads the header of a sheet of the Excel workbook at path: the
// sheet named sheet, or the first one when sheet is "". Cells come as Excel
// shows them, dates as jj/mm/aaaa.
func OpenXLSX(name, path, sheet string) (*File, error) {
	book, err := excelize.OpenFile(path, frenchDates)
	if err != nil {
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("classeur Excel illisible (%v) : ouvrez-le dans Excel et enregistrez-le à nouveau, en .xlsx ou en CSV.", err)}
	}
	sheets := book.GetSheetList()
	switch {
	case len(sheets) == 0:
		book.Close()
		return nil, &fileerr.Error{File: name, Msg: errEmpty}
	case sheet == "":
		sheet = sheets[0]
	case !contains(sheets, sheet):
		book.Close()
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("le classeur n'a pas de feuille « %s » : ses feuilles sont %s.", sheet, quoteList(sheets, 20))}
	}
	rows, err := book.Rows(sheet)
	if err != nil {
		book.Close()
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("feuille « %s » illisible (%v).", sheet, err)}
	}
	f := &File{Name: name, Encoding: UTF8, Separator: ';', padShortRows: true,
		Source: fmt.Sprintf("classeur Excel, feuille « %s »", sheet),
		Sheet:  sheet,
		src:    &xlsxSource{name: name, book: book, rows: rows}}
	if err := f.readHeader(); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// XLSXSheets lists the sheets of the workbook at path, in order.
func XLSXSheets(name, path string) ([]string, error) {
	book, err := excelize.OpenFile(path, frenchDates)
	if err != nil {
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("classeur Excel illisible (%v) : ouvrez-le dans Excel et enregistrez-le à nouveau, en .xlsx ou en CSV.", err)}
	}
	defer book.Close()
	return book.GetSheetList(), nil
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
	book *excelize.File
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
	return cells, s.row, nil
}

func (s *xlsxSource) close() error {
	return errors.Join(s.rows.Close(), s.book.Close())
}
