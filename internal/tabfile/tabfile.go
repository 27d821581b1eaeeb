// Package tabfile reads the tabular text files schools handle: CSV exports
// from Pix, files re-saved by Excel, extractions from school software. It
// decides the encoding and separator, strips the BOM and Pix's formula guard,
// skips blank lines, checks every row against the header and numbers the
// lines as a text editor does, so that readers of a given format only deal
// with named columns.
package tabfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/limits"
)

// sniffSize is how much of a file decides its encoding and separator.
const sniffSize = 64 << 10

// Options force what is otherwise detected.
type Options struct {
	Encoding  *Encoding // nil: detect from the file
	Separator rune      // 0: detect from the header line
}

// File is an open table positioned after its header: a CSV file, or a sheet
// of a spreadsheet (see OpenXLSX).
type File struct {
	Name       string   // as the user gave it, for messages
	Source     string   // how it was read, for the import summary
	Encoding   Encoding // of a CSV file
	Separator  rune     // of a CSV file
	Sheet      string   // of a workbook
	Header     []string // cells of the header row, trimmed and unguarded
	HeaderLine int

	headerKeys []string
	src        rowSource
	// padShortRows: a spreadsheet row ends at its last filled cell, so a
	// short row is not a miscounted one.
	padShortRows bool
}

// rowSource gives the raw rows of a table with their line (or row) number:
// io.EOF at the end, a *fileerr.Error for a row that cannot be read.
type rowSource interface {
	next() (cells []string, line int, err error)
	close() error
}

// Row is one data row: its cells, in header order, and its line in the file.
// Cells is reused by the next call to Next: copy what you keep.
type Row struct {
	Line  int
	Cells []string
}

var errEmpty = "le fichier est vide : il doit commencer par une ligne d'en-tête (noms des colonnes)."

// Open reads the header of the CSV file r, named name in messages.
// Problems come back as *fileerr.Error.
func Open(name string, r io.Reader, opts Options) (*File, error) {
	watch := &utf8Watch{r: r}
	raw := bufio.NewReaderSize(watch, sniffSize)
	head, err := raw.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("le fichier ne peut pas être lu (%v).", err)}
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, &fileerr.Error{File: name, Msg: errEmpty}
	}

	skipped := 0 // lines read before the CSV reader starts
	enc, bomLen := detectEncoding(head, len(head) == sniffSize)
	if opts.Encoding != nil {
		enc, bomLen = *opts.Encoding, 0
		if enc.Name == UTF8.Name && bytes.HasPrefix(head, bomUTF8) {
			bomLen = len(bomUTF8)
		}
	}
	// A NUL byte is a character only in UTF-16.
	if enc.Name != "UTF-16" && bytes.IndexByte(head, 0) >= 0 {
		return nil, &fileerr.Error{File: name, Msg: "ce n'est pas un fichier texte (CSV) : " + saveAsCSV}
	}
	if _, err := raw.Discard(bomLen); err != nil {
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("le fichier ne peut pas être lu (%v).", err)}
	}
	var text io.Reader = raw
	if enc.decoder != nil {
		text = transform.NewReader(raw, enc.decoder.NewDecoder())
	}
	guard := &textGuard{r: text, limit: -1}
	decoded := bufio.NewReaderSize(guard, sniffSize)
	decodedHead, _ := decoded.Peek(sniffSize)
	if bytes.IndexByte(decodedHead, '\r') >= 0 && bytes.IndexByte(decodedHead, '\n') < 0 {
		// Excel for Mac's "CSV (Macintosh)" ends lines with CR alone,
		// which encoding/csv does not take for a line end.
		decoded = bufio.NewReaderSize(transform.NewReader(decoded, crToLF{}), sniffSize)
		decodedHead, _ = decoded.Peek(sniffSize)
	}

	sep := opts.Separator
	// Excel writes, and reads, a first line "sep=;" naming the separator.
	if hint, ok := separatorHint(firstLine(decodedHead)); ok {
		if sep == 0 {
			sep = hint
		}
		for { // blank lines, then the sep= line
			line, err := decoded.ReadString('\n')
			skipped++
			if strings.TrimSpace(line) != "" || err != nil {
				break
			}
		}
		decodedHead, _ = decoded.Peek(sniffSize)
	}
	if sep == 0 {
		sep = detectSeparator(firstLine(decodedHead))
	}
	src := &csvSource{name: name, r: newRecordReader(decoded, sep), guard: guard, lineOffset: skipped}
	src.r.guard = guard
	if enc.decoder == nil {
		src.utf8 = watch
	}
	f := &File{Name: name, Encoding: enc, Separator: sep, src: src,
		Source: fmt.Sprintf("encodage %s, séparateur %s", enc.Name, separatorName(sep))}
	return f, f.readHeader()
}

