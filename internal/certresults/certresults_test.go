package certresults

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/tabfile"
)

// testNow is when the tests import: after the samples' sessions.
var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func read(t testing.TB, data []byte) ([]Result, fileerr.List, bool) {
	t.Helper()
	f, err := tabfile.Open("resultats.csv", bytes.NewReader(data), tabfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := Detect(f, testNow)
	if !ok {
		return nil, nil, false
	}
	var out []Result
	var errs fileerr.Collector
	if err := r.Read(&errs, func(res Result) error { out = append(out, res); return nil }); err != nil {
		t.Fatal(err)
	}
	return out, errs.Kept, true
}

func TestSample(t *testing.T) {
	got, errs, ok := read(t, samples.Read(t, "resultats-3E1.csv"))
	if !ok || len(errs) > 0 || len(got) != 2 {
		t.Fatalf("detected %v, errors %v, %d results", ok, errs, len(got))
	}
	ines := Result{
		Line: 2, Number: "20481234", LastName: "N'DIAYE", FirstName: "Inès", Birthdate: "2011-06-30", BirthPlace: "PARIS",
		ExternalID: "323456789AB", Status: "Validée", Pix: 212,
		Levels:  [16]int{2, 1, 2, None, 1, 2, None, 1, None, None, None, 2, 1, None, 2, 1},
		Session: "18842", Date: "2026-03-16",
	}
	if !reflect.DeepEqual(got[0], ines) {
		t.Errorf("Inès:\n got %+v\nwant %+v", got[0], ines)
	}
	hugo := got[1]
	if hugo.Status != "Rejetée" || hugo.Pix != None || hugo.Levels != [16]int{None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None} ||
		!strings.HasPrefix(hugo.Comment, "Le candidat n'a pas répondu") {
		t.Errorf("Hugo: %+v", hugo)
	}
}

const header = `Numéro de certification;Prénom;Nom;Date de naissance;Lieu de naissance;Identifiant Externe;Statut;Nombre de Pix;` +
	`1.1;1.2;1.3;2.1;2.2;2.3;2.4;3.1;3.2;3.3;3.4;4.1;4.2;4.3;5.1;5.2;Commentaire jury pour l’organisation;Session;Date de passage de la certification`

func TestRows(t *testing.T) {
	levels := strings.Repeat("1;", 16)
	tests := []struct {
		name, row string
		want      string // in the error, "" for none
	}{
		{"a status Pix may add is kept", "1;Léa;DUPONT;14/03/2011;PARIS;123456789ab;Suspendue;64;" + levels + ";18842;16/03/2026", ""},
		{"no name", "1;Léa;;14/03/2011;PARIS;;Validée;64;" + levels + ";18842;16/03/2026", "le nom du candidat est vide"},
		{"no status", "1;Léa;DUPONT;14/03/2011;PARIS;;;64;" + levels + ";18842;16/03/2026", "le statut de la certification est vide"},
		{"a date that does not exist", "1;Léa;DUPONT;14/03/2011;PARIS;;Validée;64;" + levels + ";18842;31/02/2026", "la date « 31/02/2026 » n'existe pas"},
		{"no date", "1;Léa;DUPONT;14/03/2011;PARIS;;Validée;64;" + levels + ";18842;", "n'est pas une date de passage"},
		{"a day after the import", "1;Léa;DUPONT;14/03/2011;PARIS;;Validée;64;" + levels + ";18842;16/03/9999", "le 16/03/9999 est après aujourd'hui (01/12/2026) : vérifiez l'année."},
		{"a score that is not one", "1;Léa;DUPONT;14/03/2011;PARIS;;Validée;beaucoup;" + levels + ";18842;16/03/2026", "« beaucoup » n'est pas un nombre de pix"},
		{"a level out of bounds", "1;Léa;DUPONT;14/03/2011;PARIS;;Validée;64;100;" + strings.Repeat("1;", 15) + ";18842;16/03/2026", "impossible pour un niveau"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs, ok := read(t, []byte(header+"\n"+tt.row+"\n"))
			if !ok {
				t.Fatal("not detected")
			}
			if tt.want == "" {
				if len(errs) > 0 || len(got) != 1 || got[0].ExternalID != "123456789AB" || got[0].Status != "Suspendue" {
					t.Errorf("%v %+v", errs, got)
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) || len(got) != 0 {
				t.Errorf("errors %v, results %+v: want one error with %q", errs, got, tt.want)
			}
		})
	}
}

// A collecte export or a roster is not a results export.
func TestDetect(t *testing.T) {
	for _, name := range []string{"collecte-sco.csv", "roster-siecle.csv"} {
		if _, _, ok := read(t, samples.Read(t, name)); ok {
			t.Errorf("%s taken for certification results", name)
		}
	}
	// Columns are found by name: a session export of Pix Certif adds some.
	data := strings.Replace(header, "Session;", "Session;Centre de certification;Type de certification;Résultat;", 1) + "\n" +
		"1;Léa;DUPONT;14/03/2011;PARIS;;Validée;64;" + strings.Repeat("-;", 16) + ";18842;Collège Jean Moulin;Pix;Réussi;16/03/2026\n"
	got, errs, ok := read(t, []byte(data))
	if !ok || len(errs) > 0 || len(got) != 1 || got[0].Center != "Collège Jean Moulin" || got[0].Outcome != "Réussi" || got[0].Date != "2026-03-16" {
		t.Errorf("%v %v %+v", ok, errs, got)
	}
}

func FuzzRead(f *testing.F) {
	samples.AddSeeds(f, "resultats-*.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := tabfile.Open("fuzz.csv", bytes.NewReader(data), tabfile.Options{})
		if err != nil {
			return
		}
		r, ok := Detect(tf, testNow)
		if !ok {
			return
		}
		var errs fileerr.Collector
		_ = r.Read(&errs, func(res Result) error {
			if res.LastName == "" || res.FirstName == "" || res.Status == "" || len(res.Date) != 10 {
				t.Fatalf("a result without a name, status or date: %+v", res)
			}
			if res.Pix < None {
				t.Fatalf("score %d", res.Pix)
			}
			return nil
		})
	})
}
