package tabfile

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/pixcert/pixcert/internal/fileerr"
)

func mustEncode(t *testing.T, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func utf16le(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readAll(t *testing.T, f *File) [][]string {
	t.Helper()
	var rows [][]string
	for {
		row, err := f.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, append([]string(nil), row.Cells...))
	}
}

func TestOpenDetectsEncodingAndSeparator(t *testing.T) {
	const text = "Élève;Né(e) le;Classe\nLEFÈVRE Hugo;01/01/2011;3E1\n"
	tests := []struct {
		name    string
		data    []byte
		wantEnc string
		wantSep rune
	}{
		{"UTF-8 with BOM", append([]byte("\xEF\xBB\xBF"), text...), "UTF-8", ';'},
		{"UTF-8 without BOM", []byte(text), "UTF-8", ';'},
		{"Windows-1252 with CRLF", mustEncode(t, charmap.Windows1252, strings.ReplaceAll(text, "\n", "\r\n")), "Windows-1252", ';'},
		{"Mac Roman", mustEncode(t, charmap.Macintosh, text), "Mac Roman", ';'},
		{"Mac Roman with CR line ends (CSV Macintosh)", mustEncode(t, charmap.Macintosh, strings.ReplaceAll(text, "\n", "\r")), "Mac Roman", ';'},
		{"ISO-8859-15 with an œ", mustEncode(t, charmap.ISO8859_15, strings.Replace(text, "Hugo", "Hugœ", 1)), "ISO-8859-15", ';'},
		{"Windows-1252 with an œ", mustEncode(t, charmap.Windows1252, strings.Replace(text, "Hugo", "Hugœ", 1)), "Windows-1252", ';'},
		{"ISO-8859-1 reads as Windows-1252", mustEncode(t, charmap.ISO8859_1, text), "Windows-1252", ';'},
		{"UTF-16 with BOM, tab separated", utf16le(t, strings.ReplaceAll(text, ";", "\t")), "UTF-16", '\t'},
		{"comma separated", []byte(strings.ReplaceAll(text, ";", ",")), "UTF-8", ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open("eleves.csv", bytes.NewReader(tt.data), Options{})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if f.Encoding.Name != tt.wantEnc {
				t.Errorf("encoding = %s, want %s", f.Encoding.Name, tt.wantEnc)
			}
			if f.Separator != tt.wantSep {
				t.Errorf("separator = %q, want %q", f.Separator, tt.wantSep)
			}
			if want := []string{"Élève", "Né(e) le", "Classe"}; !reflect.DeepEqual(f.Header, want) {
				t.Errorf("header = %q, want %q", f.Header, want)
			}
			rows := readAll(t, f)
			if want := [][]string{{"LEFÈVRE Hugo", "01/01/2011", "3E1"}}; !reflect.DeepEqual(rows, want) && !reflect.DeepEqual(rows, [][]string{{"LEFÈVRE Hugœ", "01/01/2011", "3E1"}}) {
				t.Errorf("rows = %q, want %q", rows, want)
			}
		})
	}
}

func TestRowsAreCleaned(t *testing.T) {
	data := "\"Nom\";\"Prénom\";\"Classe\"\n" +
		"\"'=BONO\";\"Paul\";\"3E2\"\n" +
		";;\n" + // blank line of separators, as Excel leaves
		"\n" +
		" DUPONT ;Léa;3E2;;\n" + // spaces and trailing separators
		"\"'Arcy\";\"'@bao\";\"'-1\"\n" // only the guard before = + - @ is dropped
	f, err := Open("x.csv", strings.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, f)
	want := [][]string{{"=BONO", "Paul", "3E2"}, {"DUPONT", "Léa", "3E2"}, {"'Arcy", "@bao", "-1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %q, want %q", got, want)
	}
}

func TestRowErrorsCarryTheirLine(t *testing.T) {
	data := "Nom;Prénom;Classe\nDUPONT;Léa;3E2\nMARTIN;Tom\n\"N'DIAYE\";\"Inès\nsur deux lignes\";3E1\nROUSSEAU;Zoé;3E2;en trop\n"
	f, err := Open("x.csv", strings.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	var ok int
	for {
		row, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var fe *fileerr.Error
		if errors.As(err, &fe) {
			lines = append(lines, fe.Line)
			if !strings.Contains(fe.Msg, "attendues") {
				t.Errorf("message %q does not say what was expected", fe.Msg)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		ok++
		if row.Cells[0] == "N'DIAYE" && row.Line != 4 {
			t.Errorf("multi-line row at line %d, want 4", row.Line)
		}
	}
	if want := []int{3, 6}; !reflect.DeepEqual(lines, want) {
		t.Errorf("error lines = %v, want %v", lines, want)
	}
	if ok != 2 {
		t.Errorf("%d good rows, want 2", ok)
	}
}

func TestOpenRefusesWhatIsNotATable(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "vide"},
		{"only blank lines", []byte("\r\n\n  \n"), "vide"},
		{"binary", []byte("PK\x03\x04\x00\x00\x08\x00"), "pas un fichier texte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open("x.csv", bytes.NewReader(tt.data), Options{})
			var fe *fileerr.Error
			if !errors.As(err, &fe) || !strings.Contains(fe.Msg, tt.want) {
				t.Fatalf("Open error = %v, want a *fileerr.Error saying %q", err, tt.want)
			}
		})
	}
}