// NextHeader takes the next non-blank row as the header instead: for files
// whose header comes after a title line ("Liste des élèves de 3E2"). It
// returns io.EOF when there is none.
func (f *File) NextHeader() error { return f.readHeader() }

// readHeader takes the next non-blank row as the header.
func (f *File) readHeader() error {
	for {
		header, line, err := f.src.next()
		if errors.Is(err, io.EOF) {
			return &fileerr.Error{File: f.Name, Msg: errEmpty}
		}
		if err != nil {
			return f.rowError(err, line)
		}
		if isBlank(header) {
			continue
		}
		f.HeaderLine = line
		f.Header = trimTrailingEmpty(cleanCells(append([]string(nil), header...)))
		f.headerKeys = make([]string, len(f.Header))
		for i, h := range f.Header {
			f.headerKeys[i] = fold.Key(h)
		}
		return nil
	}
}

// Close releases what reading the file holds (a spreadsheet's temporary
// files).
func (f *File) Close() error { return f.src.close() }

const saveAsCSV = "ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format « CSV (séparateur : point-virgule) »."

// csvSource reads the rows of a CSV file.
type csvSource struct {
	name  string
	r     *recordReader
	guard *textGuard
	// utf8 watches the bytes of a file read as UTF-8 (nil for another
	// encoding): cells are checked once it has seen a wrong byte.
	utf8       *utf8Watch
	lineOffset int  // lines before what the CSV reader reads, such as sep=;
	stopped    bool // past a problem after which nothing can be read
}

func (s *csvSource) next() ([]string, int, error) {
	if s.stopped {
		return nil, 0, io.EOF
	}
	rec, err := s.r.Read()
	if err != nil {
		var long *recordTooLong
		switch {
		case errors.Is(err, io.EOF):
			return nil, 0, io.EOF
		case errors.As(err, &long):
			// Where the record ends is not known: the rest is not read.
			s.stopped = true
			line := long.line + s.lineOffset
			return nil, line, &fileerr.Error{File: s.name, Line: line, Msg: fmt.Sprintf(
				"ligne de plus de %s, la limite : une ligne d'un tableau en fait quelques centaines d'octets. "+
					"Le fichier n'est pas un tableau, ou il est endommagé (fin de ligne manquante, guillemet jamais fermé) : "+
					"ouvrez-le dans un éditeur de texte pour le vérifier, ou exportez-le à nouveau. La lecture s'arrête à cette ligne.",
				limits.Size(limits.MaxRecordBytes))}
		}
		return nil, 0, s.csvError(err)
	}
	line := s.r.Line() + s.lineOffset
	if s.guard.nul && hasNUL(rec) {
		s.stopped = true
		return nil, line, &fileerr.Error{File: s.name, Line: line, Msg: "caractère nul (octet 0) dans cette ligne : ce n'est pas un fichier texte, ou il est endommagé ; " +
			saveAsCSV + " La lecture s'arrête à cette ligne."}
	}
	if s.utf8 != nil && s.utf8.suspect && !validCells(rec) {
		return nil, line, &fileerr.Error{File: s.name, Line: line, Msg: "caractères illisibles en UTF-8 alors que le début du fichier est en UTF-8 : " +
			"enregistrez-le à nouveau en « CSV UTF-8 », ou précisez son encodage avec --encoding (par exemple --encoding windows-1252)."}
	}
	// No cell is longer than its record: most records need no look.
	if s.r.size > limits.MaxCellChars {
		if err := checkCells(rec); err != nil {
			return nil, line, err
		}
	}
	return rec, line, nil
}

// cellTooLong is a cell longer than limits.MaxCellChars, the index-th of its
// row; File makes it a problem that names its column.
type cellTooLong struct {
	index, chars int
}

func (e *cellTooLong) Error() string {
	return fmt.Sprintf("cellule %d de %d caractères", e.index, e.chars)
}

func checkCells(rec []string) error {
	for i, c := range rec {
		if n, long := limits.TooLong(c, limits.MaxCellChars); long {
			return &cellTooLong{index: i, chars: n}
		}
	}
	return nil
}

// rowError makes a problem of a row's error, naming the column of a cell
// too long.
func (f *File) rowError(err error, line int) error {
	var long *cellTooLong
	if !errors.As(err, &long) {
		return err
	}
	e := f.Errorf(line, long.index, "cellule de %s caractères, au-delà des %s qu'une cellule d'Excel peut contenir : "+
		"le fichier est endommagé, ou ce n'est pas le tableau attendu ; vérifiez cette ligne.", limits.Count(int64(long.chars)), limits.Count(limits.MaxCellChars))
	if e.Column == "" {
		e.Column = fmt.Sprintf("n° %d", long.index+1)
	}
	return e
}

