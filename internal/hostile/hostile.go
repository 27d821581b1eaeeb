// Package hostile builds, while tests run, the broken and hostile files that
// pixcert must refuse: zip bombs, archives that lie about their content,
// workbooks of endless shared strings or thousands of sheets, XML nested
// without end. None of them is kept as a file in the repository: a bomb is
// small only while compressed.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
)

// Part is a file of an archive.
type Part struct {
	Name  string
	Write func(w io.Writer)
	// Declared, when not 0, is the decompressed size the archive announces
	// instead of the true one: a lie.
	Declared uint64
}

// Zip builds an archive of parts, compressed as deflate does by default:
// a thousand times, for a bomb.
func Zip(parts ...Part) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.DefaultCompression)
	for _, p := range parts {
		packed.Reset()
		fw.Reset(&packed)
		crc := crc32.NewIEEE()
		n := &counter{}
		p.Write(io.MultiWriter(fw, crc, n))
		fw.Close()
		h := &zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(packed.Len()), UncompressedSize64: n.n}
		if p.Declared != 0 {
			h.UncompressedSize64 = p.Declared
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			panic(err)
		}
		w.Write(packed.Bytes())
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

type counter struct{ n uint64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += uint64(len(p))
	return len(p), nil
}

// Text writes s.
func Text(s string) func(io.Writer) {
	return func(w io.Writer) { io.WriteString(w, s) }
}

// Repeat writes s again and again, n bytes of it or a little more.
func Repeat(s string, n int64) func(io.Writer) {
	return func(w io.Writer) {
		block := []byte(strings.Repeat(s, max(1, (64<<10)/len(s))))
		for written := int64(0); written < n; written += int64(len(block)) {
			w.Write(block)
		}
	}
}

// Random writes n bytes of letters and digits that do not compress: what a
// bomb uses to get past a bound on the compression ratio.
func Random(n int64) func(io.Writer) {
	return func(w io.Writer) {
		rng := rand.New(rand.NewPCG(1, 2))
		raw := make([]byte, 48<<10)
		for written := int64(0); written < n; {
			for i := range raw {
				raw[i] = byte(rng.Uint32())
			}
			text := base64.RawStdEncoding.EncodeToString(raw)
			text = strings.NewReplacer("+", "a", "/", "b").Replace(text)
			if left := n - written; int64(len(text)) > left {
				text = text[:left]
			}
			io.WriteString(w, text)
			written += int64(len(text))
		}
	}
}

// Concat writes each in turn.
func Concat(each ...func(io.Writer)) func(io.Writer) {
	return func(w io.Writer) {
		for _, write := range each {
			write(w)
		}
	}
}

// Lines writes n lines made by line(i), i from 0.
func Lines(n int, line func(i int) string) func(io.Writer) {
	return func(w io.Writer) {
		for i := 0; i < n; i++ {
			io.WriteString(w, line(i))
		}
	}
}

// SheetHead and SheetTail open and close a sheet's XML around its rows.
const (
	SheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	SheetTail = `</sheetData></worksheet>`
)

// Row is a row of a sheet, its cells written inline.
func Row(cells ...string) string {
	var b strings.Builder
	b.WriteString("<row>")
	for _, c := range cells {
		fmt.Fprintf(&b, `<c t="inlineStr"><is><t>%s</t></is></c>`, c)
	}
	b.WriteString("</row>")
	return b.String()
}

// Workbook is the parts of a workbook of sheets sheets: the first one
// written by sheet1, the others empty, and shared strings written by
// sharedStrings when it is not nil.
func Workbook(sheets int, sheet1, sharedStrings func(io.Writer)) []Part {
	var book, rels, types strings.Builder
	book.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	types.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	parts := []Part{{Name: "_rels/.rels", Write: Text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ` +
		`Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)}}
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(&book, `<sheet name="Feuil%d" sheetId="%d" r:id="rId%d"/>`, i, i, i)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
		write := Text(SheetHead + SheetTail)
		if i == 1 {
			write = sheet1
		}
		parts = append(parts, Part{Name: fmt.Sprintf("xl/worksheets/sheet%d.xml", i), Write: write})
	}
	if sharedStrings != nil {
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, sheets+1)
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		parts = append(parts, Part{Name: "xl/sharedStrings.xml", Write: sharedStrings})
	}
	book.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	types.WriteString(`</Types>`)
	return append(parts,
		Part{Name: "[Content_Types].xml", Write: Text(types.String())},
		Part{Name: "xl/workbook.xml", Write: Text(book.String())},
		Part{Name: "xl/_rels/workbook.xml.rels", Write: Text(rels.String())})
}
