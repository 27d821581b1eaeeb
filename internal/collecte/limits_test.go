package collecte

import (
	"strings"
	"testing"
)

// TestLengthLimits: a cell longer than Pix lets it be is a problem at its
// line and column; the other rows are read.
func TestLengthLimits(t *testing.T) {
	good := sentRow("Oui", "5", "3E2")
	for _, tt := range []struct {
		replace, by, column, want string
	}{
		{"Lycée", strings.Repeat("Lycée ", 43), "Nom de l'organisation", "est trop long pour un nom d'organisation (257 caractères, au plus 255)"},
		{"DURAND", strings.Repeat("DURAND-", 30), "Nom du Participant", "est trop long pour un nom (210 caractères, au plus 200)"},
		{"3E2", strings.Repeat("3E2-", 26), "Classe", "est trop long pour une classe ou un groupe (104 caractères, au plus 100)"},
	} {
		bad := strings.Replace(good, tt.replace, tt.by, 1)
		ps, errs, _ := readExport(t, "Resultats.csv", []byte(header("Classe")+"\n"+bad+"\n"+good+"\n"))
		if len(errs) != 1 || errs[0].Line != 2 || errs[0].Column != tt.column || !strings.Contains(errs[0].Msg, tt.want) {
			t.Errorf("%s: problems %v, want one at line 2 saying %q", tt.column, errs, tt.want)
		}
		if len(ps) != 1 || ps[0].Line != 3 {
			t.Errorf("%s: participations %v, want line 3", tt.column, ps)
		}
	}
}