func hasNUL(rec []string) bool {
	for _, c := range rec {
		if strings.IndexByte(c, 0) >= 0 {
			return true
		}
	}
	return false
}

// textGuard watches the text of a file, once decoded, as the buffers above
// it read it, a block at a time. It notes a NUL character, which no text
// file holds: rows are then checked for it. And while encoding/csv reads a
// record, which it keeps whole in memory, it lets no more than
// MaxRecordBytes be read, and what the buffers above hold: a file of
// gigabytes without a line end is refused after a megabyte.
type textGuard struct {
	r     io.Reader
	read  int64 // bytes read so far
	limit int64 // how far read may go while a record is read; -1 otherwise
	nul   bool
}

// recordSlack is what the buffers above a textGuard may hold of the next
// records: two buffers of sniffSize (for lines ending in CR alone) and a
// decoder's.
const recordSlack = 2*sniffSize + 16<<10

var errRecordTooLong = errors.New("enregistrement trop long")

func (g *textGuard) Read(p []byte) (int, error) {
	if g.limit >= 0 {
		left := g.limit - g.read
		if left <= 0 {
			return 0, errRecordTooLong
		}
		if int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	if !g.nul && bytes.IndexByte(p[:n], 0) >= 0 {
		g.nul = true
	}
	return n, err
}

// recordTooLong is a record longer than MaxRecordBytes, starting at line.
type recordTooLong struct{ line int }

func (e *recordTooLong) Error() string { return fmt.Sprintf("ligne %d trop longue", e.line) }

func (s *csvSource) close() error { return nil }

func (s *csvSource) csvError(err error) *fileerr.Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &fileerr.Error{File: s.name, Line: pe.Line + s.lineOffset, Msg: fmt.Sprintf("ligne illisible en CSV (%v) : vérifiez les guillemets.", pe.Err)}
	}
	return &fileerr.Error{File: s.name, Msg: fmt.Sprintf("le fichier ne peut pas être lu (%v).", err)}
}

// Column returns the index of the first header cell equal to one of names,
// compared without case, accents, spaces or punctuation; -1 when absent.
func (f *File) Column(names ...string) int {
	for _, name := range names {
		key := fold.Key(name)
		for i, k := range f.headerKeys {
			if k == key {
				return i
			}
		}
	}
	return -1
}

// Next returns the next non-blank row, io.EOF at the end, or a
// *fileerr.Error for a row that cannot be read; reading may go on after a
// row error, so that every problem of a file is reported at once.
func (f *File) Next() (Row, error) {
	for {
		rec, line, err := f.src.next()
		if err != nil {
			return Row{Line: line}, f.rowError(err, line)
		}
		if isBlank(rec) {
			continue // a line of separators only, as Excel leaves below the data
		}
		rec = cleanCells(rec)
		if len(rec) > len(f.Header) {
			rec = trimTrailingEmptyTo(rec, len(f.Header))
		}
		if f.padShortRows {
			for len(rec) < len(f.Header) {
				rec = append(rec, "")
			}
		}
		if len(rec) != len(f.Header) {
			return Row{Line: line}, &fileerr.Error{File: f.Name, Line: line, Msg: fmt.Sprintf(
				"%d cellules trouvées, %d attendues comme dans la ligne d'en-tête : vérifiez le séparateur (%s) et les guillemets de cette ligne.",
				len(rec), len(f.Header), separatorName(f.Separator))}
		}
		return Row{Line: line, Cells: rec}, nil
	}
}

