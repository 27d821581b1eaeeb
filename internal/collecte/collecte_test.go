package collecte

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/tabfile"
)

func open(t *testing.T, name string, data []byte) *tabfile.File {
	t.Helper()
	f, err := tabfile.Open(name, bytes.NewReader(data), tabfile.Options{})
	if err != nil {
		t.Fatalf("Open %s: %v", name, err)
	}
	return f
}

func readExport(t *testing.T, name string, data []byte) ([]Participation, fileerr.List, fileerr.List) {
	t.Helper()
	f := open(t, name, data)
	r, ok := Detect(f)
	if !ok {
		t.Fatalf("%s not detected as a profile-collection export: %q", name, f.Header)
	}
	var out []Participation
	var errs, warnings fileerr.Collector
	if err := r.Read(&errs, &warnings, func(p Participation) error { out = append(out, p); return nil }); err != nil {
		t.Fatal(err)
	}
	return out, errs.Kept, warnings.Kept
}

func TestSCOSample(t *testing.T) {
	ps, errs, warnings := readExport(t, "collecte-sco.csv", samples.Read(t, "collecte-sco.csv"))
	if len(errs) > 0 || len(warnings) > 0 {
		t.Fatalf("errors %v, warnings %v", errs, warnings)
	}
	if len(ps) != 10 {
		t.Fatalf("%d participations, want 10", len(ps))
	}
	lea := ps[0]
	want := Participation{
		Line: 2, Organization: "Collège Jean Moulin", CampaignID: 4521, CampaignCode: "PROFIL3E",
		CampaignName: "Collecte de profils 3e", LastName: "DUPONT", FirstName: "Léa", Class: "3E2",
		Sent: true, SentAt: "2026-03-14 10:42", PixTotal: 143,
		Profile: certif.Profile{
			Levels: [16]int{2, 1, 1, 2, 1, 0, 1, 2, 0, 0, 0, 1, 1, 0, 1, 0},
			Pix:    [16]int{17, 9, 12, 20, 8, 5, 11, 16, 0, 6, 0, 14, 10, 4, 8, 3},
		},
		ExternalID: "", ExternalIDLabel: "",
	}
	if !reflect.DeepEqual(lea, want) {
		t.Errorf("first row =\n%+v\nwant\n%+v", lea, want)
	}
	var sent, bono int
	for _, p := range ps {
		if p.Sent {
			sent++
		}
		if p.LastName == "=BONO" {
			bono++
		}
		if !p.Sent && (p.SentAt != "" || p.Profile != (certif.Profile{})) {
			t.Errorf("unsent row with results: %+v", p)
		}
	}
	if sent != 8 || bono != 1 {
		t.Errorf("%d sent rows and %d =BONO (guard dropped), want 8 and 1", sent, bono)
	}
}

func TestSUPSample(t *testing.T) {
	ps, errs, _ := readExport(t, "collecte-sup.csv", samples.Read(t, "collecte-sup.csv"))
	if len(errs) > 0 || len(ps) != 3 {
		t.Fatalf("%d rows, errors %v", len(ps), errs)
	}
	for _, p := range ps {
		if p.ExternalIDLabel != "Mail Perso" {
			t.Errorf("external id label = %q, want Mail Perso", p.ExternalIDLabel)
		}
		if p.MatchID() != p.StudentNumber || p.StudentNumber == "" {
			t.Errorf("MatchID() = %q, want the student number %q", p.MatchID(), p.StudentNumber)
		}
	}
	if ps[2].ExternalID != "@bao" || ps[2].Class != "TD2" {
		t.Errorf("third row = %+v, want external id @bao (guard dropped) in TD2", ps[2])
	}
}

func TestOldFormatSample(t *testing.T) {
	ps, errs, _ := readExport(t, "collecte-old-format.csv", samples.Read(t, "collecte-old-format.csv"))
	if len(errs) > 0 || len(ps) != 3 {
		t.Fatalf("%d rows, errors %v", len(ps), errs)
	}
	if ps[0].SentAt != "2025-06-12" || ps[0].CampaignCode != "" || ps[0].CampaignID != 3110 {
		t.Errorf("first row = %+v, want the date alone, no code, campaign 3110", ps[0])
	}
}

