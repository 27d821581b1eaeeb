package tabfile

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/samples"
)

func addSamples(f *testing.F) {
	samples.AddSeeds(f, "*.csv")
	f.Add([]byte("Nom;Prénom\n\"DUPONT\";\"L\"\"éa\"\n;;\n"))
	f.Add([]byte("\xFF\xFEN\x00o\x00m\x00\n\x00"))
	f.Add([]byte("a,b\tc;d\r\n1,2\t3;4\r\n"))
	f.Add([]byte("\xFF\xFEN\x00o\x00m\x00\n\x00x\x00\x00\x00y\x00\n\x00"))
}

// FuzzOpen: whatever the bytes, a file opens or is refused with a problem
// naming it, and every row is either aligned on the header or a positioned
// problem.
func FuzzOpen(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := Open("fuzz.csv", bytes.NewReader(data), Options{})
		if err != nil {
			var fe *fileerr.Error
			if !errors.As(err, &fe) || fe.File != "fuzz.csv" || fe.Msg == "" {
				t.Fatalf("Open error %v is not a problem in fuzz.csv", err)
			}
			return
		}
		if tf.Encoding.Name == UTF8.Name && !validCells(tf.Header) {
			t.Fatalf("header holds invalid UTF-8: %q", tf.Header)
		}
		for i := 0; ; i++ {
			row, err := tf.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				var fe *fileerr.Error
				if !errors.As(err, &fe) || fe.File != "fuzz.csv" {
					t.Fatalf("row error %v is not a problem in fuzz.csv", err)
				}
				if fe.Line == 0 {
					// a reading failure with no line ends the file
					return
				}
				continue
			}
			if len(row.Cells) != len(tf.Header) || row.Line <= tf.HeaderLine {
				t.Fatalf("row %+v does not fit header %q (line %d)", row, tf.Header, tf.HeaderLine)
			}
			// Bytes read as UTF-8 are checked by blocks (utf8Watch): no
			// wrong byte may slip through into a cell.
			if tf.Encoding.Name == UTF8.Name && !validCells(row.Cells) {
				t.Fatalf("row %d holds invalid UTF-8: %q", row.Line, row.Cells)
			}
			// No text holds NUL, whatever the encoding, and no cell is
			// longer than a spreadsheet's.
			if hasNUL(row.Cells) || hasNUL(tf.Header) {
				t.Fatalf("row %d or the header holds a NUL: %q %q", row.Line, row.Cells, tf.Header)
			}
			if checkCells(row.Cells) != nil {
				t.Fatalf("row %d holds a cell over the limit", row.Line)
			}
			if i > len(data) {
				t.Fatal("more rows than bytes: reading does not advance")
			}
		}
	})
}
