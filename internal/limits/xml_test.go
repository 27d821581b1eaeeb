package limits

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/pixcert/pixcert/internal/fileerr"
)

var small = XML{MaxBytes: 4096, MaxText: 32, MaxTag: 48, MaxDepth: 4, RecordDepth: 2, MaxRecord: 200, MaxRecords: 3,
	Record: "un élève", Records: "élèves", Hint: "Vérifiez le fichier."}

func TestXMLLimits(t *testing.T) {
	tests := []struct {
		name, doc string
		want      string // in the message; "" when the document is within the limits
		line      int
	}{
		{"within", `<?xml version="1.0"?><a><b x="1">texte</b><b/><!-- note --><b><![CDATA[x>y]]></b></a>`, "", 0},
		{"quotes hold > and <", `<a><b x="a>b<c" y='>'>t</b></a>`, "", 0},
		{"a directive with a comment", `<!DOCTYPE a [ <!-- it's --> <!ELEMENT a ANY> ]><a/>`, "", 0},
		{"long text", "<a>\n<b>" + strings.Repeat("x", 40) + "</b></a>", "texte de plus de 32 octets", 2},
		{"long text at the end", "<a>" + strings.Repeat("x", 40), "texte de plus de 32 octets", 1},
		{"long CDATA", "<a><![CDATA[" + strings.Repeat(">", 40) + "]]></a>", "texte de plus de 32 octets", 1},
		{"long comment", "<a><!--" + strings.Repeat("-x", 20) + "--></a>", "texte de plus de 32 octets", 1},
		{"long tag", `<a><b x="` + strings.Repeat(">", 50) + `"/></a>`, "balise de plus de 48 octets", 1},
		{"long directive", `<!DOCTYPE a "` + strings.Repeat(">", 50) + `"><a/>`, "balise de plus de 48 octets", 1},
		{"long PI", `<?x ` + strings.Repeat("?", 50) + `?><a/>`, "balise de plus de 48 octets", 1},
		{"deep", "<a><b><c><d><e>x</e></d></c></b></a>", "imbriqués sur plus de 4 niveaux", 1},
		{"long record", "<a>\n<b>" + strings.Repeat("<c>xxxxxxxxxxxxxxxxxx</c>\n", 10) + "</b></a>", "un élève de plus de 200 octets (élément « b »)", 2},
		{"many records", "<a><b/><b></b><b/><b/></a>", "plus de 3 élèves", 1},
		{"big", "<a>" + strings.Repeat("<b>x</b>", 600) + "</a>", "le document XML dépasse 4 Ko", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := small
			if tt.name == "big" {
				lim.MaxRecords = 0
			}
			for _, r := range []io.Reader{strings.NewReader(tt.doc), iotest.OneByteReader(strings.NewReader(tt.doc))} {
				err := ScanXML("eleves.xml", r, lim)
				if tt.want == "" {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					continue
				}
				var fe *fileerr.Error
				if !errors.As(err, &fe) || !strings.Contains(fe.Msg, tt.want) || fe.Line != tt.line || fe.File != "eleves.xml" || !strings.HasSuffix(fe.Msg, "Vérifiez le fichier.") {
					t.Fatalf("error = %#v, want one at line %d saying %q", err, tt.line, tt.want)
				}
			}
		})
	}
}

func TestXMLLimitsInAPart(t *testing.T) {
	lim := small
	lim.Part = "xl/worksheets/sheet1.xml"
	err := ScanXML("classeur.xlsx", strings.NewReader("<a>\n\n<b>"+strings.Repeat("x", 40)+"</b></a>"), lim)
	var fe *fileerr.Error
	if !errors.As(err, &fe) || fe.Line != 0 || !strings.HasPrefix(fe.Msg, "dans xl/worksheets/sheet1.xml, ligne 3 : texte de plus de 32 octets") {
		t.Fatalf("error = %v", err)
	}
}

// TestXMLReaderStopsEarly: a document past a limit is not read on, however
// long it goes.
func TestXMLReaderStopsEarly(t *testing.T) {
	cr := &counting{r: io.MultiReader(strings.NewReader("<a><b>"), repeat('x'))}
	dec := xml.NewDecoder(NewXMLReader("x.xml", cr, XML{MaxBytes: 1 << 40, MaxText: MaxXMLText, MaxTag: MaxXMLTag, MaxDepth: MaxXMLDepth}))
	var err error
	for err == nil {
		_, err = dec.Token()
	}
	var fe *fileerr.Error
	if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "texte de plus de 256 Ko") {
		t.Fatalf("error = %v, want the limit of a text", err)
	}
	if cr.n > MaxXMLText+64<<10 {
		t.Errorf("read %d bytes, want at most the limit and a block", cr.n)
	}
}

type counting struct {
	r io.Reader
	n int64
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// FuzzXMLGuard: whatever the document, when the guard lets it through,
// every token encoding/xml makes of it is within the limits, and the
// verdict does not depend on how the reads cut the document.
func FuzzXMLGuard(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><a><b x="1">t</b><!-- c --><![CDATA[x]]><!DOCTYPE a [<!-- -->]></a>`))
	f.Add([]byte(`<a><b x="a>b"/><c>` + strings.Repeat("y", 40) + `</c></a>`))
	f.Add([]byte(`<a><b><c><d><e/></d></c></b></a>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		lim := small
		lim.MaxRecords = 0
		whole := ScanXML("f.xml", bytes.NewReader(doc), lim)
		bytewise := ScanXML("f.xml", iotest.OneByteReader(bytes.NewReader(doc)), lim)
		if (whole == nil) != (bytewise == nil) {
			t.Fatalf("read whole: %v; byte by byte: %v", whole, bytewise)
		}
		if whole != nil {
			return
		}
		dec := xml.NewDecoder(bytes.NewReader(doc))
		depth := 0
		var recordStart int64
		for {
			before := dec.InputOffset()
			tok, err := dec.RawToken()
			if err != nil {
				return
			}
			size := dec.InputOffset() - before
			switch tok := tok.(type) {
			case xml.CharData:
				if int64(len(tok)) > lim.MaxText {
					t.Fatalf("text of %d bytes let through", len(tok))
				}
			case xml.Comment:
				if int64(len(tok)) > lim.MaxText {
					t.Fatalf("comment of %d bytes let through", len(tok))
				}
			case xml.StartElement:
				if size > lim.MaxTag {
					t.Fatalf("tag of %d bytes let through", size)
				}
				if depth++; depth > lim.MaxDepth {
					t.Fatalf("depth %d let through", depth)
				}
				if depth == lim.RecordDepth {
					recordStart = before
				}
			case xml.EndElement:
				if depth == lim.RecordDepth && dec.InputOffset()-recordStart > lim.MaxRecord {
					t.Fatalf("record of %d bytes let through", dec.InputOffset()-recordStart)
				}
				depth--
			case xml.ProcInst, xml.Directive:
				if size > lim.MaxTag {
					t.Fatalf("%T of %d bytes let through", tok, size)
				}
			}
		}
	})
}
