package output

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// A table is fitted to a width, in the cells of a terminal, by steps that
// each lose more than the one before, until it fits:
//
//  1. headers wrap at their spaces, and the columns tagged table:"wrap"
//     (names, lists) narrow down to their least width, their cells wrapped;
//  2. the columns tagged table:"prio=N" are left out, the highest N first
//     (the rightmost first among equals), and said under the table;
//  3. every cell wraps at its spaces;
//  4. every word is cut where it must be;
//  5. the rightmost columns are left out.
//
// Whatever room is left then goes first to the cells of wrapped columns,
// then to headers, up to the width they would have without a limit
// (spread).

// defaultWrapWidth is the least width of a column tagged table:"wrap"
// without a width of its own: most names fit a line, and a school's list
// keeps its count of competences on a screen of 80 columns.
const defaultWrapWidth = 8

// cutWidth is the least width of a column whose words are cut: a
// character twice as wide as a letter still fits.
const cutWidth = 3

// fitColumn is what fitting needs to know of a column, in display cells.
type fitColumn struct {
	header     int // the header's width
	headerWord int // its longest word's
	cells      int // the widest cell's
	cellWord   int // the longest word of its cells
	wrap       int // table:"wrap": the least width its cells are wrapped to; 0 for none
	prio       int // table:"prio=N": left out before those of a lower N; 0: never
}

func (c fitColumn) natural() int { return max(c.header, c.cells) }

// frame is the width the borders and padding of n columns take: "│ " and
// " " around each cell, "│" at the end.
func frame(n int) int { return 3*n + 1 }

// fit chooses the columns of a table to show and their widths so that the
// table is at most limit cells wide (0: no limit). It returns the indexes
// of the columns kept, in order, and their widths.
func fit(cols []fitColumn, limit int) (keep, widths []int) {
	keep = make([]int, len(cols))
	for i := range cols {
		keep[i] = i
	}
	natural := func(c fitColumn) int { return c.natural() }
	if limit <= 0 || total(cols, keep, natural)+frame(len(keep)) <= limit {
		return keep, widthsOf(cols, keep, natural)
	}
	wrapped := func(c fitColumn) int { // steps 1 and 2
		if c.wrap > 0 {
			return max(c.headerWord, min(c.natural(), c.wrap))
		}
		return max(c.cells, c.headerWord)
	}
	fits := func(least func(fitColumn) int) bool {
		return total(cols, keep, least)+frame(len(keep)) <= limit
	}
	droppable := make([]int, 0, len(cols))
	for i, c := range cols {
		if c.prio > 0 {
			droppable = append(droppable, i)
		}
	}
	slices.SortStableFunc(droppable, func(a, b int) int {
		if cols[a].prio != cols[b].prio {
			return cols[b].prio - cols[a].prio
		}
		return b - a
	})
	for !fits(wrapped) && len(droppable) > 0 {
		keep = slices.DeleteFunc(keep, func(i int) bool { return i == droppable[0] })
		droppable = droppable[1:]
	}
	if fits(wrapped) {
		return keep, spread(cols, keep, wrapped, limit)
	}
	words := func(c fitColumn) int { // step 3
		if c.wrap > 0 {
			return wrapped(c)
		}
		return max(c.cellWord, c.headerWord)
	}
	if fits(words) {
		return keep, spread(cols, keep, words, limit)
	}
	cut := func(c fitColumn) int { return min(c.natural(), cutWidth) } // step 4
	for !fits(cut) && len(keep) > 1 {
		keep = keep[:len(keep)-1] // step 5
	}
	if !fits(cut) { // a limit narrower than one column: as narrow as can be
		return keep, []int{max(limit-frame(1), cut(cols[keep[0]]), 1)}
	}
	return keep, spread(cols, keep, cut, limit)
}

func total(cols []fitColumn, keep []int, width func(fitColumn) int) int {
	sum := 0
	for _, i := range keep {
		sum += width(cols[i])
	}
	return sum
}

func widthsOf(cols []fitColumn, keep []int, width func(fitColumn) int) []int {
	out := make([]int, len(keep))
	for k, i := range keep {
		out[k] = width(cols[i])
	}
	return out
}

// spread gives the kept columns their least width, then what is left of
// limit, in turns: to words cut, those of columns that do not wrap first (a
// status is a word or two, names wrap anyway), then all; then to the cells
// of each column, up to its widest; then to the headers, up to their own
// width. A status or a header gains only when it is made whole: what is
// left goes to those that lack least first. Wrapped text gains from any
// cell: the columns share what is left in proportion to what they lack.
func spread(cols []fitColumn, keep []int, least func(fitColumn) int, limit int) []int {
	widths := widthsOf(cols, keep, least)
	left := limit - frame(len(keep)) - total(cols, keep, least)
	for _, turn := range []struct {
		target func(fitColumn) int
		whole  bool
	}{
		{func(c fitColumn) int {
			if c.wrap > 0 {
				return 0
			}
			return c.cellWord
		}, true},
		{func(c fitColumn) int { return max(c.cellWord, c.headerWord) }, false},
		{func(c fitColumn) int { return c.cells }, false},
		{func(c fitColumn) int { return c.natural() }, true},
	} {
		lacks := make([]int, len(keep))
		sum := 0
		for k, i := range keep {
			lacks[k] = max(0, turn.target(cols[i])-widths[k])
			sum += lacks[k]
		}
		switch {
		case sum == 0 || left == 0:
		case sum <= left:
			for k := range keep {
				widths[k] += lacks[k]
			}
			left -= sum
		case turn.whole:
			order := make([]int, len(keep))
			for k := range order {
				order[k] = k
			}
			slices.SortStableFunc(order, func(a, b int) int { return lacks[a] - lacks[b] })
			for _, k := range order {
				given := min(lacks[k], left)
				widths[k] += given
				left -= given
			}
		default:
			given := 0
			for k := range keep {
				share := lacks[k] * left / sum
				widths[k] += share
				lacks[k] -= share
				given += share
			}
			for left -= given; left > 0; left-- { // the rest, a cell each, to those that lack most
				most := 0
				for k := range lacks {
					if lacks[k] > lacks[most] {
						most = k
					}
				}
				widths[most]++
				lacks[most]--
			}
		}
	}
	return widths
}