// header builds a profile-collection header with the given identity columns
// between the first name and `Envoi (O/N)`.
func header(identity ...string) string {
	cols := []string{"Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Nom du Participant", "Prénom du Participant"}
	cols = append(cols, identity...)
	cols = append(cols, "Envoi (O/N)", "Date et heure de l'envoi (Europe/Paris)", "Nombre de pix total", "Certifiable (O/N)", "Nombre de compétences certifiables")
	for _, c := range certif.Competences {
		cols = append(cols, "Niveau pour la compétence "+c.Name, "Nombre de pix pour la compétence "+c.Name)
	}
	return strings.Join(cols, ";")
}

// sentRow is a sent row with the identity cells given, four competences at
// level 1 and a fifth at 7 pix; certifiable and count as given.
func sentRow(certifiable string, count string, identity ...string) string {
	cells := []string{"Lycée", "77", "C", "Profils", "DURAND", "Ana"}
	cells = append(cells, identity...)
	cells = append(cells, "Oui", "05/01/2026 08:00", "39", certifiable, count)
	for i := range certif.Competences {
		switch {
		case i < 4:
			cells = append(cells, "1", "8")
		case i == 4:
			cells = append(cells, "0", "7")
		default:
			cells = append(cells, "0", "0")
		}
	}
	return strings.Join(cells, ";")
}

func TestIdentityColumns(t *testing.T) {
	tests := []struct {
		name          string
		identityCols  []string
		identityCells []string
		wantClass     string
		wantExternal  string
		wantMatchID   string
	}{
		{"SCO with extra learner columns and an INE external id",
			[]string{"Option", "Régime", "Classe", "INE"}, []string{"Latin", "DP", "2NDE3", "123456789ab"}, "2NDE3", "123456789ab", "123456789AB"},
		{"an e-mail external id does not identify",
			[]string{"Classe", "Mail Perso"}, []string{"1A", "ana@example.org"}, "1A", "ana@example.org", ""},
		{"no identity column at all", nil, nil, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := header(tt.identityCols...) + "\n" + sentRow("Non", "4", tt.identityCells...) + "\n"
			ps, errs, _ := readExport(t, "x.csv", []byte(text))
			if len(errs) > 0 || len(ps) != 1 {
				t.Fatalf("%d rows, errors %v", len(ps), errs)
			}
			p := ps[0]
			if p.Class != tt.wantClass || p.ExternalID != tt.wantExternal || p.MatchID() != tt.wantMatchID {
				t.Errorf("class %q, external id %q, match id %q; want %q, %q, %q", p.Class, p.ExternalID, p.MatchID(), tt.wantClass, tt.wantExternal, tt.wantMatchID)
			}
		})
	}
}

func TestOwnCertificabilityDisagreementIsAWarning(t *testing.T) {
	tests := []struct {
		certifiable, count string
		want               string
	}{
		{"Non", "4", ""},
		{"Non", "5", "le fichier indique 5 compétences certifiables mais les niveaux en donnent 4"},
		{"Oui", "4", "le fichier indique « Oui » mais 4 compétences certifiables donnent « Non »"},
	}
	for _, tt := range tests {
		ps, errs, warnings := readExport(t, "x.csv", []byte(header()+"\n"+sentRow(tt.certifiable, tt.count)+"\n"))
		if len(errs) > 0 || len(ps) != 1 {
			t.Fatalf("%d rows, errors %v", len(ps), errs)
		}
		if ps[0].Profile.CertifiableCompetences() != 4 {
			t.Errorf("recomputed count = %d, want 4", ps[0].Profile.CertifiableCompetences())
		}
		switch {
		case tt.want == "" && len(warnings) > 0:
			t.Errorf("%s/%s: unexpected warnings %v", tt.certifiable, tt.count, warnings)
		case tt.want != "" && (len(warnings) != 1 || !strings.Contains(warnings[0].Msg, tt.want)):
			t.Errorf("%s/%s: warnings %v, want one saying %q", tt.certifiable, tt.count, warnings, tt.want)
		}
	}
}

