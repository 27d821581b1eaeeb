// Package visible makes text read from a file safe to show a person: on a
// terminal, in a table, in a message. A name is data, and data must not move
// the cursor, clear the screen, set a window title or turn the following text
// right to left. What could is shown escaped, in Go's notation (\x1b, \u202e),
// so that the reader sees that the file holds something odd, and where.
package visible

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuoted is how many characters of a cell a message quotes: enough to
// recognise it, not a screenful of a 50 MB cell.
const MaxQuoted = 80

// Escape returns s with every character that a terminal or a text renderer
// would act on rather than show written as an escape: C0 and C1 controls
// (escape sequences start with one), DEL, the bidirectional overrides and
// isolates (U+202A..U+202E, U+2066..U+2069) and the other invisible format
// characters, line and paragraph separators, and bytes that are not UTF-8.
// Text without any comes back unchanged, without a copy.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafe(r):
			b.WriteString(s[i : i+size])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// Quote is what a message shows of a cell: escaped as Escape does and cut
// after MaxQuoted characters, saying how long the whole is.
func Quote(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= MaxQuoted {
		return Escape(s)
	}
	cut := 0
	for k := 0; k < MaxQuoted; k++ {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return fmt.Sprintf("%s… (%d caractères en tout)", Escape(s[:cut]), n)
}

// Lines escapes each line of a text that is meant to have several, such as
// a message listing problems: line ends are kept, the rest is escaped.
func Lines(s string) string {
	if firstUnsafe(s) < 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(l)
	}
	return strings.Join(lines, "\n")
}

// firstUnsafe is the byte index of the first character Escape changes, or
// -1. Printable ASCII, by far the most common, is checked byte by byte.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafe(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafe tells a character Escape writes as an escape.
func unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0: // C0, DEL, C1
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r == 0xad: // the soft hyphen is harmless, and common in pasted names
		return false
	}
	// Format characters: the bidi embeddings, overrides and isolates,
	// marks (U+200E, U+200F, U+061C), zero-width characters, BOM.
	return unicode.Is(unicode.Cf, r)
}