// wrapText breaks text into lines at most width cells wide: after a space
// (dropped at the end of a line) or a hyphen, and within a word only when
// the word alone is wider than a line. A character that takes no cell (a
// combining accent) stays with the one before it.
func wrapText(text string, width int) []string {
	if width <= 0 || displayWidth(text) <= width {
		return []string{text}
	}
	var lines []string
	var line strings.Builder
	used := 0 // of line
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		used = 0
	}
	for _, word := range splitWords(text) {
		body := strings.TrimRight(word, " ")
		w := displayWidth(body)
		if used > 0 && used+w > width {
			flush()
		}
		for used+w > width { // a word wider than a line: cut
			head, tail := cutAt(body, width-used)
			line.WriteString(head)
			flush()
			body, w = tail, displayWidth(tail)
		}
		line.WriteString(body)
		line.WriteString(word[len(strings.TrimRight(word, " ")):])
		used += w + len(word) - len(strings.TrimRight(word, " "))
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// splitWords cuts text where a line may end: after each space, after a
// hyphen between two letters (SAINT-MARTIN, not --all), and after the
// separator of a path's folders (not a date's).
func splitWords(text string) []string {
	var words []string
	start := 0
	for i := 0; i < len(text); i++ {
		var cut bool
		switch text[i] {
		case ' ':
			cut = i+1 == len(text) || text[i+1] != ' '
		case '-':
			cut = i > start && i+1 < len(text) && wordByte(text[i-1]) && wordByte(text[i+1])
		case '/', '\\': // not in a date, 14/03/2026, or a count, 7/8
			cut = i > start && i+1 < len(text) && (text[i+1] < '0' || text[i+1] > '9')
		}
		if cut {
			words = append(words, text[start:i+1])
			start = i + 1
		}
	}
	if start < len(text) {
		words = append(words, text[start:])
	}
	return words
}

// wordByte tells whether a byte is of a letter or digit: ASCII ones, or
// any byte of a character beyond ASCII (É, ï, 王).
func wordByte(b byte) bool {
	return b >= utf8.RuneSelf || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// widestWord is the width of the widest word of text, where wrapText
// may end a line.
func widestWord(text string) int {
	if strings.IndexAny(text, " -/\\") < 0 {
		return displayWidth(text)
	}
	longest := 0
	for _, w := range splitWords(text) {
		longest = max(longest, displayWidth(strings.TrimRight(w, " ")))
	}
	return longest
}

// cutAt cuts s where it reaches width cells, never between a character and
// the marks that take no cell after it. head holds one character at least,
// even wider than width: a line must move on.
func cutAt(s string, width int) (head, tail string) {
	used := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		w := runeWidth(r)
		if w > 0 && used+w > width && i > 0 {
			return s[:i], s[i:]
		}
		used += w
		i += size
	}
	return s, ""
}

// runeWidth is the width of one character, as displayWidth counts it.
func runeWidth(r rune) int {
	if r >= 0x20 && r < utf8.RuneSelf {
		return 1
	}
	return twwidth.Width(string(r))
}

// tableTag is what a field's `table` tag says of its column on a screen.
type tableTag struct {
	hidden bool // table:"-": never on a screen
	wrap   int  // table:"wrap" or "wrap=N"
	prio   int  // table:"prio=N"
}

// parseTableTag reads a `table` tag: "-", or options separated by commas,
// "wrap", "wrap=N" (the least width of its wrapped cells) and "prio=N". A
// mistake is pixcert's, found by any test that writes the record.
func parseTableTag(owner, tag string) tableTag {
	if tag == "-" {
		return tableTag{hidden: true}
	}
	var t tableTag
	for _, opt := range strings.Split(tag, ",") {
		name, value, hasValue := strings.Cut(strings.TrimSpace(opt), "=")
		n, err := strconv.Atoi(value)
		switch {
		case name == "" && !hasValue:
		case name == "wrap" && !hasValue:
			t.wrap = defaultWrapWidth
		case name == "wrap" && err == nil && n > 0:
			t.wrap = n
		case name == "prio" && err == nil && n > 0:
			t.prio = n
		default:
			panic(fmt.Sprintf("output : champ %s : table:%q inconnu (-, wrap, wrap=N ou prio=N attendu)", owner, tag))
		}
	}
	return t
}
