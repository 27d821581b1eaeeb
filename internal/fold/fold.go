// Package fold turns names and column headers into comparison keys, so that
// "LEFÈVRE", "Lefevre" and "le-fèvre" compare equal, as do "Nom d’usage" and
// "NOM D'USAGE".
//
// Names in Pix exports are either copied from the school's student records or
// typed by the learner; headers come from Pix, Excel or school software. Both
// differ from the roster in case, accents, apostrophes, hyphens and spacing,
// never in the letters themselves, so the key keeps only letters and digits,
// lower-cased and stripped of their accents.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Key returns the comparison key of s: its letters and digits, lower-cased,
// without accents; everything else (spaces, apostrophes, hyphens, dots,
// asterisks...) is dropped.
func Key(s string) string {
	return string(Append(make([]byte, 0, len(s)), s))
}

// ligatures do not decompose, even under NFKD, but are written out by
// people who cannot type them.
var ligatures = map[rune]string{
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ß': "ss",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l",
}

// latin holds the folded form of the letters of Latin-1 and Latin
// Extended-A, where nearly every accented letter of a name falls: folding
// them costs a lookup instead of a decomposition.
var latin = func() (t [0x180]string) {
	for r := rune(0x80); r < 0x180; r++ {
		t[r] = decompose(r)
	}
	return t
}()

// decompose folds one rune: ligatures written out, accents dropped, lower
// case, nothing for punctuation. The compatibility decomposition (NFKD)
// also writes out what a keyboard types as several letters: digraphs
// ("Ǆ" as "DŽ"), typographic ligatures ("ﬁ"), full-width letters.
func decompose(r rune) string {
	if s, ok := ligatures[r]; ok {
		return s
	}
	var out strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		if unicode.IsLetter(d) || unicode.IsDigit(d) {
			out.WriteRune(unicode.ToLower(d))
		}
	}
	return out.String()
}

// SortKey is Key with its numbers padded, so that keys sort as people
// expect: "3E2" before "3E10", "TD9" before "TD10".
func SortKey(s string) string {
	key := Key(s)
	var b strings.Builder
	for i := 0; i < len(key); {
		if key[i] < '0' || key[i] > '9' {
			b.WriteByte(key[i])
			i++
			continue
		}
		j := i
		for j < len(key) && '0' <= key[j] && key[j] <= '9' {
			j++
		}
		if pad := 8 - (j - i); pad > 0 {
			b.WriteString(strings.Repeat("0", pad))
		}
		b.WriteString(key[i:j])
		i = j
	}
	return b.String()
}

// Distance is Levenshtein's edit distance between two keys, counted in
// bytes: keys are ASCII but for letters NFKD leaves alone.
func Distance(a, b string) int { return DistanceAtMost(a, b, len(a)+len(b)) }

// DistanceAtMost is Distance when it is at most limit, and limit+1 when it
// is more: it stops as soon as no edit can bring it back under the limit.
// Names of ordinary length are measured without allocating: unmatched
// compares each participant with a class or two.
func DistanceAtMost(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	var rows [2][64]int
	prev, cur := rows[0][:], rows[1][:]
	if len(b)+1 > len(prev) {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev, cur = prev[:len(b)+1], cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit { // a row's least never decreases below
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit+1)
}

// Append appends the comparison key of s to dst, as Key does, without
// allocating a string: an import folds a few keys a row, millions of rows.
func Append(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				dst = append(dst, c)
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r < rune(len(latin)) {
			dst = append(dst, latin[r]...)
		} else {
			dst = append(dst, decompose(r)...)
		}
	}
	return dst
}
