package importer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/visible"
)

// Expansion is a file pattern given to import and the files it stood for.
type Expansion struct {
	Pattern string
	Files   []string // sorted
}

// NoMatchError is file patterns that match no file.
type NoMatchError struct {
	Patterns []string
	// Bad are those of Patterns that are not even patterns: a « [ »
	// without its « ] ».
	Bad []string
}

func (e *NoMatchError) Error() string {
	quoted := make([]string, len(e.Patterns))
	for i, p := range e.Patterns {
		quoted[i] = "« " + visible.Quote(p) + " »"
	}
	msg := "aucun fichier ne correspond à " + strings.Join(quoted, ", ni à ")
	if len(e.Bad) > 0 {
		msg += " (un « [ » sans « ] » n'est pas un motif : entourez le nom de guillemets s'il contient ce crochet)"
	}
	return msg + " : vérifiez le nom et le dossier où la commande est lancée"
}

// isPattern tells whether a file argument holds a wildcard of a shell:
// * ? or [.
func isPattern(arg string) bool { return strings.ContainsAny(arg, "*?[") }

// ExpandPatterns replaces each argument that names no file as written and
// holds a wildcard (* ? [) with the files it matches, sorted, and says
// which, in expansions. The shells of Windows (cmd.exe, PowerShell) pass
// Resultats-*.csv to a program as typed, and so does any shell a quoted
// pattern: pixcert expands it as a Unix shell would have. A file whose name
// holds a bracket is taken as written when it exists. exists tells whether
// a path names a file (or anything: a folder is refused later, as
// written); glob is filepath.Glob, or a fake in tests. A pattern that
// matches nothing is a *NoMatchError naming every such pattern; "-"
// (standard input) is never one.
func ExpandPatterns(args []string, exists func(string) bool, glob func(string) ([]string, error)) (files []string, expansions []Expansion, err error) {
	var none NoMatchError
	for _, arg := range args {
		if arg == "-" || !isPattern(arg) || exists(arg) {
			files = append(files, arg)
			continue
		}
		matches, err := glob(arg)
		if err != nil {
			none.Bad = append(none.Bad, arg) // filepath.ErrBadPattern, its only error
		}
		if len(matches) == 0 {
			none.Patterns = append(none.Patterns, arg)
			continue
		}
		matches = slices.Clone(matches)
		slices.Sort(matches)
		files = append(files, matches...)
		expansions = append(expansions, Expansion{Pattern: arg, Files: matches})
	}
	if len(none.Patterns) > 0 {
		return nil, nil, &none
	}
	return files, expansions, nil
}

// String says what a pattern stood for, as import tells it:
// « Resultats-*.csv » désigne 2 fichiers : Resultats-3e1.csv, Resultats-3e2.csv.
func (e Expansion) String() string {
	names := make([]string, len(e.Files))
	for i, f := range e.Files {
		names[i] = visible.Escape(f)
	}
	return fmt.Sprintf("« %s » désigne %s : %s", visible.Quote(e.Pattern), french.Plural(len(e.Files), "fichier", "fichiers"), strings.Join(names, ", "))
}
