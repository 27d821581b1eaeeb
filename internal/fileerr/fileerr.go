// Package fileerr describes what is wrong in an input file in words a school
// secretary can act on: which file, which line, which column, what was found,
// what was expected.
package fileerr

import (
	"fmt"
	"strings"

	"github.com/pixcert/pixcert/internal/visible"
)

// Error is one problem in one input file. Msg is French and says what was
// found and what was expected; Line and Column locate it when they apply.
type Error struct {
	File   string
	Line   int    // 1-based line of the file, header included; 0 when not about a line
	Column string // the column's name as the file writes it; "" when not about a column
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", ligne %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", colonne « %s »", visible.Quote(e.Column)) // a header cell of the file
	}
	b.WriteString(" : ")
	b.WriteString(e.Msg)
	return b.String()
}

// List collects every problem found, so that a person fixes a file once
// rather than once per error. It is an error only when it holds one.
type List []*Error

func (l List) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// MaxKept bounds how many problems of one file are kept in memory: a wrong
// file of a million rows must not hold a million messages. All are counted.
const MaxKept = 1000

// Collector gathers the problems of one file: the first MaxKept, and how many
// there were in all.
type Collector struct {
	Kept  List
	Total int
}

// Add records a problem.
func (c *Collector) Add(e *Error) {
	c.Total++
	if len(c.Kept) < MaxKept {
		c.Kept = append(c.Kept, e)
	}
}
