package roster

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/tabfile"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// readRoster reads a roster from text and returns its format, students and
// problems.
func readRoster(t *testing.T, text string) (string, []Student, fileerr.List) {
	t.Helper()
	f, err := tabfile.Open("eleves.csv", strings.NewReader(text), tabfile.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	r, ok := Detect(f, now)
	if !ok {
		t.Fatalf("not detected as a roster: %q", f.Header)
	}
	var students []Student
	var errs fileerr.Collector
	if err := r.Read(&errs, func(s Student) error { students = append(students, s); return nil }); err != nil {
		t.Fatalf("Read: %v", err)
	}
	return r.Format, students, errs.Kept
}

func TestFormats(t *testing.T) {
	lea := Student{Line: 2, NationalID: "123456789AB", LastName: "DUPONT", FirstName: "Léa", Class: "3E2", Birthdate: "2011-03-14"}
	tests := []struct {
		name       string
		text       string
		wantFormat string
		want       Student
	}{
		{"Pix SIECLE-CSV",
			"Identifiant unique*;Premier prénom*;Deuxième prénom;Troisième prénom;Nom de famille*;Nom d'usage;Code sexe*;Date de naissance (jj/mm/aaaa)*;Code commune naissance**;Libellé commune naissance**;Code département naissance*;Code pays naissance*;Statut*;Code MEF*;Division*\n" +
				"123456789ab;Léa;Marie;;DUPONT;;F;14/03/2011;75056;;075;99100;ST;10310019110;3E2\n",
			"format SIECLE d'import Pix", lea},
		{"Pix SIECLE-CSV with a usage name written with a curly apostrophe",
			"Identifiant unique*;Premier prénom*;Nom de famille*;Nom d’usage;Date de naissance (jj/mm/aaaa)*;Code MEF*;Division*\n" +
				"123456789AB;Léa;DUPONT;MOREAU;14/03/2011;1;3E2\n",
			"format SIECLE d'import Pix", Student{Line: 2, NationalID: "123456789AB", LastName: "DUPONT", UsageName: "MOREAU", FirstName: "Léa", Class: "3E2", Birthdate: "2011-03-14"}},
		{"Pix SUP",
			"Premier prénom;Deuxième prénom;Troisième prénom;Nom de famille;Nom d'usage;Date de naissance (jj/mm/aaaa);Email;Numéro étudiant;Composante;Équipe pédagogique;Groupe;Diplôme;Régime\n" +
				"Maëlle;;;Le Gall;;02/02/2006;m@example.org;21400123;IUT;;TD1;BUT;FI\n",
			"format SUP d'import Pix", Student{Line: 2, StudentNumber: "21400123", LastName: "Le Gall", FirstName: "Maëlle", Class: "TD1", Birthdate: "2006-02-02"}},
		{"Pix generic",
			"Nom apprenant;Prénom apprenant;Classe;Date de naissance\nDUPONT;Léa;3E2;2011-03-14\n",
			"format générique Pix", Student{Line: 2, LastName: "DUPONT", FirstName: "Léa", Class: "3E2", Birthdate: "2011-03-14"}},
		{"ONDE",
			"Nom élève;Prénom élève;INE;Cycle;Niveau;Libellé classe;Date naissance\nDUPONT;Léa;123456789AB;3;CM2;3E2;2011-03-14\n",
			"format ONDE", lea},
		{"extraction in capitals, columns in another order",
			"DIVISION;INE;NOM;PRENOM;DATE NAISS\n3E2;123456789AB;DUPONT;Léa;14/03/11\n",
			"extraction de logiciel de vie scolaire", lea},
		{"extraction with one Élève column",
			"Élève;Né(e) le;Classe;INE\nDUPONT Léa;14/03/2011;3E2;123456789AB\n",
			"extraction de logiciel de vie scolaire", lea},
		{"extraction without accents in the headers",
			"Eleve;Nee le;Classe\nSAINT-MARTIN Jean-Baptiste Louis;;3E1\n",
			"extraction de logiciel de vie scolaire", Student{Line: 2, LastName: "SAINT-MARTIN", FirstName: "Jean-Baptiste Louis", Class: "3E1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			format, students, errs := readRoster(t, tt.text)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if format != tt.wantFormat {
				t.Errorf("format = %q, want %q", format, tt.wantFormat)
			}
			if len(students) != 1 || !reflect.DeepEqual(students[0], tt.want) {
				t.Errorf("students = %+v, want [%+v]", students, tt.want)
			}
		})
	}
}