// resaveAsExcel rewrites a Pix export the way Excel does when a user opens
// it and saves it as CSV: quotes only where needed, sep as separator, CRLF,
// Windows-1252, no BOM, and dates re-typed by retype.
func resaveAsExcel(t *testing.T, data []byte, sep rune, retype func(string) string) []byte {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	w.Comma, w.UseCRLF = sep, true
	for i, rec := range records {
		if i > 0 {
			for j, c := range rec {
				rec[j] = retype(c)
			}
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	// Excel writes ’ as Windows-1252 0x92, which the encoder handles; Nguyễn
	// has no Windows-1252 form, so this is only used on the SCO sample.
	enc, err := charmap.Windows1252.NewEncoder().Bytes(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func TestExcelResavesReadAsTheOriginal(t *testing.T) {
	original, _, _ := readExport(t, "collecte-sco.csv", samples.Read(t, "collecte-sco.csv"))
	keep := func(s string) string { return s }
	dateOnly := func(s string) string {
		if len(s) == 16 && s[2] == '/' && s[13] == ':' {
			return s[:10]
		}
		return s
	}
	tests := []struct {
		name    string
		sep     rune
		retype  func(string) string
		sameDay bool
	}{
		{"semicolons", ';', keep, false},
		{"commas", ',', keep, false},
		{"tabs", '\t', keep, false},
		{"dates re-typed without the time", ';', dateOnly, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := resaveAsExcel(t, samples.Read(t, "collecte-sco.csv"), tt.sep, tt.retype)
			f := open(t, "resaved.csv", data)
			if f.Encoding.Name != "Windows-1252" || f.Separator != tt.sep {
				t.Errorf("detected %s and %q, want Windows-1252 and %q", f.Encoding.Name, f.Separator, tt.sep)
			}
			got, errs, _ := readExport(t, "resaved.csv", data)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if len(got) != len(original) {
				t.Fatalf("%d rows, want %d", len(got), len(original))
			}
			for i := range got {
				want := original[i]
				if tt.sameDay && want.SentAt != "" {
					want.SentAt = want.SentAt[:10]
				}
				if !reflect.DeepEqual(got[i], want) {
					t.Errorf("row %d =\n%+v\nwant\n%+v", i, got[i], want)
				}
			}
		})
	}
}

func TestEvaluationExportIsRecognised(t *testing.T) {
	f := open(t, "evaluation.csv", samples.Read(t, "evaluation-not-a-collecte.csv"))
	if !IsEvaluation(f) {
		t.Error("evaluation export not recognised")
	}
	if _, ok := Detect(f); ok {
		t.Error("evaluation export taken for a profile collection")
	}
	if IsEvaluation(open(t, "c.csv", samples.Read(t, "collecte-sco.csv"))) {
		t.Error("profile collection taken for an evaluation")
	}
}

func TestNumbersWithThousandsSeparators(t *testing.T) {
	row := strings.Replace(sentRow("Non", "4", "3E2"), "Lycée;77;", "Lycée;12\u00a0077;", 1)
	ps, errs, _ := readExport(t, "x.csv", []byte(header("Classe")+"\n"+row+"\n"))
	if len(errs) > 0 || len(ps) != 1 || ps[0].CampaignID != 12077 {
		t.Fatalf("rows %+v, errors %v: want campaign 12077", ps, errs)
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"42", 42, true},
		{"4 521", 4521, true},
		{"4\u00a0521", 4521, true},
		{"4\u202f521", 4521, true},
		{"+7", 7, true},
		{"-3", -3, true},
		{"123456789012345678", 123456789012345678, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false},
		{"", 0, false},
		{"NA", 0, false},
		{"3,5", 0, false},
		{"٣", 0, false},
	}
	for _, tt := range tests {
		got, err := parseInt(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("parseInt(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
