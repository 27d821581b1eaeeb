package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pixcert/pixcert/internal/visible"
)

// Markdown from a name: no link, image, HTML, entity, heading, emphasis,
// code, strikethrough, math or table cell of its own; what CommonMark
// allows to escape is escaped with a backslash (cmark-gfm renders each
// "want" as the text of "name", checked while writing these cases).
func TestMarkdownEscapesWhatWouldBeMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"link", "[clic](http://e.vil)", `\[clic\](http\://e.vil)`},
		{"image", "![x](http://e.vil/x.png)", `\!\[x\](http\://e.vil/x.png)`},
		{"autolink", "<http://e.vil>", `\<http\://e.vil\>`},
		{"bare URL", "voir https://e.vil", `voir https\://e.vil`},
		{"www", "WWW.e.vil", `WWW\.e.vil`},
		{"HTML", `<img src=x onerror="alert(1)">`, `\<img src=x onerror="alert(1)"\>`},
		{"entity", "&lt;b&gt; &#x202e;", `\&lt;b\&gt; \&\#x202e;`},
		{"heading", "# Titre ##", `\# Titre \#\#`},
		{"pipe", "DUPONT | Léa", `DUPONT \| Léa`},
		{"emphasis", "*gras* _it_ __x__", `\*gras\* \_it\_ \_\_x\_\_`},
		{"code", "`rm -rf`", "\\`rm -rf\\`"},
		{"strikethrough", "~~barré~~", `\~\~barré\~\~`},
		{"math", "$x^2$", `\$x^2\$`},
		{"backslash", `a\`, `a\\`},
		{"line break", "DUPONT\nLéa", `DUPONT\\nLéa`},
		{"carriage return", "a\r\nb", `a\\r\\nb`},
		{"escape sequence", "\x1b[31mX", `\\x1b\[31mX`},
		{"bidi override", "A\u202eB", `A\\u202eB`},
		{"plain", "N'DIAYE Inès, 3E2 (1.3 : 0/8 pix) 10:42", "N'DIAYE Inès, 3E2 (1.3 : 0/8 pix) 10:42"},
	}
	for _, tt := range tests {
		if got := escapeMarkdown(tt.in); got != tt.want {
			t.Errorf("%s: escapeMarkdown(%q) = %s, want %s", tt.name, tt.in, got, tt.want)
		}
	}
	doc := Document{Sheets: Sheets(Sheet{Name: "3E2\n# <b>", Records: []record{{"[x](y)", "3E2", "", "1"}}, Footer: "1 élève"})}
	var b bytes.Buffer
	if err := (markdownWriter{}).Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	want := "## 3E2\\\\n\\# \\<b\\>\n\n| Nom | Classe | Note | Compétences |\n| --- | --- | --- | --- |\n| \\[x\\](y) | 3E2 |  | 1 |\n\n1 élève\n"
	if b.String() != want {
		t.Errorf("markdown =\n%s\nwant\n%s", b.String(), want)
	}
}

// JSON writes what a terminal would act on as \u escapes: the same strings
// for a script, nothing raw for a person who reads it on a terminal.
func TestJSONEscapesWhatATerminalWouldActOn(t *testing.T) {
	name := "\x1b[31m\u009b1m\u202eA\u2066B\u200b\U000E0001\u00adé\x7f"
	doc := Document{JSONList: func(add func(any) error) error {
		return add(map[string]string{"last_name": name})
	}}
	var b bytes.Buffer
	if err := (jsonWriter{}).Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	want := `"last_name": "\u001b[31m\u009b1m\u202eA\u2066B\u200b\udb40\udc01` + "\u00adé" + `\u007f"`
	if !strings.Contains(b.String(), want) {
		t.Errorf("json =\n%s\nwant it to hold %s", b.String(), want)
	}
	var back []map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back[0]["last_name"] != name {
		t.Errorf("read back %q, %v; want %q", back, err, name)
	}
}

// writeJSON escapes, of what encoding/json leaves raw, what visible.Escape
// escapes: one idea of what a terminal acts on.
func TestJSONEscapesWhatVisibleEscapes(t *testing.T) {
	for r := rune(0x7f); r <= utf8.MaxRune; r++ {
		if (r >= 0xd800 && r < 0xe000) || r == 0x2028 || r == 0x2029 { // surrogates; encoding/json escapes the separators
			continue
		}
		s := string(r)
		if escapedInJSON(r) != (visible.Escape(s) != s) {
			t.Errorf("U+%04X: escaped in JSON %v, by visible %v", r, escapedInJSON(r), visible.Escape(s) != s)
		}
	}
}

// A JSON list is written as encoding/json writes the whole slice.
func TestJSONListIsWhatEncodingJSONWrites(t *testing.T) {
	for _, items := range [][]record{nil, {{"DUPONT", "3E2", "<b>&", "1"}}, {{"A", "", "", ""}, {"B", "3E1", "", "2"}}} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.Encode(append([]record{}, items...))
		doc := Document{JSONList: func(add func(any) error) error {
			for _, it := range items {
				if err := add(it); err != nil {
					return err
				}
			}
			return nil
		}}
		var got bytes.Buffer
		if err := (jsonWriter{}).Write(&got, doc); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d items: wrote\n%s\nencoding/json writes\n%s", len(items), got.String(), want.String())
		}
	}
}

// A CSV keeps the data for Excel; for a terminal it shows it escaped.
func TestCSVForATerminalIsEscaped(t *testing.T) {
	doc := Document{Sheets: Sheets(Sheet{Records: []record{{"\x1b[2J=X", "3E\u202e2", "", "1"}}})}
	for _, tt := range []struct {
		w    Writer
		want string
	}{
		{csvWriter{}, "\x1b[2J=X;3E\u202e2;;1\r\n"},
		{ForTerminal(csvWriter{}), `\x1b[2J=X;3E\u202e2;;1` + "\r\n"},
	} {
		var b bytes.Buffer
		if err := tt.w.Write(&b, doc); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(b.String(), tt.want) {
			t.Errorf("%T: %q, want it to end with %q", tt.w, b.String(), tt.want)
		}
	}
	var b bytes.Buffer
	ForTerminal(csvWriter{}).Write(&b, Document{Sheets: Sheets(Sheet{Records: []record{{"=BONO", "", "", ""}}})})
	if !strings.HasSuffix(b.String(), "'=BONO;;;\r\n") {
		t.Errorf("guard lost on a terminal: %q", b.String())
	}
}

// A workbook's sheet names are labels: escaped. Its cells are data, which
// XML cannot hold raw: excelize writes U+FFFD for a control, and the
// workbook opens.
func TestXLSXWithControlsOpens(t *testing.T) {
	doc := Document{Sheets: Sheets(Sheet{Name: "3E\x1b2", Records: []record{{"DU\x1b[2JPONT", "3E\u202e2", "", "1"}}})}
	book := writeXLSX(t, doc)
	if got := book.GetSheetList(); len(got) != 1 || got[0] != "3E-x1b2" { // \ is not allowed in a sheet's name
		t.Errorf("sheets %q", got)
	}
	if v, _ := book.GetCellValue("3E-x1b2", "B2"); v != "3E\u202e2" {
		t.Errorf("B2 = %q", v)
	}
	if v, _ := book.GetCellValue("3E-x1b2", "A2"); v != "DU\ufffd[2JPONT" {
		t.Errorf("A2 = %q", v)
	}
}

// Writers write as they read: the first bytes are out before the document
// is all read, so that none holds the records of a long list.
func TestWritersDoNotHoldRecords(t *testing.T) {
	withBufferedCells(t, 100)
	for _, format := range []string{"table", "csv", "md", "json"} {
		var out bytes.Buffer
		writtenBeforeTheEnd := 0
		records := func(each func(record) error) error {
			for i := range 5000 {
				if err := each(record{fmt.Sprintf("DUPONT %d", i), "3E2", "", "1"}); err != nil {
					return err
				}
			}
			writtenBeforeTheEnd = out.Len()
			return nil
		}
		doc := Document{
			Sheets: func(w SheetWriter) error {
				if err := w.Begin("", record{}); err != nil {
					return err
				}
				if err := records(func(r record) error { return w.Record(r) }); err != nil {
					return err
				}
				return w.End("")
			},
			JSONList: func(add func(any) error) error { return records(func(r record) error { return add(r) }) },
		}
		w, _ := New(format, []string{format})
		if err := w.Write(&out, doc); err != nil {
			t.Fatal(err)
		}
		if writtenBeforeTheEnd == 0 || writtenBeforeTheEnd == out.Len() {
			t.Errorf("%s: %d bytes written before the last record was read, %d in all", format, writtenBeforeTheEnd, out.Len())
		}
	}
}
