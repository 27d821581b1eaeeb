package sessions

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/pixcert/pixcert/internal/fileerr"
)

func TestParseExtraTime(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"", 0}, {"  ", 0}, {"non", 0}, {"NON", 0}, {"Non.", 0}, {"0", 0}, {"0%", 0}, {"-0", 0},
		{"33%", 33}, {"33 %", 33}, {"33\u00a0%", 33}, {"33\u202f%", 33}, {" 33 ", 33}, {"033", 33},
		{"1/3", 33}, {"1 / 3", 33}, {"1/2", 50}, {"2/3", 67}, {"1/1", 100},
		{"tiers temps", DefaultExtraTime}, {"Tiers-Temps", DefaultExtraTime}, {"TIERS TEMPS", DefaultExtraTime},
		{"oui", DefaultExtraTime}, {"Oui", DefaultExtraTime},
		{"25", 25}, {"100 %", 100},
	} {
		got, err := ParseExtraTime(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseExtraTime(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseExtraTimeRefuses(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"101", "« 101 » : plus de 100 % de temps majoré"},
		{"150 %", "« 150 % » : plus de 100 % de temps majoré"},
		{"99999999999999999999", "plus de 100 % de temps majoré"},
		{"4/3", "plus de 100 % de temps majoré"},
		{"-33", "« -33 » : un temps majoré ne peut pas être négatif"},
		{"-33 %", "ne peut pas être négatif"},
		{"0,33", "« 0,33 » : attendu un nombre entier de pour cent"},
		{"33.5%", "attendu un nombre entier de pour cent"},
		{"01/03/2026", "« 01/03/2026 » est une date, pas un temps majoré : Excel change « 1/3 » en date ; écrivez « 33 % »"},
		{"01-mars", "est une date, pas un temps majoré"},
		{"1/0", "« 1/0 » n'est pas un temps majoré (attendu un pourcentage, par exemple « 33 % », « 1/3 », « tiers temps », « oui » ou « non »)."},
		{"x", "n'est pas un temps majoré"},
		{"%", "n'est pas un temps majoré"},
		{"-", "n'est pas un temps majoré"},
		{"quart temps", "n'est pas un temps majoré"},
		{"33%%", "n'est pas un temps majoré"},
		{"\x1b[2J", `« \x1b[2J » n'est pas`},
	} {
		got, err := ParseExtraTime(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseExtraTime(%q) = %d, %v; want an error holding %q", tt.in, got, err, tt.want)
		}
	}
}

func TestReadCandidates(t *testing.T) {
	dupont := CandidateRef{NationalID: "0701234567A", LastName: "Dupont", FirstName: "Léa", Birthdate: "2011-03-14", Class: "3E2", ExtraTime: 33}
	with := func(c CandidateRef, line int) CandidateRef { c.Line = line; return c }
	tests := []struct {
		name string // also the file's, in testdata, when data is nil
		data []byte
		want []CandidateRef
	}{
		{"candidats-exemple.csv", nil, []CandidateRef{
			with(dupont, 2),
			{Line: 3, LastName: "Lefèvre", FirstName: "Jean-Noël", Birthdate: "2010-09-02", Class: "3E1"},
			{Line: 4, NationalID: "0701234569C", ExtraTime: 33},
		}},
		{"candidats-cp1252.csv", nil, []CandidateRef{
			{Line: 2, LastName: "DUPONT", FirstName: "Léa", Class: "3E2", ExtraTime: DefaultExtraTime},
			{Line: 3, LastName: "LEFÈVRE", FirstName: "Chloé", Class: "3E1"},
			{Line: 4, LastName: "N’GUYEN", FirstName: "Anaïs", Class: "3E1", ExtraTime: DefaultExtraTime},
		}},
		{"candidats-virgules.csv", nil, []CandidateRef{
			{Line: 2, NationalID: "0701234567A", LastName: "Dupont", FirstName: "Léa", Birthdate: "2011-03-14", ExtraTime: 33},
			{Line: 3, LastName: "Martin", FirstName: "Lucas", Birthdate: "2010-11-30"},
		}},
		{"candidats-ine.csv", nil, []CandidateRef{
			{Line: 2, NationalID: "0701234567A"}, {Line: 3, NationalID: "0701234568B"}, {Line: 5, NationalID: "0701234569C"},
		}},
		{"candidats-eleve.csv", nil, []CandidateRef{
			{Line: 2, LastName: "DUPONT", FirstName: "Léa", Class: "3E2", ExtraTime: 33},
			{Line: 3, LastName: "LEFÈVRE", FirstName: "Jean Noël", Class: "3E1"},
			{Line: 4, LastName: "DE LA FONTAINE", FirstName: "Marie", Class: "3E1", ExtraTime: 50},
		}},
		{"Windows-1252 with commas, names in any case, spaces tidied",
			must(charmap.Windows1252.NewEncoder().Bytes([]byte("NOM,prenom,CLASSE,Temps majore\n  Lefèvre ,  Jean   Noël ,3E1,1/3\n"))),
			[]CandidateRef{{Line: 2, LastName: "Lefèvre", FirstName: "Jean Noël", Class: "3E1", ExtraTime: 33}}},
		{"UTF-8 BOM with semicolons, Excel's sep= line, a two-digit year",
			[]byte("\uFEFFsep=;\r\nNuméro INE;Nom de naissance;Prénom;Date de naissance\r\n0701 234 567a;Dupont;Léa;14/03/11\r\n"),
			[]CandidateRef{{Line: 3, NationalID: "0701234567A", LastName: "Dupont", FirstName: "Léa", Birthdate: "2011-03-14"}}},
		{"tabs, both name columns win over a full name, an INE without names",
			[]byte("Élève\tNom\tPrénom\tINE\nx\tDupont\tLéa\t\n\t\t\t0701234567A\n"),
			[]CandidateRef{{Line: 2, LastName: "Dupont", FirstName: "Léa"}, {Line: 3, NationalID: "0701234567A"}}},
		{"namesakes in two classes are two students",
			[]byte("Nom;Prénom;Classe\nMartin;Léa;3E1\nMartin;Léa;3E2\n"),
			[]CandidateRef{{Line: 2, LastName: "Martin", FirstName: "Léa", Class: "3E1"}, {Line: 3, LastName: "Martin", FirstName: "Léa", Class: "3E2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if data == nil {
				data = readFile(t, tt.name)
			}
			got, err := ReadCandidates("candidats.csv", bytes.NewReader(data), now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadCandidatesRefusesBadFiles(t *testing.T) {
	const header = "INE;Nom;Prénom;Date de naissance;Classe;Temps majoré\n"
	tests := []struct {
		name, data string
		want       []string // each in the error, in order
	}{
		{"no column names a student", "Classe;Temps majoré\n3E1;33%\n",
			[]string{"candidats.csv : aucune colonne ne désigne les élèves : il faut une colonne « INE », ou les colonnes « Nom » et « Prénom », ou une seule colonne « Élève » (« DUPONT Léa »).",
				"Colonnes trouvées : « Classe », « Temps majoré »."}},
		{"a name without a first name column, and a typo", "Nom;Prenon;Classe\nDupont;Léa;3E1\n",
			[]string{"la colonne « Nom » est là, « Prénom » manque.", "La colonne « Prenon » lui ressemble : renommez-la « Prénom » si c'est bien elle."}},
		{"a first name without a name column", "Prénom;Classe\nLéa;3E1\n", []string{"la colonne « Prénom » est là, « Nom » manque."}},
		{"a list of INEs without a header", "0701234567A\n0701234568B\n",
			[]string{"La première ligne (« 0701234567A ») ressemble à un INE : ajoutez au-dessus une ligne d'en-tête, par exemple « INE »."}},
		{"only a header", header, []string{"candidats.csv : aucun élève : le fichier n'a que sa ligne d'en-tête"}},
		{"an empty file", "", []string{"candidats.csv : le fichier est vide"}},
		{"every bad row, each with its line and column", header +
			";Dupont;;;3E1;\n" +
			";;Léa;;;\n" +
			";;;;3E1;33%\n" +
			"0701234567A;;;31/02/2011;;\n" +
			"0701234568B;;;14/03/2031;;\n" +
			"0701234569C;;;le 14 mars;;\n" +
			"0701234570D;;;;;150%\n" +
			"0701234571E;;;;;0,33\n" +
			"0701234572F;;;\n" +
			"0701234573G;;;;;\n" +
			"0701234573g;;;;;\n" +
			";Martin;Léa;;3E1;\n" +
			";MARTIN;Lea;;3e1;oui\n",
			[]string{
				"candidats.csv, ligne 2, colonne « Prénom » : le prénom est vide : complétez-le (ou l'INE)",
				"candidats.csv, ligne 3, colonne « Nom » : le nom est vide : complétez-le (ou l'INE)",
				"candidats.csv, ligne 4, colonne « INE » : aucun élève désigné : la ligne n'a ni INE, ni nom et prénom ; complétez-la, ou retirez-la.",
				"candidats.csv, ligne 5, colonne « Date de naissance » : la date « 31/02/2011 » n'existe pas (format attendu jj/mm/aaaa, par exemple 14/03/2011).",
				"candidats.csv, ligne 6, colonne « Date de naissance » : le 14/03/2031 est dans le futur (nous sommes le 02/03/2026) : vérifiez l'année de naissance.",
				"candidats.csv, ligne 7, colonne « Date de naissance » : « le 14 mars » n'est pas une date de naissance (format attendu jj/mm/aaaa",
				"candidats.csv, ligne 8, colonne « Temps majoré » : « 150% » : plus de 100 % de temps majoré",
				"candidats.csv, ligne 9, colonne « Temps majoré » : « 0,33 » : attendu un nombre entier de pour cent",
				"candidats.csv, ligne 10 : 4 cellules trouvées, 6 attendues",
				"candidats.csv, ligne 12, colonne « INE » : cet élève est déjà donné ligne 11 : gardez une seule ligne par élève.",
				"candidats.csv, ligne 14, colonne « INE » : cet élève est déjà donné ligne 13",
			}},
		{"a full name without a first name", "Élève;Classe\nDUPONT;3E2\n",
			[]string{"candidats.csv, ligne 2, colonne « Élève » : « DUPONT » ne contient pas un nom suivi d'un prénom (attendu par exemple « DUPONT Léa »)."}},
		{"an INE far too long", "INE\n" + strings.Repeat("1", 100) + "\n",
			[]string{"candidats.csv, ligne 2, colonne « INE » : « 111", "est trop long pour un INE (100 caractères, au plus 64)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCandidates("candidats.csv", strings.NewReader(tt.data), now)
			if err == nil {
				t.Fatalf("no error, read %+v", got)
			}
			if got != nil {
				t.Errorf("students read from a wrong file: %+v", got)
			}
			msg := err.Error()
			for _, w := range tt.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("got:\n%s\nwant it to hold, in order:\n%s", err, w)
				}
				msg = msg[i+len(w):]
			}
			var list fileerr.List
			var one *fileerr.Error
			if !errors.As(err, &list) && !errors.As(err, &one) {
				t.Errorf("%T is no fileerr", err)
			}
		})
	}
}

// Without a clock, no birthdate is in the future, and years have four
// digits, as ReadSpec reads slots.
func TestReadCandidatesWithoutClock(t *testing.T) {
	got, err := ReadCandidates("c.csv", strings.NewReader("Nom;Prénom;Date de naissance\nDupont;Léa;14/03/2031\n"), time.Time{})
	if err != nil || len(got) != 1 || got[0].Birthdate != "2031-03-14" {
		t.Errorf("got %+v, %v", got, err)
	}
	if _, err := ReadCandidates("c.csv", strings.NewReader("Nom;Prénom;Date de naissance\nDupont;Léa;14/03/11\n"), time.Time{}); err == nil {
		t.Error("a two-digit year read without a clock to tell its century")
	}
}

func TestReadCandidatesBounds(t *testing.T) {
	big := bytes.Repeat([]byte("x"), MaxSpecBytes+1)
	if _, err := ReadCandidates("c.csv", bytes.NewReader(big), now); err == nil || !strings.Contains(err.Error(), "c.csv : fichier de plus de 1 Mo") {
		t.Errorf("a file over 1 MiB: %v", err)
	}
	var b strings.Builder
	b.WriteString("INE\n")
	for i := range MaxCandidates + 1 {
		fmt.Fprintf(&b, "07%08dA\n", i)
	}
	if _, err := ReadCandidates("c.csv", strings.NewReader(b.String()), now); err == nil ||
		!strings.Contains(err.Error(), "c.csv, ligne 5002 : plus de 5 000 élèves") {
		t.Errorf("a file of too many students: %v", err)
	}
	b.Reset()
	b.WriteString("INE\n")
	for i := range MaxCandidates {
		fmt.Fprintf(&b, "07%08dA\n", i)
	}
	if got, err := ReadCandidates("c.csv", strings.NewReader(b.String()), now); err != nil || len(got) != MaxCandidates {
		t.Errorf("a file of %d students: %d read, %v", MaxCandidates, len(got), err)
	}
}

// FuzzReadCandidates: a candidates file is read into students that name
// someone, or into problems; never a panic, never more than MaxCandidates.
func FuzzReadCandidates(f *testing.F) {
	names, err := filepath.Glob("testdata/candidats-*")
	if err != nil || len(names) == 0 {
		f.Fatalf("no seed: %v", err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Élève;Temps majoré\nDUPONT Léa;1/3\n"))
	f.Add([]byte("INE\n0701234567A\n0701234567a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadCandidates("candidats.csv", bytes.NewReader(data), now)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if len(got) == 0 || len(got) > MaxCandidates {
			t.Fatalf("%d students read", len(got))
		}
		for _, c := range got {
			if c.NationalID == "" && (c.LastName == "" || c.FirstName == "") {
				t.Fatalf("a student nobody can find: %+v", c)
			}
			if c.ExtraTime < 0 || c.ExtraTime > 100 || c.Line < 2 || c.NationalID != strings.ToUpper(c.NationalID) {
				t.Fatalf("a student out of bounds: %+v", c)
			}
			if c.Birthdate != "" && (len(c.Birthdate) != 10 || c.Birthdate > now.Format("2006-01-02")) {
				t.Fatalf("a birthdate out of bounds: %+v", c)
			}
		}
	})
}
