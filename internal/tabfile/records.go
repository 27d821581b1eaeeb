package tabfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"strings"

	"github.com/pixcert/pixcert/internal/limits"
)

// recordReader reads CSV records as encoding/csv does with LazyQuotes and
// any number of fields, and numbers their lines, but faster on the lines
// nearly every file is made of: a whole record on one line. Such a line is
// split here, its fields cut from one string; any other (a quoted field
// running over several lines, a line longer than the buffer, the last line
// without its line end) is read by encoding/csv, from the same buffer. The
// fuzz test FuzzRecordReader holds the two to the same records and lines.
type recordReader struct {
	br    *bufio.Reader
	csv   *csv.Reader // reads from br, which it takes as its own buffer
	guard *textGuard  // below br, when there is one
	sep   byte
	fast  int // lines read here, not by csv
	lines int // lines read so far, here and by csv
	line  int // line of the last record
	size  int // bytes of the last record, as read
	rec   []string
	buf   []byte // fields of the line being split, end to end
	ends  []int  // where each ends in buf
}

// newRecordReader reads from br, which must be at least 4096 bytes long for
// encoding/csv to read from it directly.
func newRecordReader(br *bufio.Reader, sep rune) *recordReader {
	cr := csv.NewReader(br)
	cr.Comma = sep
	cr.FieldsPerRecord = -1 // counted by File, to say it in French
	cr.LazyQuotes = true    // school software writes stray quotes inside cells
	cr.ReuseRecord = true
	r := &recordReader{br: br, csv: cr}
	if sep < 0x80 {
		r.sep = byte(sep)
	}
	return r
}

// Read returns the next record, reused by the next call; io.EOF at the end.
func (r *recordReader) Read() ([]string, error) {
	for {
		line, ok := r.peekLine()
		if !ok {
			return r.readCSV()
		}
		content := line[:len(line)-1]
		if n := len(content); n > 0 && content[n-1] == '\r' {
			content = content[:n-1]
		}
		if len(content) == 0 { // encoding/csv skips blank lines
			r.br.Discard(len(line))
			r.fast++
			r.lines++
			continue
		}
		if !r.split(content) {
			return r.readCSV()
		}
		r.br.Discard(len(line))
		r.fast++
		r.lines++
		r.line = r.lines
		r.size = len(content)
		return r.rec, nil
	}
}

// Line is the line of the file where the last record starts.
func (r *recordReader) Line() int { return r.line }

// peekLine returns the buffered next line, its '\n' included, when it is
// whole in the buffer.
func (r *recordReader) peekLine() ([]byte, bool) {
	if r.sep == 0 {
		return nil, false
	}
	for n := r.br.Buffered(); ; {
		buf, _ := r.br.Peek(n)
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			return buf[:i+1], true
		}
		if n == r.br.Size() {
			return nil, false // longer than the buffer
		}
		// Read more: Peek fills the buffer up to n bytes, or fewer at the end.
		more, err := r.br.Peek(min(max(n, 1)*2, r.br.Size()))
		if len(more) <= n && err != nil {
			return nil, false // the end of the file, without a line end
		}
		n = len(more)
	}
}

// split cuts a line into fields as encoding/csv would, and reports false
// when a quoted field goes on past the line. Nearly always, each field is
// a part of the line, quotes aside: the line is copied once and cut. Fields
// are a few bytes long, shorter than what a call to strings.IndexByte pays
// for: loops over bytes find their ends.
func (r *recordReader) split(line []byte) bool {
	s := string(line)
	rec := r.rec[:0]
	for i, n := 0, len(s); ; {
		if i < n && s[i] == '"' {
			end := i + 1
			for end < n && s[end] != '"' {
				end++
			}
			if end == n {
				return false // the field goes on on the next line
			}
			if end+1 < n && s[end+1] != r.sep {
				return r.splitUnquoting(line) // "" or a bare quote
			}
			rec = append(rec, s[i+1:end])
			i = end + 1
		} else {
			j := i
			for j < n && s[j] != r.sep {
				j++
			}
			rec = append(rec, s[i:j])
			i = j
		}
		if i == n {
			break
		}
		i++ // the separator
	}
	r.rec = rec
	return true
}

// splitUnquoting is split for a line whose quoted fields hold quotes.
func (r *recordReader) splitUnquoting(line []byte) bool {
	buf, ends := r.buf[:0], r.ends[:0] // the fields, unquoted, end to end
	n, sep := len(line), r.sep
	for i := 0; ; {
		if i < n && line[i] == '"' {
			i++
			for {
				j := i
				for j < n && line[j] != '"' {
					j++
				}
				if j == n {
					return false // the field goes on on the next line
				}
				buf = append(buf, line[i:j]...)
				i = j + 1
				if i < n && line[i] == '"' { // "" stands for "
					buf = append(buf, '"')
					i++
					continue
				}
				if i == n || line[i] == sep {
					break
				}
				buf = append(buf, '"') // a bare quote, kept as LazyQuotes does
			}
		} else {
			j := i
			for j < n && line[j] != sep {
				j++
			}
			buf = append(buf, line[i:j]...)
			i = j
		}
		ends = append(ends, len(buf))
		if i == n {
			break
		}
		i++ // the separator
	}
	r.buf, r.ends = buf, ends
	all := string(buf)
	r.rec = r.rec[:0]
	start := 0
	for _, end := range ends {
		r.rec = append(r.rec, all[start:end])
		start = end
	}
	return true
}

// readCSV reads the next record with encoding/csv. Its line numbers count
// the lines it read itself: those read here come before. A record longer
// than limits.MaxRecordBytes is a *recordTooLong: encoding/csv keeps a
// record whole in memory, and reads no further than the guard lets it.
func (r *recordReader) readCSV() ([]string, error) {
	if r.guard != nil {
		r.guard.limit = r.guard.read + limits.MaxRecordBytes + recordSlack
		defer func() { r.guard.limit = -1 }()
	}
	offset := r.csv.InputOffset()
	rec, err := r.csv.Read()
	// Blank lines are skipped before a record comes here: it starts on the
	// line after the last one read.
	if r.size = int(r.csv.InputOffset() - offset); r.size > limits.MaxRecordBytes || errors.Is(err, errRecordTooLong) {
		return nil, &recordTooLong{line: r.lines + 1}
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			pe.StartLine += r.fast
			pe.Line += r.fast
		}
		return nil, err
	}
	start, _ := r.csv.FieldPos(0)
	r.line = r.fast + start
	// The record ends that many lines further: line ends inside its
	// quoted fields are all its own.
	r.lines = r.line
	for _, f := range rec {
		r.lines += strings.Count(f, "\n")
	}
	return rec, nil
}
