package tabfile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/limits"
)

// endless repeats its pattern for ever, counting what it gives.
type endless struct {
	pattern []byte
	at      int
	n       int64
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.pattern[e.at]
		e.at = (e.at + 1) % len(e.pattern)
	}
	e.n += int64(len(p))
	return len(p), nil
}

// readBudget is what reading may take past a refused record: the buffers
// of Open (raw bytes, decoded text, and the text of lines ending in CR),
// and the slack the guard allows.
const readBudget = limits.MaxRecordBytes + recordSlack + 3*sniffSize

func TestARecordPastTheLimitIsRefusedWithoutReadingOn(t *testing.T) {
	tests := []struct {
		name    string
		head    string
		pattern string
		line    int
	}{
		{"a header without line end (2 GB of it)", "", "A;", 1},
		{"a row without line end", "Nom;Prénom;Classe\nDUPONT;Léa;3E2\n", "A;", 3},
		{"a quote never closed, over many lines", "Nom;Prénom;Classe\n\n\"", "x\n", 3},
		{"lines of Mac Excel (CR alone), one too long", "Nom;Prénom;Classe\rDUPONT;Léa;3E2\r", "A;", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &endless{pattern: []byte(tt.pattern)}
			f, err := Open("eleves.csv", io.MultiReader(strings.NewReader(tt.head), src), Options{})
			if err == nil {
				for {
					if _, err = f.Next(); err != nil {
						break
					}
				}
			}
			var fe *fileerr.Error
			if !errors.As(err, &fe) || fe.Line != tt.line || !strings.Contains(fe.Msg, "ligne de plus de 1 Mo") {
				t.Fatalf("error = %v, want the record limit at line %d", err, tt.line)
			}
			if src.n > readBudget {
				t.Errorf("read %d bytes of the endless line, want at most %d", src.n, readBudget)
			}
			if f != nil {
				if _, err := f.Next(); !errors.Is(err, io.EOF) {
					t.Errorf("after the record too long, Next = %v, want io.EOF", err)
				}
			}
		})
	}
}

func TestRecordLimitIsExact(t *testing.T) {
	// Quoted cells holding line ends, read by encoding/csv: the limit
	// counts the record's bytes, its line end included.
	record := func(size int) string {
		const unit = "\"x\ny\";"
		k := (size - 11) / len(unit)
		return strings.Repeat(unit, k) + strings.Repeat("z", size-1-k*len(unit)) + "\n"
	}
	for _, tt := range []struct {
		size int
		ok   bool
	}{{limits.MaxRecordBytes, true}, {limits.MaxRecordBytes + 1, false}} {
		if n := len(record(tt.size)); n != tt.size {
			t.Fatalf("record of %d bytes, want %d", n, tt.size)
		}
		data := "Nom;Prénom\n" + record(tt.size) + "DUPONT;Léa\n"
		f, err := Open("eleves.csv", strings.NewReader(data), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var errs fileerr.Collector
		var lines []int
		f.EachRow(&errs, func(r Row) error { lines = append(lines, r.Line); return nil })
		tooLong := errs.Total > 0 && strings.Contains(errs.Kept[0].Msg, "ligne de plus de 1 Mo")
		if tt.ok && (tooLong || len(lines) != 1) {
			t.Errorf("record of %d bytes: rows at %v, problems %v; want it read (its cells counted) and the next row", tt.size, lines, errs.Kept)
		}
		if !tt.ok && (!tooLong || errs.Kept[0].Line != 2 || len(lines) != 0) {
			t.Errorf("record of %d bytes: rows at %v, problems %v; want it refused at line 2, and reading stopped", tt.size, lines, errs.Kept)
		}
	}
}

func TestCellLimit(t *testing.T) {
	long := strings.Repeat("x", limits.MaxCellChars+1)
	longestAccented := strings.Repeat("é", limits.MaxCellChars) // 65,534 bytes
	data := "Nom;Prénom;Classe\n" +
		"DUPONT;" + longestAccented + ";3E2\n" +
		"MARTIN;Tom;" + long + "\n" +
		"DURAND;Zoé;3E1;" + long + "\n" +
		"PETIT;Lou;3E1\n"
	f, err := Open("eleves.csv", strings.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var good []int
	var errs fileerr.Collector
	f.EachRow(&errs, func(r Row) error { good = append(good, r.Line); return nil })
	problems := errs.Kept
	if len(good) != 2 || good[0] != 2 || good[1] != 5 {
		t.Errorf("good rows at lines %v, want 2 and 5", good)
	}
	if len(problems) != 2 ||
		problems[0].Line != 3 || problems[0].Column != "Classe" || !strings.Contains(problems[0].Msg, "cellule de 32 768 caractères, au-delà des 32 767") ||
		problems[1].Line != 4 || problems[1].Column != "n° 4" {
		t.Errorf("problems = %v, want lines 3 (column Classe) and 4 (the 4th cell)", problems)
	}
}

func TestNULIsRefusedWhereverItIs(t *testing.T) {
	filler := strings.Repeat("DUPONT;Léa;3E2\n", 2*sniffSize/15) // past the first 64 KB
	tests := []struct {
		name string
		data []byte
		line int // 0: refused as not text, from its start
	}{
		{"UTF-8, far down", []byte("Nom;Prénom;Classe\n" + filler + "MARTIN;T\x00m;3E2\nPETIT;Lou;3E1\n"), 2 + strings.Count(filler, "\n")},
		{"Windows-1252, far down", mustEncode(t, charmap.Windows1252, "Nom;Prénom;Classe\n"+filler+"MARTIN;T\x00m;3E2\n"), 2 + strings.Count(filler, "\n")},
		{"UTF-16, far down", utf16le(t, "Nom;Prénom;Classe\n"+filler+"MARTIN;T\x00m;3E2\n"), 2 + strings.Count(filler, "\n")},
		{"Windows-1252, at the start", mustEncode(t, charmap.Windows1252, "Nom;Prénom;Classe\nMARTIN;T\x00m;3E2\n"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open("eleves.csv", bytes.NewReader(tt.data), Options{})
			if tt.line == 0 {
				if err == nil || !strings.Contains(err.Error(), "ce n'est pas un fichier texte") {
					t.Fatalf("Open = %v, want it refused as not text", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var errs fileerr.Collector
			rows := 0
			f.EachRow(&errs, func(Row) error { rows++; return nil })
			if errs.Total != 1 || errs.Kept[0].Line != tt.line || !strings.Contains(errs.Kept[0].Msg, "caractère nul") {
				t.Fatalf("problems = %v, want one at line %d", errs.Kept, tt.line)
			}
			if rows != strings.Count(filler, "\n") {
				t.Errorf("%d rows read, want those before the NUL only", rows)
			}
		})
	}
}
