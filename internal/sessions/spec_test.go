package sessions

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/frdate"
)

// now is when the tests read plans: two weeks before the sessions.
var now = time.Date(2026, 3, 2, 9, 0, 0, 0, frdate.Paris())

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadSpecExamples(t *testing.T) {
	site := "Collège Jean Moulin"
	csv := Spec{Slots: []Slot{
		{Site: site, Room: "CDI", Seats: 30, Start: at(t, "16/03/2026 08:30"), Supervisors: []string{"Mme Durand"}, Observations: "Ordinateurs du CDI, casques fournis"},
		{Site: site, Room: "Salle 12", Seats: 24, Start: at(t, "16/03/2026 08:30"), Supervisors: []string{"M. Petit"}},
		{Site: site, Room: "CDI", Seats: 30, Start: at(t, "16/03/2026 10:45"), Supervisors: []string{"Mme Durand", "M. Bernard"}},
		{Site: site, Room: "Salle 12", Seats: 24, Start: at(t, "16/03/2026 10:45"), Supervisors: []string{"M. Petit"}, Observations: "Apporter les rallonges"},
	}}
	yaml := Spec{Duration: 105 * time.Minute, Margin: 15 * time.Minute, Supervisors: []string{"Mme Durand", "M. Petit"}, Slots: []Slot{
		{Site: site, Room: "CDI", Seats: 30, Start: at(t, "16/03/2026 08:30")},
		{Site: site, Room: "Salle 12", Seats: 24, Start: at(t, "16/03/2026 08:30")},
		{Site: site, Room: "CDI", Seats: 30, Start: at(t, "16/03/2026 10:45"), Supervisors: []string{"Mme Durand"}, Observations: "Élèves avec temps majoré"},
	}}
	for _, tt := range []struct {
		file, name string // name: as the user gives it, without the extension when the content must tell
		want       Spec
	}{
		{"plan-exemple.csv", "plan-exemple.csv", csv},
		{"plan-exemple.yaml", "plan-exemple.yaml", yaml},
		{"plan-exemple.csv", "plan", csv},
		{"plan-exemple.yaml", "plan", yaml},
	} {
		t.Run(tt.name+" from "+tt.file, func(t *testing.T) {
			got, err := ReadSpec(tt.name, bytes.NewReader(readFile(t, tt.file)), now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if _, err := Make(got, class("3E1", 20)); err != nil {
				t.Errorf("the example is no plan: %v", err)
			}
		})
	}
}

const csvHeader = "Site;Salle;Places;Date;Heure;Surveillants;Observations\n"

func TestReadCSV(t *testing.T) {
	at0830 := at(t, "16/03/2026 08:30")
	tests := []struct {
		name string
		data []byte
		want []Slot
	}{
		{"as Excel saves it, with a BOM and CRLF",
			[]byte("\uFEFF" + strings.ReplaceAll(csvHeader+"Collège;CDI;30;16/03/2026;08:30;Mme Durand;\n", "\n", "\r\n")),
			[]Slot{{Site: "Collège", Room: "CDI", Seats: 30, Start: at0830, Supervisors: []string{"Mme Durand"}}}},
		{"commas, Pix Certif's names, no site, no observations",
			[]byte("* Nom de la salle,Nombre de places,* Date de début (format: JJ/MM/AAAA),* Heure de début (heure locale format: HH:MM),* Surveillant(s)\n" +
				"CDI,30,16/03/2026,8h30,\"Mme Durand, M. Petit\"\n"),
			[]Slot{{Room: "CDI", Seats: 30, Start: at0830, Supervisors: []string{"Mme Durand", "M. Petit"}}}},
		{"tabs, headers in capitals without accents, supervisors split by slashes and line breaks",
			[]byte("SALLE\tPLACES\tDATE\tHEURE\tSURVEILLANTS\n" + "CDI\t30\t16/03/26\t08:30:00\t\"Mme Durand / M. Petit\nM. Bernard\"\n"),
			[]Slot{{Room: "CDI", Seats: 30, Start: at0830, Supervisors: []string{"Mme Durand", "M. Petit", "M. Bernard"}}}},
		{"semicolons inside a quoted cell",
			[]byte(csvHeader + "Collège;CDI;30;16/03/2026;8h30;\"Mme Durand; M. Petit\";\n"),
			[]Slot{{Site: "Collège", Room: "CDI", Seats: 30, Start: at0830, Supervisors: []string{"Mme Durand", "M. Petit"}}}},
		{"Windows-1252, as Excel saves « CSV (séparateur : point-virgule) »",
			must(charmap.Windows1252.NewEncoder().Bytes([]byte(csvHeader + "Collège;Salle d'étude;12;16/03/2026;8h;Mme Lefèvre;\n"))),
			[]Slot{{Site: "Collège", Room: "Salle d'étude", Seats: 12, Start: at(t, "16/03/2026 08:00"), Supervisors: []string{"Mme Lefèvre"}}}},
		{"blank lines and spaces are no slots",
			[]byte(csvHeader + "\n Collège ;  Salle   12 ; 24 ; 16/03/2026 ; 08:30 ; ;\n;;;;;;\n"),
			[]Slot{{Site: "Collège", Room: "Salle 12", Seats: 24, Start: at0830}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadSpec("plan.csv", bytes.NewReader(tt.data), now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Slots, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got.Slots, tt.want)
			}
		})
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestReadCSVRefusesBadRows(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // each in the error, in order
	}{
		{"a required column missing", "Site;Sale;Places;Date;Heure\n",
			[]string{`plan.csv : la colonne « Salle » est obligatoire et n'a pas été trouvée dans la ligne d'en-tête (ligne 1). La colonne « Sale » lui ressemble`}},
		{"only a header", csvHeader, []string{"plan.csv : aucun créneau"}},
		{"every bad row, each with its line and column", csvHeader +
			"Collège;CDI;trente;16/03/2026;08:30;;\n" +
			"Collège;CDI;30;31/02/2026;08:30;;\n" +
			"Collège;CDI;30;16/03/2026;25:00;;\n" +
			"Collège;;0;16/03/2025;08:30;;\n" +
			"Collège;CDI;30;16/03/2026\n" +
			"Collège;CDI;5000;2026-03-17;;;\n" +
			"Collège;CDI;30;16/03/2027;8h30;;\n",
			[]string{
				"plan.csv, ligne 2, colonne « Places » : « trente » n'est pas un nombre de places (un nombre entier, par exemple 30).",
				"plan.csv, ligne 3, colonne « Date » : la date « 31/02/2026 » n'existe pas (format attendu jj/mm/aaaa).",
				"plan.csv, ligne 4, colonne « Heure » : « 25:00 » n'est pas une heure (format attendu HH:MM, par exemple 08:30 ou 8h30).",
				"plan.csv, ligne 5, colonne « Salle » : le nom de la salle est vide",
				"plan.csv, ligne 5, colonne « Places » : 0 place : une salle en a au moins une",
				"plan.csv, ligne 5, colonne « Date » : le 16/03/2025 est passé (nous sommes le 02/03/2026) : vérifiez l'année.",
				"plan.csv, ligne 6 : 4 cellules trouvées, 7 attendues",
				"plan.csv, ligne 7, colonne « Places » : 5000 places, c'est plus qu'une salle n'en a (au plus 1 000)",
				"plan.csv, ligne 7, colonne « Heure » : l'heure est vide",
				"plan.csv, ligne 8, colonne « Date » : le 16/03/2027 est dans plus d'un an",
			}},
		{"a name far too long", csvHeader + "Collège;" + strings.Repeat("x", 300) + ";30;16/03/2026;08:30;;\n",
			[]string{"plan.csv, ligne 2, colonne « Salle » : « xxx", "est trop long pour un nom de salle (300 caractères, au plus 255)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSpec("plan.csv", strings.NewReader(tt.data), now)
			if err == nil {
				t.Fatal("no error")
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

func TestReadSpecBounds(t *testing.T) {
	big := bytes.Repeat([]byte("x"), MaxSpecBytes+1)
	if _, err := ReadSpec("plan.csv", bytes.NewReader(big), now); err == nil || !strings.Contains(err.Error(), "fichier de plus de 1 Mo") {
		t.Errorf("a file over 1 MiB: %v", err)
	}
	var b strings.Builder
	b.WriteString(csvHeader)
	for range MaxSlots + 1 {
		b.WriteString("Collège;CDI;30;16/03/2026;08:30;;\n")
	}
	if _, err := ReadSpec("plan.csv", strings.NewReader(b.String()), now); err == nil ||
		!strings.Contains(err.Error(), "plan.csv, ligne 1002 : plus de 1 000 créneaux") {
		t.Errorf("a file of too many slots: %v", err)
	}
	rooms := "salles:\n"
	for i := range 40 {
		rooms += "  - {nom: S" + string(rune('A'+i%26)) + string(rune('a'+i/26)) + ", places: 1}\n"
	}
	y := rooms + "creneaux:\n" + strings.Repeat("  - {date: 16/03/2026, heure: \"08:30\"}\n", 26)
	if _, err := ReadSpec("plan.yaml", strings.NewReader(y), now); err == nil || !strings.Contains(err.Error(), "plus de 1 000 créneaux") {
		t.Errorf("a YAML plan of too many slots: %v", err)
	}
}

func TestReadYAML(t *testing.T) {
	tests := []struct {
		name, data string
		want       Spec
	}{
		{"accents in keys, durations in minutes, supervisors in one text",
			"Site: Lycée\ndurée: 105min\nmarge: 10\nsurveillants: Mme Durand, M. Petit\nSalles:\n  - nom: CDI\n    places: 30\nCréneaux:\n  - {date: 16/03/2026, heure: 8h30}\n",
			Spec{Duration: 105 * time.Minute, Margin: 10 * time.Minute, Supervisors: []string{"Mme Durand", "M. Petit"},
				Slots: []Slot{{Site: "Lycée", Room: "CDI", Seats: 30, Start: at(t, "16/03/2026 08:30")}}}},
		{"an unquoted time, a room named in any case",
			"salles:\n  - nom: Salle 12\n    places: 24\n  - nom: CDI\n    places: 30\ncreneaux:\n  - date: 2026-03-16\n    heure: 08:30\n    salles: [salle 12]\n    surveillants: [M. Petit]\n",
			Spec{Slots: []Slot{{Room: "Salle 12", Seats: 24, Start: at(t, "16/03/2026 08:30"), Supervisors: []string{"M. Petit"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadSpec("plan.yml", strings.NewReader(tt.data), now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReadYAMLRefusesBadPlans(t *testing.T) {
	const rooms = "salles:\n  - nom: CDI\n    places: 30\n"
	const slots = "creneaux:\n  - date: 16/03/2026\n    heure: \"08:30\"\n"
	tests := []struct {
		name, data string
		want       []string
	}{
		{"an unknown key, with its line", rooms + slots + "surveilants: [Mme Durand]\n",
			[]string{"plan.yaml, ligne 7 : plan : clé « surveilants » inconnue (clés possibles : site, duree, marge, surveillants, salles, creneaux)"}},
		{"an unknown key in a slot", rooms + slots + "    sale: CDI\n",
			[]string{"plan.yaml, ligne 7 : créneau : clé « sale » inconnue (clés possibles : date, heure, salles, surveillants, observations)"}},
		{"a key twice", rooms + slots + "salles: []\n", []string{"ligne 7 : plan : la clé « salles » est donnée deux fois (la première ligne 1)"}},
		{"bad lengths", "duree: 1h75\nmarge: 3h\n" + rooms + slots,
			[]string{"ligne 1 : duree : « 1h75 » n'est pas une durée", "ligne 2 : marge : 3h, c'est plus que les 2h au plus permises"}},
		{"a margin of none", "marge: 0\n" + rooms + slots, []string{"ligne 1 : marge : une marge de 0 min"}},
		{"bad rooms", "salles:\n  - nom: CDI\n  - places: 3\n  - nom: CDI\n    places: 2\n" + slots,
			[]string{"ligne 2 : salle « CDI », places : le nombre de places est vide", "ligne 3 : salle : « nom » manque"}},
		{"bad slots", rooms + "creneaux:\n  - date: 31/02/2026\n    heure: \"08:30\"\n  - date: 16/03/2026\n    heure: midi\n  - date: 16/03/2026\n    heure: \"10:45\"\n    salles: [Gymnase]\n",
			[]string{"ligne 5 : créneau : la date « 31/02/2026 » n'existe pas", "ligne 7 : créneau : « midi » n'est pas une heure",
				"ligne 11 : créneau : salle « Gymnase » inconnue ; les salles sont « CDI »."}},
		{"no rooms, no slots", "site: Collège\n", []string{"salles : attendu la liste des salles", "creneaux : attendu la liste des créneaux"}},
		{"a list of rooms that is not one", "salles: CDI\n" + slots, []string{"ligne 1 : salles : attendu la liste des salles"}},
		{"a room that is a text", "salles:\n  - CDI\n" + slots, []string{"ligne 2 : salle : attendu des clés et leurs valeurs (« clé: valeur »), trouvé « CDI »."}},
		{"an alias", "x: &a [1]\n" + rooms + "creneaux: *a\n", []string{"ligne 5 : alias YAML « *a »"}},
		{"a tab in the indentation", "salles:\n\t- nom: CDI\n", []string{"plan.yaml, ligne 2 : YAML illisible (found character that cannot start any token)", "des espaces, jamais de tabulation"}},
		{"not a mapping", "- a\n- b\n", []string{"plan.yaml, ligne 1 : trouvé une liste ; attendu : des clés « site », « salles », « creneaux »"}},
		{"empty", "# rien\n", []string{"plan.yaml : le fichier est vide"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSpec("plan.yaml", strings.NewReader(tt.data), now)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("got:\n%s\nwant it to hold, in order:\n%s", err, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

func TestParseLength(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1h45", 105 * time.Minute, true}, {"105min", 105 * time.Minute, true}, {"1h", time.Hour, true},
		{"15min", 15 * time.Minute, true}, {"15 min", 15 * time.Minute, true}, {"1 h 45", 105 * time.Minute, true},
		{"1h45min", 105 * time.Minute, true}, {"90 minutes", 90 * time.Minute, true}, {"20", 20 * time.Minute, true},
		{"1H05", 65 * time.Minute, true},
		{"", 0, false}, {"h", 0, false}, {"1h60", 0, false}, {"1h5", 65 * time.Minute, true}, {"1,5h", 0, false}, {"-15min", 0, false},
		{"99999999min", 0, false}, {"quinze", 0, false},
	} {
		got, ok := parseLength(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%q: got %v %v, want %v %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSpecFromOptions(t *testing.T) {
	got, err := SpecFromOptions("Collège", []string{"CDI:30", "Salle 12=24"}, []string{"16/03/2026 08:30", "16/03/2026 10h45"},
		[]string{"Mme Durand", "M. Petit, M. Bernard"}, "1h45", "15 min", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{Duration: 105 * time.Minute, Margin: 15 * time.Minute, Supervisors: []string{"Mme Durand", "M. Petit", "M. Bernard"}, Slots: []Slot{
		{Site: "Collège", Room: "CDI", Seats: 30, Start: at(t, "16/03/2026 08:30")},
		{Site: "Collège", Room: "Salle 12", Seats: 24, Start: at(t, "16/03/2026 08:30")},
		{Site: "Collège", Room: "CDI", Seats: 30, Start: at(t, "16/03/2026 10:45")},
		{Site: "Collège", Room: "Salle 12", Seats: 24, Start: at(t, "16/03/2026 10:45")},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	_, err = SpecFromOptions("", []string{"CDI", "Salle 12=zéro", ":30", "cdi:2"}, []string{"16/03/2026", "16/03/26 08:30", "16/03/2026 8h61"},
		nil, "2 jours", "0", time.Time{})
	for _, w := range []string{
		"--duree : « 2 jours » n'est pas une durée",
		"--marge : une marge de 0 min",
		"--salle « CDI » : le nombre de places manque ; écrivez la salle et ses places, par exemple « CDI:30 » ou « Salle 12=24 ».",
		"--salle « Salle 12=zéro » : « zéro » n'est pas un nombre de places",
		"--salle « :30 » : le nom de la salle manque",
		"--creneau « 16/03/2026 » : attendu une date et une heure",
		"--creneau « 16/03/26 08:30 » : « 16/03/26 » n'est pas une date (format attendu jj/mm/aaaa",
		"--creneau « 16/03/2026 8h61 » : « 8h61 » n'est pas une heure",
		"--surveillant : aucun surveillant",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("got:\n%v\nwant it to hold %q", err, w)
		}
	}
	var se *SpecError
	if !errors.As(err, &se) {
		t.Errorf("%T is no *SpecError", err)
	}

	rooms := make([]string, 40)
	for i := range rooms {
		rooms[i] = "S" + string(rune('A'+i%26)) + string(rune('a'+i/26)) + ":1"
	}
	slots := make([]string, 26)
	for i := range slots {
		slots[i] = "16/03/2026 08:30"
	}
	if _, err := SpecFromOptions("", rooms, slots, []string{"M. Petit"}, "", "", time.Time{}); err == nil || !strings.Contains(err.Error(), "plus de 1 000 créneaux") {
		t.Errorf("too many slots: %v", err)
	}

	// With a clock, the days a typo gives are refused, as in a file; and
	// the hour the clocks skip in spring does not exist.
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	_, err = SpecFromOptions("", []string{"CDI:30"}, []string{"16/03/2020 08:30", "16/03/9999 08:30", "29/03/2026 02:30"}, []string{"M. Petit"}, "", "", now)
	for _, w := range []string{
		"--creneau « 16/03/2020 08:30 » : le 16/03/2020 est passé (nous sommes le 01/03/2026) : vérifiez l'année.",
		"--creneau « 16/03/9999 08:30 » : le 16/03/9999 est dans plus d'un an",
		"--creneau « 29/03/2026 02:30 » : 02:30 n'existe pas le 29/03/2026 à Paris (passage à l'heure d'été)",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("got:\n%v\nwant it to hold %q", err, w)
		}
	}
}
