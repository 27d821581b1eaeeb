// Package french writes counts as French sentences say them: the noun
// agrees with the number, and 0 and 1 take the singular ("0 élève",
// "1 élève", "2 élèves").
package french

import "fmt"

// Plural writes a count with its noun: "1 envoi", "3 envois".
func Plural(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, Pick(n, one, many))
}

// Pick is the form of a word that n asks for: one for 0 and 1, else many.
func Pick(n int, one, many string) string {
	if n > 1 {
		return many
	}
	return one
}
