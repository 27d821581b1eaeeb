package output

import (
	"errors"
	"reflect"
)

// bufferedCells is how many cells a table or a workbook keeps while it
// measures its columns: a school's lists fit, and are read once; an
// académie's are read twice, once to measure, once to write, rather than
// held in memory.
var bufferedCells = 100_000

// sheetLayout is what the first reading of a document found of a sheet.
type sheetLayout struct {
	name    string
	columns columns
	widths  []int // of each column, its header's included
	// The widest cell of each column, its header left out: a workbook
	// wraps a long header.
	cellWidths []int
	// The widest word of the cells of each column, where a table fitted
	// to a width may wrap them; measured only for it (measurer.words).
	cellWords []int
	footer    string
	records   int
	rows      [][]string // the sheet's cells, when the whole document fit
}

// measurer reads a document's sheets for their layout: the widest cell of
// each column, as width measures it, and, while the document fits in
// bufferedCells, its cells.
type measurer struct {
	onScreen bool
	cell     func(string) string // what is shown of a cell
	width    func(string) int
	words    bool // measure the widest word of each column too
	sheets   []*sheetLayout
	cells    int  // kept so far
	dropped  bool // too many: read the document again to write it
	scratch  []string
	// The columns of the last sheet's type of record.
	recordType reflect.Type
	columns    columns
}

func (m *measurer) Begin(name string, record any) error {
	// The sheets of a document split by class share their columns: an
	// académie has 32,000 classes.
	if len(m.sheets) == 0 || reflect.TypeOf(record) != m.recordType {
		m.recordType, m.columns = reflect.TypeOf(record), columnsOf(record, m.onScreen)
	}
	s := &sheetLayout{name: name, columns: m.columns}
	s.widths = make([]int, len(s.columns.headers))
	s.cellWidths = make([]int, len(s.columns.headers))
	s.cellWords = make([]int, len(s.columns.headers))
	for i, h := range s.columns.headers {
		s.widths[i] = m.width(h)
	}
	m.sheets = append(m.sheets, s)
	return nil
}

func (m *measurer) Record(record any) error {
	s := m.sheets[len(m.sheets)-1]
	s.records++
	row := m.scratch
	if !m.dropped {
		row = make([]string, 0, len(s.columns.fields)) // kept
	}
	row = s.columns.cells(record, row)
	for i, cell := range row {
		row[i] = m.cell(cell)
		w := m.width(row[i])
		s.widths[i] = max(s.widths[i], w)
		s.cellWidths[i] = max(s.cellWidths[i], w)
		if m.words && w > s.cellWords[i] { // a word is never wider than its cell
			s.cellWords[i] = max(s.cellWords[i], widestWord(row[i]))
		}
	}
	if m.dropped {
		m.scratch = row
		return nil
	}
	m.cells += len(row)
	if m.cells > bufferedCells {
		m.dropped = true
		for _, s := range m.sheets {
			s.rows = nil
		}
		return nil
	}
	s.rows = append(s.rows, row)
	return nil
}

func (m *measurer) End(footer string) error {
	m.sheets[len(m.sheets)-1].footer = footer
	return nil
}

// replay writes a measured document's sheets again, to w, with each
// sheet's layout: from the cells kept, or by reading the document again.
// A second reading that does not find the sheets and records of the first
// is an error: the store changed between them.
func replay(doc Document, m *measurer, w layoutWriter) error {
	if !m.dropped {
		for _, s := range m.sheets {
			if err := w.begin(s); err != nil {
				return err
			}
			for _, row := range s.rows {
				if err := w.row(row); err != nil {
					return err
				}
			}
			if err := w.end(s.footer); err != nil {
				return err
			}
		}
		return nil
	}
	r := &layoutReplay{m: m, w: w}
	if err := doc.Sheets(r); err != nil {
		return err
	}
	if r.sheet != len(m.sheets) {
		return errChanged
	}
	return nil
}

// layoutWriter writes sheets whose layout is known beforehand.
type layoutWriter interface {
	begin(*sheetLayout) error
	row(cells []string) error
	end(footer string) error
}

type layoutReplay struct {
	m       *measurer
	w       layoutWriter
	sheet   int
	s       *sheetLayout
	records int // of the sheet
	row     []string
}

func (r *layoutReplay) Begin(string, any) error {
	if r.sheet >= len(r.m.sheets) {
		return errChanged
	}
	r.s, r.records = r.m.sheets[r.sheet], 0
	r.sheet++
	return r.w.begin(r.s)
}

func (r *layoutReplay) Record(record any) error {
	if r.records++; r.records > r.s.records {
		return errChanged
	}
	r.row = r.s.columns.cells(record, r.row)
	for i, cell := range r.row {
		r.row[i] = r.m.cell(cell)
	}
	return r.w.row(r.row)
}

func (r *layoutReplay) End(footer string) error {
	if r.records != r.s.records {
		return errChanged
	}
	return r.w.end(footer)
}

// errChanged is what a second reading that differs from the first returns.
var errChanged = errors.New("les données ont changé pendant l'écriture : relancez la commande")
