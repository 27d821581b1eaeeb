package tabfile

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encoding is a text encoding pixcert reads, with the name it reports to the
// user in the import summary.
type Encoding struct {
	Name    string
	decoder encoding.Encoding // nil for UTF-8, read as is
}

var (
	UTF8        = Encoding{Name: "UTF-8"}
	UTF16LE     = Encoding{Name: "UTF-16", decoder: unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)}
	UTF16BE     = Encoding{Name: "UTF-16", decoder: unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)}
	Windows1252 = Encoding{Name: "Windows-1252", decoder: charmap.Windows1252}
	MacRoman    = Encoding{Name: "Mac Roman", decoder: charmap.Macintosh}
	ISO88591    = Encoding{Name: "ISO-8859-1", decoder: charmap.ISO8859_1}
	ISO885915   = Encoding{Name: "ISO-8859-15", decoder: charmap.ISO8859_15}
)

// encodingsByKey are the names accepted by --encoding, folded to lower case
// without punctuation.
var encodingsByKey = map[string]Encoding{
	"utf8": UTF8, "utf16": UTF16LE, "utf16le": UTF16LE, "utf16be": UTF16BE,
	"windows1252": Windows1252, "cp1252": Windows1252, "ansi": Windows1252,
	"macroman": MacRoman, "macintosh": MacRoman,
	"iso88591": ISO88591, "latin1": ISO88591,
	"iso885915": ISO885915, "latin9": ISO885915,
}

// ParseEncoding reads a name given by the user (--encoding).
func ParseEncoding(name string) (Encoding, error) {
	key := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(name))
	if enc, ok := encodingsByKey[key]; ok {
		return enc, nil
	}
	names := make([]string, 0, len(encodingsByKey))
	seen := map[string]bool{}
	for _, enc := range encodingsByKey {
		if !seen[enc.Name] {
			seen[enc.Name] = true
			names = append(names, enc.Name)
		}
	}
	sort.Strings(names)
	return Encoding{}, fmt.Errorf("encodage « %s » inconnu : choisissez parmi %s", name, strings.Join(names, ", "))
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// detectEncoding chooses the encoding of a file from its first bytes, the way
// Pix does for student files: a BOM decides; otherwise UTF-8 if the bytes are
// valid UTF-8, then Windows-1252 or Mac Roman, whichever reads as French.
// It returns how many bytes of BOM to skip.
func detectEncoding(head []byte, truncated bool) (enc Encoding, bomLen int) {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return UTF8, len(bomUTF8)
	case bytes.HasPrefix(head, bomUTF16LE):
		return UTF16LE, 0 // the UTF-16 decoder consumes its BOM
	case bytes.HasPrefix(head, bomUTF16BE):
		return UTF16BE, 0
	}
	if validUTF8Prefix(head, truncated) {
		return UTF8, 0
	}
	// Pix's order of trial, then ISO-8859-15 (SIECLE's own), which differs
	// from Windows-1252 on œ, Œ and €; the first that reads best wins, so a
	// tie goes to Windows-1252, which also reads ISO-8859-1.
	best, bestScore := Windows1252, -1
	for _, enc := range []Encoding{Windows1252, MacRoman, ISO885915} {
		if score := frenchScore(head, enc.decoder.(*charmap.Charmap)); score > bestScore {
			best, bestScore = enc, score
		}
	}
	return best, 0
}

// validUTF8Prefix accepts a last rune cut by the end of the sample.
func validUTF8Prefix(b []byte, truncated bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !truncated {
		return false
	}
	for cut := 1; cut < utf8.UTFMax && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return false
}

// frenchLetters are the non-ASCII letters of French names and headers.
const frenchLetters = "éèêëàâäîïôöùûüçÉÈÊËÀÂÄÎÏÔÖÙÛÜÇœŒæÆ’€"

// frenchScore counts the bytes above ASCII that decode, in cm, to a letter of
// French. Windows-1252 and Mac Roman put é, è, à… at different codes, so the
// right one scores higher.
func frenchScore(b []byte, cm *charmap.Charmap) int {
	score := 0
	for _, c := range b {
		if c >= utf8.RuneSelf && strings.ContainsRune(frenchLetters, cm.DecodeByte(c)) {
			score++
		}
	}
	return score
}