// EachRow calls each with every good row, files every row problem in errs
// and goes on, so that a person sees all of a file's problems at once. It
// stops at the end of the file, at a problem that is not about one row (the
// file cannot be read further), or when each fails.
func (f *File) EachRow(errs *fileerr.Collector, each func(Row) error) error {
	for {
		row, err := f.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var fe *fileerr.Error
		if errors.As(err, &fe) {
			errs.Add(fe)
			if fe.Line == 0 {
				return nil
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := each(row); err != nil {
			return err
		}
	}
}

// Errorf makes a problem at a line and column of this file.
func (f *File) Errorf(line int, column int, format string, args ...any) *fileerr.Error {
	e := &fileerr.Error{File: f.Name, Line: line, Msg: fmt.Sprintf(format, args...)}
	if column >= 0 && column < len(f.Header) {
		e.Column = f.Header[column]
	}
	return e
}

// Unguard drops the apostrophe Pix puts before a cell starting with = + - or @
// so that spreadsheets do not run it as a formula (csv.js, serializeLine).
func Unguard(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte("=+-@", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

func cleanCells(rec []string) []string {
	for i, c := range rec {
		if !needsCleaning(c) {
			continue
		}
		rec[i] = Unguard(strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF")))
	}
	return rec
}

// needsCleaning is false for a cell that cleanCells leaves as it is: one
// that starts and ends with a printable ASCII character other than the
// apostrophe of the formula guard. Nearly every cell is one, and this is
// cheaper than trimming it.
func needsCleaning(c string) bool {
	if c == "" {
		return false
	}
	first, last := c[0], c[len(c)-1]
	return first <= ' ' || first >= utf8.RuneSelf || first == '\'' || last <= ' ' || last >= utf8.RuneSelf
}

// utf8Watch checks, as bytes are read, whether they are valid UTF-8: a
// check of large blocks costs far less than one of each cell. It reads ahead
// of the CSV reader, so a row with a wrong byte is read after suspect is set.
type utf8Watch struct {
	r       io.Reader
	carry   []byte // a character cut by the end of the last read
	suspect bool
}

func (w *utf8Watch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if !w.suspect {
		w.check(p[:n], err != nil)
	}
	return n, err
}

func (w *utf8Watch) check(b []byte, atEOF bool) {
	if len(w.carry) > 0 {
		k := 0 // the rest of the cut character
		for k < len(b) && k < utf8.UTFMax-1 && !utf8.RuneStart(b[k]) {
			k++
		}
		joined := append(w.carry, b[:k]...)
		if !utf8.FullRune(joined) && k == len(b) && !atEOF {
			w.carry = joined
			return
		}
		w.carry, b = w.carry[:0], b[k:]
		if !utf8.Valid(joined) {
			w.suspect = true
			return
		}
	}
	start := len(b) - 1 // of the last character
	for start > 0 && start > len(b)-utf8.UTFMax && !utf8.RuneStart(b[start]) {
		start--
	}
	if !atEOF && start >= 0 && !utf8.FullRune(b[start:]) {
		w.carry = append(w.carry, b[start:]...)
		b = b[:start]
	}
	if !utf8.Valid(b) {
		w.suspect = true
	}
}

func validCells(rec []string) bool {
	for _, c := range rec {
		if !utf8.ValidString(c) {
			return false
		}
	}
	return true
}

func isBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func trimTrailingEmpty(rec []string) []string {
	return trimTrailingEmptyTo(rec, 0)
}

// trimTrailingEmptyTo drops empty cells at the end of rec, keeping at least
// min cells: trailing separators are noise, not data.
func trimTrailingEmptyTo(rec []string, min int) []string {
	n := len(rec)
	for n > min && rec[n-1] == "" {
		n--
	}
	return rec[:n]
}

// crToLF turns every CR into LF, for files whose lines end with CR alone.
type crToLF struct{ transform.NopResetter }

func (crToLF) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	n := copy(dst, src)
	for i := 0; i < n; i++ {
		if dst[i] == '\r' {
			dst[i] = '\n'
		}
	}
	if n < len(src) {
		err = transform.ErrShortDst
	}
	return n, n, err
}

// separatorHint reads Excel's "sep=;" line.
func separatorHint(line []byte) (rune, bool) {
	l := strings.TrimRight(string(line), "\r\n")
	if len(l) == 5 && strings.EqualFold(l[:4], "sep=") {
		if sep, err := ParseSeparator(l[4:]); err == nil {
			return sep, true
		}
	}
	return 0, false
}

func firstLine(b []byte) []byte {
	b = bytes.TrimLeft(b, "\r\n")
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// detectSeparator picks, of ';', ',' and tab, the one that splits the header
// line the most, outside quotes. Pix writes ';', Excel in English ',', and
// "text (tab-separated)" tabs.
func detectSeparator(line []byte) rune {
	counts := map[rune]int{}
	inQuotes := false
	for _, r := range string(line) {
		switch {
		case r == '"':
			inQuotes = !inQuotes
		case !inQuotes && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best := ';'
	for _, r := range []rune{'\t', ','} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func separatorName(r rune) string {
	switch r {
	case ';':
		return "point-virgule"
	case ',':
		return "virgule"
	case '\t':
		return "tabulation"
	}
	return fmt.Sprintf("« %c »", r)
}

// ParseSeparator reads a separator given by the user (--separator).
func ParseSeparator(s string) (rune, error) {
	switch strings.ToLower(s) {
	case ";", "point-virgule", "semicolon":
		return ';', nil
	case ",", "virgule", "comma":
		return ',', nil
	case "\t", `\t`, "tab", "tabulation":
		return '\t', nil
	}
	return 0, fmt.Errorf("séparateur « %s » inconnu : choisissez « ; », « , » ou « tab »", s)
}
