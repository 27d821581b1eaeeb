package printout

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

// wantHeader is the header of Pix Certif's template (pix-formats.md §8),
// as Pix's own tests expect it: a BOM, every name quoted, « ; ». Note
// « format: » without a space, « Temps majoré ? » with a plain one, and
// the ellipsis « … » as one character.
const wantHeader = "\uFEFF" + `"Numéro de session préexistante";"* Nom du site";"* Nom de la salle";"* Date de début (format: JJ/MM/AAAA)";"* Heure de début (heure locale format: HH:MM)";"* Surveillant(s)";"Observations (optionnel)";"* Nom de naissance";"* Prénom";"* Date de naissance (format: JJ/MM/AAAA)";"* Sexe (M ou F)";"Code INSEE de la commune de naissance";"Code postal de la commune de naissance";"Nom de la commune de naissance";"* Pays de naissance";"E-mail du destinataire des résultats (formateur, enseignant…)";"E-mail de convocation";"Identifiant externe";"Temps majoré ? (exemple format: 33%)"` + "\r\n"

func writeCSV(t *testing.T) (string, []string) {
	t.Helper()
	var b bytes.Buffer
	missing, err := PixCertifCSV(&b, plan())
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), missing
}

func TestPixCertifHeader(t *testing.T) {
	file, _ := writeCSV(t)
	if !strings.HasPrefix(file, wantHeader) {
		t.Errorf("header:\n%q\nwant\n%q", file[:min(len(file), len(wantHeader))], wantHeader)
	}
	if !strings.Contains(wantHeader, "enseignant\u2026)") || !strings.Contains(wantHeader, "majoré ? (") {
		t.Error("the test's header is not Pix's")
	}
}

func TestPixCertifRows(t *testing.T) {
	file, missing := writeCSV(t)
	lines := strings.Split(strings.TrimSuffix(file, "\r\n"), "\r\n")
	if len(lines) != 1+26 {
		t.Fatalf("%d lines, want 27", len(lines))
	}
	// Every cell quoted: a line is "…";"…";…, 19 of them.
	for i, line := range lines[1:] {
		if !strings.HasPrefix(line, `"`) || !strings.HasSuffix(line, `"`) || strings.Count(line, `";"`) != 18 {
			t.Errorf("line %d not quoted cell by cell: %s", i+2, line)
		}
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(file, "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]string{
		{"", "Collège Jean Moulin", "Salle 101", "16/03/2026", "08:30", "M. Martin, Mme Durand", "Salle informatique du 1er étage",
			"N'DIAYE", "Awa", "12/12/2011", "", "", "", "", "", "", "", "0123456789L", "33%"},
		{"", "Collège Jean Moulin", "Salle 101", "16/03/2026", "08:30", "M. Martin, Mme Durand", "Salle informatique du 1er étage",
			"<script>alert(1)</script>", "Eve", "20/08/2011", "", "", "", "", "", "", "", "0123456789T", ""},
		// Guarded as Pix guards its exports; a quote doubled.
		{"", "Collège Jean Moulin", "CDI", "17/03/2026", "14:00", "Mme Nguyen", "",
			`'=HYPERLINK("http://x")`, "Paul", "01/06/2011", "", "", "", "", "", "", "", "", ""},
		{"", "Collège Jean Moulin", "CDI", "17/03/2026", "14:00", "Mme Nguyen", "",
			"ZOLA", "Émile", "", "", "", "", "", "", "", "", "9876543210Z", ""},
		{"", "Collège Jean Moulin", "CDI", "17/03/2026", "14:00", "Mme Nguyen", "",
			"'@LAMBERT", "'+Chloé", "31/12/2010", "", "", "", "", "", "", "", "", ""},
	} {
		found := false
		for _, row := range rows {
			found = found || reflect.DeepEqual(row, want)
		}
		if !found {
			t.Errorf("no row %q", want)
		}
	}
	if !strings.Contains(file, `"'=HYPERLINK(""http://x"")"`) {
		t.Error("a quote is not doubled")
	}
	wantMissing := []string{"Date de naissance (format: JJ/MM/AAAA)", "Sexe (M ou F)", "Pays de naissance", BirthplaceMissing}
	if !reflect.DeepEqual(missing, wantMissing) {
		t.Errorf("missing %q, want %q", missing, wantMissing)
	}
}

// A session without candidates is a row of its columns alone, which Pix
// imports as an empty session; no candidate column is missing then.
func TestPixCertifEmptySession(t *testing.T) {
	list := plan()[1:]
	list[0].Candidates = nil
	list[0].Supervisors = nil
	var b bytes.Buffer
	missing, err := PixCertifCSV(&b, list)
	if err != nil {
		t.Fatal(err)
	}
	want := wantHeader + `"";"Collège Jean Moulin";"CDI";"17/03/2026";"14:00";"";"";"";"";"";"";"";"";"";"";"";"";"";""` + "\r\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
	if !reflect.DeepEqual(missing, []string{"Surveillant(s)"}) {
		t.Errorf("missing %q", missing)
	}
}
