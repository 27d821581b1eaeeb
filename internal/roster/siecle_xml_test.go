package roster

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/samples"
)

func readXML(t *testing.T, data []byte) ([]Student, XMLSkipped, fileerr.List) {
	t.Helper()
	var out []Student
	var errs fileerr.Collector
	skipped, err := ReadSIECLEXML("ElevesSansAdresses.xml", bytes.NewReader(data), now, &errs, func(s Student) error {
		out = append(out, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, skipped, errs.Kept
}

func TestSIECLEXMLSample(t *testing.T) {
	students, skipped, errs := readXML(t, samples.Read(t, "ElevesSansAdresses.xml"))
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if skipped != (XMLSkipped{Left: 1}) {
		t.Errorf("skipped = %+v, want the one student who left", skipped)
	}
	if len(students) != 7 {
		t.Fatalf("%d students, want 7 (=BONO Paul left)", len(students))
	}
	want := Student{Line: students[0].Line, NationalID: "123456789AB", LastName: "DUPONT", FirstName: "Léa", Class: "3E2", Birthdate: "2011-03-14"}
	if !reflect.DeepEqual(students[0], want) {
		t.Errorf("first student = %+v, want %+v", students[0], want)
	}
	for _, s := range students {
		if s.LastName == "DUBOIS" && s.UsageName != "MOREAU" {
			t.Errorf("DUBOIS usage name = %q, want MOREAU", s.UsageName)
		}
		if s.LastName == "LEFÈVRE" && s.Class != "3E1" {
			t.Errorf("ISO-8859-15 name or division misread: %+v", s)
		}
	}
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8"?>
<BEE_ELEVES VERSION="3.1"><DONNEES><ELEVES>
`

func TestSIECLEXMLRules(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		wantNames   []string
		wantSkipped XMLSkipped
		wantErr     string
	}{
		{"no national id, no division, left: skipped as Pix does", `
<ELEVE ELEVE_ID="1"><ID_NATIONAL></ID_NATIONAL><NOM_DE_FAMILLE>A</NOM_DE_FAMILLE><PRENOM>a</PRENOM><DATE_NAISS>01/01/2011</DATE_NAISS></ELEVE>
<ELEVE ELEVE_ID="2"><ID_NATIONAL>X2</ID_NATIONAL><NOM_DE_FAMILLE>B</NOM_DE_FAMILLE><PRENOM>b</PRENOM><DATE_NAISS>01/01/2011</DATE_NAISS></ELEVE>
<ELEVE ELEVE_ID="3"><ID_NATIONAL>X3</ID_NATIONAL><NOM_DE_FAMILLE>C</NOM_DE_FAMILLE><PRENOM>c</PRENOM><DATE_SORTIE>01/09/2025</DATE_SORTIE></ELEVE>
<ELEVE ELEVE_ID="4"><ID_NATIONAL>X4</ID_NATIONAL><NOM_DE_FAMILLE>D</NOM_DE_FAMILLE><PRENOM>d</PRENOM><DATE_NAISS>01/01/2011</DATE_NAISS></ELEVE>
</ELEVES><STRUCTURES>
<STRUCTURES_ELEVE ELEVE_ID="1"><STRUCTURE><CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
<STRUCTURES_ELEVE ELEVE_ID="2"><STRUCTURE><CODE_STRUCTURE>LATIN</CODE_STRUCTURE><TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
<STRUCTURES_ELEVE ELEVE_ID="3"><STRUCTURE><CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
<STRUCTURES_ELEVE ELEVE_ID="4"><STRUCTURE><CODE_STRUCTURE>6B</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
</STRUCTURES></DONNEES></BEE_ELEVES>`, []string{"D"}, XMLSkipped{Left: 1, NoID: 1, NoDivision: 1}, ""},
		{"the division « Inactifs » is not a division", `
<ELEVE ELEVE_ID="1"><ID_NATIONAL>X1</ID_NATIONAL><NOM_DE_FAMILLE>A</NOM_DE_FAMILLE><PRENOM>a</PRENOM><DATE_NAISS>01/01/2011</DATE_NAISS></ELEVE>
<ELEVE ELEVE_ID="2"><ID_NATIONAL>X2</ID_NATIONAL><NOM_DE_FAMILLE>B</NOM_DE_FAMILLE><PRENOM>b</PRENOM><DATE_NAISS>01/01/2011</DATE_NAISS></ELEVE>
<ELEVE ELEVE_ID="3"><ID_NATIONAL>X3</ID_NATIONAL><NOM_DE_FAMILLE>C</NOM_DE_FAMILLE><PRENOM>c</PRENOM><DATE_NAISS>01/01/2011</DATE_NAISS></ELEVE>
</ELEVES><STRUCTURES>
<STRUCTURES_ELEVE ELEVE_ID="1"><STRUCTURE><CODE_STRUCTURE>Inactifs</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
<STRUCTURES_ELEVE ELEVE_ID="2"><STRUCTURE><CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE><STRUCTURE><CODE_STRUCTURE>INACTIFS</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
<STRUCTURES_ELEVE ELEVE_ID="3"><STRUCTURE><CODE_STRUCTURE>Inactifs</CODE_STRUCTURE><TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE><STRUCTURE><CODE_STRUCTURE>6B</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
</STRUCTURES></DONNEES></BEE_ELEVES>`, []string{"B", "C"}, XMLSkipped{Inactive: 1}, ""},
		{"impossible birth date", `
<ELEVE ELEVE_ID="1"><ID_NATIONAL>X1</ID_NATIONAL><NOM_DE_FAMILLE>A</NOM_DE_FAMILLE><PRENOM>a</PRENOM><DATE_NAISS>31/02/2011</DATE_NAISS></ELEVE>
</ELEVES><STRUCTURES>
<STRUCTURES_ELEVE ELEVE_ID="1"><STRUCTURE><CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>
</STRUCTURES></DONNEES></BEE_ELEVES>`, nil, XMLSkipped{}, "ligne 4, colonne « DATE_NAISS » : « 31/02/2011 » n'est pas une date valide"},
		{"cut file", `<ELEVE ELEVE_ID="1"><ID_NATIONAL>X1</ID_NA`, nil, XMLSkipped{}, "XML illisible"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			students, skipped, errs := readXML(t, []byte(xmlHead+tt.body))
			var names []string
			for _, s := range students {
				names = append(names, s.LastName)
			}
			if !reflect.DeepEqual(names, tt.wantNames) || skipped != tt.wantSkipped {
				t.Errorf("students %v, skipped %+v; want %v, %+v", names, skipped, tt.wantNames, tt.wantSkipped)
			}
			switch {
			case tt.wantErr == "" && len(errs) > 0:
				t.Errorf("errors: %v", errs)
			case tt.wantErr != "" && (len(errs) == 0 || !strings.Contains(errs.Error(), tt.wantErr)):
				t.Errorf("errors %v, want one with %q", errs, tt.wantErr)
			}
		})
	}
}

func TestNotASIECLEXML(t *testing.T) {
	_, _, errs := readXML(t, []byte(`<?xml version="1.0"?><html><body/></html>`))
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "BEE_ELEVES") {
		t.Errorf("errors = %v, want one naming the expected root", errs)
	}
}
