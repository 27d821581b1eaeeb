// Package output writes lists of students for people (a table), for Excel
// (CSV as French Excel opens it) and for scripts (JSON). Each format is one
// file; New picks one by name.
package output

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"pixcert/internal/certif"
	"pixcert/internal/frdate"
	"pixcert/internal/store"
)

// StatusWriter writes the students `pixcert status` selected.
type StatusWriter interface {
	WriteStatus(w io.Writer, students []store.StudentStatus) error
}

var statusWriters = map[string]func() StatusWriter{
	"table": func() StatusWriter { return tableWriter{} },
	"csv":   func() StatusWriter { return csvWriter{} },
	"json":  func() StatusWriter { return jsonWriter{} },
}

// StatusFormats lists the accepted formats, sorted.
func StatusFormats() []string {
	names := make([]string, 0, len(statusWriters))
	for name := range statusWriters {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// New returns the writer of a format, or an error listing the valid ones.
func New(format string) (StatusWriter, error) {
	if mk, ok := statusWriters[strings.ToLower(format)]; ok {
		return mk(), nil
	}
	return nil, fmt.Errorf("format « %s » inconnu : choisissez parmi %s", format, strings.Join(StatusFormats(), ", "))
}

// statusColumns are the columns of the status list, as Pix Orga names them
// where it has them (pix-formats.md §5).
var statusColumns = []string{"Nom", "Prénom", "Classe", "Certificabilité", "Date", "Comp. certifiables", "Score Pix", "Envois"}

// statusCells are the cells of one student in statusColumns order. Counts of
// a student who never sent a profile are blank, not zero: nothing is known.
func statusCells(s store.StudentStatus) []string {
	var competences, score string
	if s.HasProfile {
		competences, score = strconv.Itoa(s.CertifiableCt), strconv.Itoa(s.PixTotal)
	}
	return []string{s.LastName, s.FirstName, s.Class, s.Status.Label(), frdate.French(s.StatusDate),
		competences, score, strconv.Itoa(s.Sendings)}
}

// countNouns are the statuses as a count line says them, singular and plural.
var countNouns = map[certif.Status][2]string{
	certif.Certifiable:     {"certifiable", "certifiables"},
	certif.NotCertifiable:  {"non certifiable", "non certifiables"},
	certif.NotCommunicated: {"non communiqué", "non communiqués"},
}

// CountLine sums up a list the way Pix Orga counts its students
// ("8 élèves"), with the split by status.
func CountLine(students []store.StudentStatus) string {
	counts := map[certif.Status]int{}
	for _, s := range students {
		counts[s.Status]++
	}
	line := countOf(len(students), [2]string{"élève", "élèves"})
	var parts []string
	for _, st := range certif.Statuses {
		if counts[st] > 0 {
			parts = append(parts, countOf(counts[st], countNouns[st]))
		}
	}
	if len(parts) == 0 {
		return line
	}
	return line + " : " + strings.Join(parts, ", ")
}

func countOf(n int, nouns [2]string) string {
	if n > 1 {
		return fmt.Sprintf("%d %s", n, nouns[1])
	}
	return fmt.Sprintf("%d %s", n, nouns[0])
}

// Guard protects a text cell from being run as a formula by a spreadsheet,
// as Pix does in its own exports (pix-formats.md §6): a leading = + - or @
// gets an apostrophe before it.
func Guard(s string) string {
	if s != "" && strings.IndexByte("=+-@", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