func TestInvalidUTF8AfterTheSampleIsAPositionedError(t *testing.T) {
	var b strings.Builder
	b.WriteString("Nom;Prénom\n")
	for b.Len() < sniffSize+100 {
		b.WriteString("DUPONT;Léa\n")
	}
	lines := strings.Count(b.String(), "\n")
	b.WriteString("LEF\xC8VRE;Hugo\n") // Windows-1252 È in a UTF-8 file
	f, err := Open("x.csv", strings.NewReader(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		_, err := f.Next()
		if errors.Is(err, io.EOF) {
			t.Fatal("invalid UTF-8 was not reported")
		}
		if err != nil {
			var fe *fileerr.Error
			if !errors.As(err, &fe) || fe.Line != lines+1 {
				t.Fatalf("error = %v, want one at line %d", err, lines+1)
			}
			return
		}
	}
}

func TestForcedOptions(t *testing.T) {
	data := mustEncode(t, charmap.ISO8859_15, "Nom,Prénom\nŒUVRAY,Zoé\n")
	enc, err := ParseEncoding("iso-8859-15")
	if err != nil {
		t.Fatal(err)
	}
	sep, err := ParseSeparator("virgule")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open("x.csv", bytes.NewReader(data), Options{Encoding: &enc, Separator: sep})
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, f); !reflect.DeepEqual(got, [][]string{{"ŒUVRAY", "Zoé"}}) {
		t.Errorf("rows = %q", got)
	}
	if _, err := ParseEncoding("ebcdic"); err == nil || !strings.Contains(err.Error(), "Windows-1252") {
		t.Errorf("unknown encoding error = %v, want the list of known ones", err)
	}
	if _, err := ParseSeparator("|"); err == nil {
		t.Error("unknown separator accepted")
	}
}

func TestColumnFindsHeadersByFoldedName(t *testing.T) {
	f, err := Open("x.csv", strings.NewReader("NOM D'USAGE;Prénom*;DIVISION\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		names []string
		want  int
	}{
		{[]string{"Nom d’usage"}, 0},
		{[]string{"prenom"}, 1},
		{[]string{"Classe", "Division*"}, 2},
		{[]string{"INE"}, -1},
	}
	for _, tt := range tests {
		if got := f.Column(tt.names...); got != tt.want {
			t.Errorf("Column(%q) = %d, want %d", tt.names, got, tt.want)
		}
	}
}

// failingReader fails after its content, as a file on a dying disk would.
type failingReader struct{ r io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, errors.New("erreur d'entrée/sortie")
	}
	return n, err
}

func TestEachRowStopsWhenTheFileCannotBeReadFurther(t *testing.T) {
	// Larger than what Open reads ahead, so that the failure comes mid-way.
	text := "Nom;Prénom\n" + strings.Repeat("DUPONT;Léa\n", sniffSize/10)
	f, err := Open("x.csv", failingReader{strings.NewReader(text)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var errs fileerr.Collector
	rows := 0
	if err := f.EachRow(&errs, func(Row) error { rows++; return nil }); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || errs.Total != 1 || !strings.Contains(errs.Kept[0].Msg, "ne peut pas être lu") {
		t.Errorf("%d rows, problems %v; want rows, then one reading problem", rows, errs.Kept)
	}
}

func TestExcelSeparatorLine(t *testing.T) {
	for _, data := range []string{"sep=,\r\nNom,Prénom\r\nDUPONT,Léa\r\n", "\xEF\xBB\xBF\nsep=\t\nNom\tPrénom\nDUPONT\tLéa\n"} {
		f, err := Open("x.csv", strings.NewReader(data), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(f.Header, []string{"Nom", "Prénom"}) {
			t.Errorf("%q: header %q", data, f.Header)
		}
		row, err := f.Next()
		wantLine := 3
		if strings.HasPrefix(data, "\xEF") {
			wantLine = 4
		}
		if err != nil || row.Line != wantLine || row.Cells[1] != "Léa" {
			t.Errorf("%q: row %+v (%v), want Léa at line %d", data, row, err, wantLine)
		}
	}
}

func TestNextHeaderSkipsATitle(t *testing.T) {
	f, err := Open("x.csv", strings.NewReader("Liste des élèves de 3E2;;\n\nNom;Prénom;Classe\nDUPONT;Léa;3E2\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Column("Nom") >= 0 {
		t.Fatal("the title was taken for a header with a Nom column")
	}
	if err := f.NextHeader(); err != nil || f.HeaderLine != 3 || f.Column("Classe") != 2 {
		t.Fatalf("NextHeader: %v, header %q at line %d", err, f.Header, f.HeaderLine)
	}
	if row, err := f.Next(); err != nil || row.Line != 4 || row.Cells[0] != "DUPONT" {
		t.Errorf("row %+v (%v)", row, err)
	}
}

func TestUTF8Watch(t *testing.T) {
	inputs := map[string]string{
		"ascii":              "Nom;Prénom\nDUPONT;Léa\n",
		"accents and quotes": "Élève;« Zoé »;S’insérer;\u202f4 521\n",
		"four bytes":         "emoji 😀 fin",
		"windows-1252":       "El\xe8ve;Z\xf6e\n",
		"cut at the end":     "Léa\xc3",
		"wrong continuation": "L\xc3\x28a",
		"lone continuation":  "\xa9 abc",
		"overlong":           "\xc0\xaf",
		"surrogate":          "\xed\xa0\x80",
		"empty":              "",
	}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":       func(r io.Reader) io.Reader { return r },
		"byte a time": iotest.OneByteReader,
		"half":        iotest.HalfReader,
		"data at EOF": iotest.DataErrReader,
	}
	for name, in := range inputs {
		for how, wrap := range readers {
			w := &utf8Watch{r: wrap(strings.NewReader(in))}
			if _, err := io.ReadAll(w); err != nil {
				t.Fatal(err)
			}
			if want := !utf8.ValidString(in); w.suspect != want {
				t.Errorf("%s read %s: suspect = %v, want %v", name, how, w.suspect, want)
			}
		}
	}
}
