package roster

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/limits"
)

// TestLengthLimits: a cell longer than any real name, class or id is a
// problem at its line and column, quoted cut and escaped; the other rows
// are read.
func TestLengthLimits(t *testing.T) {
	longest := strings.Repeat("é", limits.MaxNameChars) // allowed: characters are counted, not bytes
	tests := []struct {
		row, column, want string
	}{
		{"123456789AB;DUPONT;" + strings.Repeat("Marie ", 34) + ";3E2", "Prénom", "est trop long pour des prénoms (203 caractères, au plus 200)"},
		{"123456789AB;" + strings.Repeat("\x1b[2J", 60) + ";Léa;3E2", "Nom", "« \\x1b[2J\\x1b[2J"},
		{"123456789AB;DUPONT;Léa;" + strings.Repeat("3", limits.MaxClassChars+1), "Classe", "est trop long pour une classe (101 caractères, au plus 100)"},
		{strings.Repeat("1", limits.MaxIDChars+1) + ";DUPONT;Léa;3E2", "INE", "est trop long pour un identifiant (65 caractères, au plus 64)"},
	}
	for _, tt := range tests {
		text := "INE;Nom;Prénom;Classe\n" + tt.row + "\n223456789AB;" + longest + ";Tom;3E2\n"
		_, students, errs := readRoster(t, text)
		if len(errs) != 1 || errs[0].Line != 2 || errs[0].Column != tt.column || !strings.Contains(errs[0].Msg, tt.want) {
			t.Errorf("%.40q: problems %v, want one at line 2, column %s, saying %q", tt.row, errs, tt.column, tt.want)
		}
		if len(students) != 1 || students[0].LastName != longest {
			t.Errorf("%.40q: students %v, want the one of line 3", tt.row, students)
		}
	}
	_, _, errs := readRoster(t, "Élève;Classe\n"+strings.Repeat("DUPONT ", 30)+"Léa;3E2\n")
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "est trop long pour un nom suivi des prénoms (213 caractères, au plus 200)") {
		t.Errorf("full name: problems %v", errs)
	}
}

func TestSIECLEXMLLimits(t *testing.T) {
	student := func(id int, last string) string {
		return fmt.Sprintf(`<ELEVE ELEVE_ID="%d"><ID_NATIONAL>X%d</ID_NATIONAL><NOM_DE_FAMILLE>%s</NOM_DE_FAMILLE><PRENOM>a</PRENOM></ELEVE>`+"\n", id, id, last)
	}
	structure := func(id int, class string) string {
		return fmt.Sprintf(`<STRUCTURES_ELEVE ELEVE_ID="%d"><STRUCTURE><CODE_STRUCTURE>%s</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>`, id, class)
	}
	t.Run("long fields", func(t *testing.T) {
		doc := xmlHead + student(1, strings.Repeat("A", 201)) + student(2, "B") + student(3, "C") + "</ELEVES><STRUCTURES>" +
			structure(1, "6A") + structure(2, strings.Repeat("6", 101)) + structure(3, "6A") + "</STRUCTURES></DONNEES></BEE_ELEVES>"
		students, _, errs := readXML(t, []byte(doc))
		if len(errs) != 2 || errs[0].Line != 3 || errs[0].Column != "NOM_DE_FAMILLE" || errs[1].Line != 4 || errs[1].Column != "CODE_STRUCTURE" {
			t.Errorf("problems %v, want the name of line 3 and the division of line 4", errs)
		}
		if len(students) != 1 || students[0].LastName != "C" {
			t.Errorf("students %v, want C", students)
		}
	})
	t.Run("too many students", func(t *testing.T) {
		var doc bytes.Buffer
		doc.WriteString(xmlHead)
		for i := 0; i <= limits.MaxSIECLEStudents; i++ {
			doc.WriteString(student(i, "A"))
		}
		students, _, errs := readXML(t, doc.Bytes())
		if len(errs) != 1 || errs[0].Line != limits.MaxSIECLEStudents+3 || !strings.Contains(errs[0].Msg, "plus de 100 000 élèves") || len(students) != 0 {
			t.Errorf("problems %v and %d students, want the limit at the student past it", errs, len(students))
		}
	})
	t.Run("a text of megabytes", func(t *testing.T) {
		_, _, errs := readXML(t, []byte(xmlHead+student(1, strings.Repeat("A", limits.MaxXMLText+1))))
		if len(errs) != 1 || errs[0].Line != 3 || !strings.Contains(errs[0].Msg, "texte de plus de 256 Ko entre deux balises") {
			t.Errorf("problems %v", errs)
		}
	})
}
