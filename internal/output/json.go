package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"unicode"
	"unicode/utf8"
)

// jsonWriter writes the document's JSON contract, indented, an item of its
// list at a time. Characters a terminal would act on are written as \u
// escapes: the same strings for a JSON reader, nothing for a terminal to
// run when the JSON is shown.
type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, doc Document) error {
	out := bufio.NewWriterSize(w, 64<<10)
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	if doc.JSONList == nil {
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc.JSON); err != nil {
			return err
		}
		if err := writeJSON(out, item.Bytes()); err != nil {
			return err
		}
		return out.Flush()
	}
	// Items are indented as inside the array encoding/json would write.
	enc.SetIndent("  ", "  ")
	n := 0
	err := doc.JSONList(func(v any) error {
		item.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		if n == 0 {
			out.WriteString("[\n  ")
		} else {
			out.WriteString(",\n  ")
		}
		n++
		// An error writing stops the reading: a closed pipe, a full disk.
		return writeJSON(out, bytes.TrimSuffix(item.Bytes(), []byte("\n")))
	})
	if err != nil {
		return err
	}
	if n == 0 {
		out.WriteString("[]\n")
	} else {
		out.WriteString("\n]\n")
	}
	return out.Flush()
}

// writeJSON writes JSON from encoding/json with \u escapes for what it
// leaves raw and visible.Escape would escape: DEL, the C1 controls and the
// format characters (bidi overrides and isolates, zero-width characters).
// encoding/json already escapes the C0 controls and U+2028, U+2029, and
// writes no invalid UTF-8, so only bytes from 0x7f on are looked at.
func writeJSON(w *bufio.Writer, b []byte) error {
	start := 0
	for i := 0; i < len(b); {
		if b[i] < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if !escapedInJSON(r) {
			i += size
			continue
		}
		w.Write(b[start:i])
		if r > 0xffff {
			r1, r2 := utf16Surrogates(r)
			writeUnicodeEscape(w, r1)
			writeUnicodeEscape(w, r2)
		} else {
			writeUnicodeEscape(w, r)
		}
		i += size
		start = i
	}
	_, err := w.Write(b[start:]) // bufio keeps the first error
	return err
}

// escapedInJSON tells a character writeJSON escapes.
func escapedInJSON(r rune) bool {
	switch {
	case r >= 0x7f && r < 0xa0: // DEL, C1
		return true
	case r == 0xad: // the soft hyphen, which visible leaves too
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

func utf16Surrogates(r rune) (rune, rune) {
	r -= 0x10000
	return 0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff
}

func writeUnicodeEscape(w *bufio.Writer, r rune) {
	const hex = "0123456789abcdef"
	w.WriteString(`\u`)
	w.WriteByte(hex[r>>12&0xf])
	w.WriteByte(hex[r>>8&0xf])
	w.WriteByte(hex[r>>4&0xf])
	w.WriteByte(hex[r&0xf])
}