func TestNotARoster(t *testing.T) {
	for _, header := range []string{"Ville;Code postal", "Nom;Ville", "Nom du Participant;Prénom du Participant;Envoi (O/N)"} {
		f, err := tabfile.Open("x.csv", strings.NewReader(header+"\n"), tabfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := Detect(f, now); ok {
			t.Errorf("%q detected as a roster", header)
		}
	}
}

func TestRowProblems(t *testing.T) {
	const siecle = "Identifiant unique*;Premier prénom*;Nom de famille*;Date de naissance (jj/mm/aaaa)*;Code MEF*;Division*\n"
	tests := []struct {
		name string
		text string
		want []string // "line:column:part of the message"
	}{
		{"impossible date", siecle + "1;Léa;DUPONT;31/02/2011;1;3E2\n",
			[]string{"2:Date de naissance (jj/mm/aaaa)*:la date « 31/02/2011 » n'existe pas"}},
		{"not a date", siecle + "1;Léa;DUPONT;le 14 mars;1;3E2\n",
			[]string{"2:Date de naissance (jj/mm/aaaa)*:« le 14 mars » n'est pas une date"}},
		{"empty required fields", siecle + ";Léa;;14/03/2011;1;\n",
			[]string{"2:Identifiant unique*:obligatoire", "2:Nom de famille*:obligatoire", "2:Division*:obligatoire"}},
		{"duplicate national id, even on a row with another error", siecle + "1;Léa;DUPONT;14/03/2011;1;3E2\n1;Tom;MARTIN;31/02/2011;1;3E2\n",
			[]string{"3:Date de naissance (jj/mm/aaaa)*:n'existe pas", "3:Identifiant unique*:présent plusieurs fois dans le fichier (déjà ligne 2)"}},
		{"full name without a first name", "Élève;Classe\nDUPONT;3E2\n",
			[]string{"2:Élève:ne contient pas un nom suivi d'un prénom"}},
		{"missing required column", "Nom;Prénom\nDUPONT;Léa\n",
			[]string{"0::la colonne « Division » est obligatoire"}},
		{"SUP without a student number column", "Premier prénom;Nom de famille;Date de naissance (jj/mm/aaaa);Numéro étudiant;Groupe\nLéa;DUPONT;14/03/2011;;TD1\n",
			[]string{"2:Numéro étudiant:obligatoire"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, students, errs := readRoster(t, tt.text)
			if len(errs) != len(tt.want) {
				t.Fatalf("%d problems, want %d: %v", len(errs), len(tt.want), errs)
			}
			for i, e := range errs {
				parts := strings.SplitN(tt.want[i], ":", 3)
				if got := strings.Join([]string{strconv.Itoa(e.Line), e.Column}, ":"); got != parts[0]+":"+parts[1] || !strings.Contains(e.Msg, parts[2]) {
					t.Errorf("problem %d = %d:%s:%s, want %s", i, e.Line, e.Column, e.Msg, tt.want[i])
				}
			}
			for _, s := range students {
				if s.Line == 2 && len(tt.want) > 0 && strings.HasPrefix(tt.want[0], "2:") {
					t.Errorf("row with a problem was returned: %+v", s)
				}
			}
		})
	}
}

func TestSplitFullName(t *testing.T) {
	tests := []struct{ in, last, first string }{
		{"DUPONT Léa", "DUPONT", "Léa"},
		{"SAINT-MARTIN Jean-Baptiste", "SAINT-MARTIN", "Jean-Baptiste"},
		{"LE GALL Marie Anne", "LE GALL", "Marie Anne"},
		{"N'DIAYE Inès", "N'DIAYE", "Inès"},
		{"=BONO Paul", "=BONO", "Paul"},
		{"DUPONT LÉA", "DUPONT", "LÉA"},
		{"Dupont Léa", "Dupont", "Léa"},
		{"  DUPONT   Léa  ", "DUPONT", "Léa"},
		{"DUPONT", "DUPONT", ""},
		{"Léa DUPONT", "DUPONT", "Léa"},
		{"Jean-Baptiste SAINT-MARTIN", "SAINT-MARTIN", "Jean-Baptiste"},
		{"Marie Anne LE GALL", "LE GALL", "Marie Anne"},
	}
	for _, tt := range tests {
		last, first := SplitFullName(tt.in)
		if last != tt.last || first != tt.first {
			t.Errorf("SplitFullName(%q) = %q, %q; want %q, %q", tt.in, last, first, tt.last, tt.first)
		}
	}
}

func TestSampleExtractionMatchesSiecleRoster(t *testing.T) {
	read := func(path string) []Student {
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		f, err := tabfile.Open(path, file, tabfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r, ok := Detect(f, now)
		if !ok {
			t.Fatalf("%s: not a roster", path)
		}
		var out []Student
		var errs fileerr.Collector
		if err := r.Read(&errs, func(s Student) error { s.Line = 0; out = append(out, s); return nil }); err != nil || errs.Total > 0 {
			t.Fatalf("%s: %v %v", path, err, errs.Kept)
		}
		return out
	}
	siecle := read(samples.Path("roster-siecle.csv"))
	extraction := read(samples.Path("roster-extraction-cp1252.csv"))
	if len(siecle) != 8 || len(extraction) != 8 {
		t.Fatalf("%d and %d students, want 8 each", len(siecle), len(extraction))
	}
	for i := range siecle {
		siecle[i].UsageName = "" // the extraction has no usage name
		if !reflect.DeepEqual(siecle[i], extraction[i]) {
			t.Errorf("student %d: SIECLE %+v, extraction %+v", i, siecle[i], extraction[i])
		}
	}
}
