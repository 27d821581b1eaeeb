package tabfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"testing"

	"github.com/pixcert/pixcert/internal/synth"
)

// BenchmarkRecordReader compares recordReader with encoding/csv on a
// synthetic Pix export of 10,000 students.
func BenchmarkRecordReader(b *testing.B) {
	var export bytes.Buffer
	if _, err := synth.Generate(io.Discard, &export, synth.Options{Students: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	data := export.Bytes()
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			cr := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(data), 64<<10))
			cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = ';', -1, true, true
			for {
				if _, err := cr.Read(); err != nil {
					break
				}
			}
		}
	})
	b.Run("recordReader", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			r := newRecordReader(bufio.NewReaderSize(bytes.NewReader(data), 64<<10), ';')
			for {
				if _, err := r.Read(); err != nil {
					break
				}
			}
		}
	})
}
