package tabfile

import (
	"fmt"
	"strings"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/visible"
)

// MissingColumn describes a required column the header lacks, listing the
// columns found and, when one is close enough to be a typo or a rename, that
// one.
func (f *File) MissingColumn(expected string) *fileerr.Error {
	var b strings.Builder
	fmt.Fprintf(&b, "la colonne « %s » est obligatoire et n'a pas été trouvée dans la ligne d'en-tête (ligne %d).", expected, f.HeaderLine)
	if closest, ok := f.closestHeader(expected); ok {
		fmt.Fprintf(&b, " La colonne « %s » lui ressemble : renommez-la « %s » si c'est bien elle.", visible.Quote(closest), expected)
	}
	fmt.Fprintf(&b, " Colonnes trouvées : %s.", quoteList(f.Header, 12))
	return &fileerr.Error{File: f.Name, Msg: b.String()}
}

// closestHeader finds the header cell nearest to name by edit distance on
// folded keys, when the distance is small for the length.
func (f *File) closestHeader(name string) (string, bool) {
	key := fold.Key(name)
	best, bestDist := -1, len(key)/3+1
	for i, k := range f.headerKeys {
		if d := fold.Distance(key, k); d < bestDist {
			best, bestDist = i, d
		}
	}
	if best < 0 {
		return "", false
	}
	return f.Header[best], true
}

func quoteList(cells []string, max int) string {
	quoted := make([]string, 0, max+1)
	for i, c := range cells {
		if i == max {
			quoted = append(quoted, fmt.Sprintf("… (%d en tout)", len(cells)))
			break
		}
		quoted = append(quoted, "« "+visible.Quote(c)+" »")
	}
	return strings.Join(quoted, ", ")
}
