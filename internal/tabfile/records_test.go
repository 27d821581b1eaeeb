package tabfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

type record struct {
	line   int
	fields []string
}

// readRecords reads data with recordReader, or with encoding/csv alone as the
// reference, through a buffer of size bytes.
func readRecords(t testing.TB, data []byte, sep rune, size int, reference bool) ([]record, error) {
	br := bufio.NewReaderSize(bytes.NewReader(data), size)
	var out []record
	if reference {
		cr := csv.NewReader(br)
		cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = sep, -1, true
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			if err != nil {
				return out, err
			}
			line, _ := cr.FieldPos(0)
			out = append(out, record{line, rec})
		}
	}
	r := newRecordReader(br, sep)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, record{r.Line(), append([]string(nil), rec...)})
	}
}

func TestRecordReaderReadsAsEncodingCSV(t *testing.T) {
	long := strings.Repeat("x", 5000)
	inputs := map[string]string{
		"Pix export":            "\"Nom\";\"Prénom\"\n\"DUPONT\";\"Léa\"\n\"'=BONO\";\"Paul\"\n",
		"unquoted":              "Nom;Prénom\nDUPONT;Léa\n",
		"CRLF and blank lines":  "a;b\r\n\r\n\n1;2\r\n\r\n3;4\r\n",
		"escaped quotes":        "\"a \"\"b\"\" c\";d\n",
		"quote inside unquoted": "a\"b;c\"\n",
		"bare quote in quoted":  "\"a\"b\";c\n\"x\" ;y\n",
		"field over two lines":  "a;\"b\nc\";d\ne;f\n",
		"field over CRLF lines": "a;\"b\r\nc\";d\r\ne;f\r\n",
		"unclosed quote":        "a;\"b\nc;d\n",
		"no final line end":     "a;b\nc;d",
		"final CR":              "a;b\nc;d\r",
		"trailing separators":   "a;b;;\n;\n",
		"lone CR inside":        "a\rb;c\n",
		"empty quoted fields":   "\"\";\"\"\n",
		"long line":             "a;" + long + "\nb;c\n",
		"long quoted line":      "\"" + long + "\";\"d\ne\"\nf\n",
		"only blank lines":      "\n\r\n\n",
		"empty":                 "",
	}
	for name, in := range inputs {
		for _, sep := range []rune{';', ',', '\t'} {
			for _, size := range []int{4096, 64 << 10} {
				want, wantErr := readRecords(t, []byte(in), sep, size, true)
				got, err := readRecords(t, []byte(in), sep, size, false)
				if !reflect.DeepEqual(got, want) || (err == nil) != (wantErr == nil) {
					t.Errorf("%s (sep %q, buffer %d):\n got %v, %v\nwant %v, %v", name, sep, size, got, err, want, wantErr)
				}
			}
		}
	}
}

// FuzzRecordReader: whatever the bytes, recordReader reads the records and
// lines encoding/csv reads.
func FuzzRecordReader(f *testing.F) {
	addSamples(f)
	f.Add([]byte("a;\"b\nc\";d\r\n\r\ne;\"f\"\"g\"\n\"h\"i;j"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, sep := range []rune{';', ','} {
			want, wantErr := readRecords(t, data, sep, 4096, true)
			got, err := readRecords(t, data, sep, 4096, false)
			if !reflect.DeepEqual(got, want) || (err == nil) != (wantErr == nil) {
				t.Fatalf("sep %q:\n got %v, %v\nwant %v, %v", sep, got, err, want, wantErr)
			}
		}
	})
}
