package store

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// sendingTime orders sent_at as text does, for every shape sent_at takes.
func TestSendingTimeOrdersAsTheText(t *testing.T) {
	ordered := []string{"1899-12-31", "1900-01-01", "1900-01-01 00:00", "2025-06-12", "2025-06-12 00:00", "2025-06-12 00:01", "2025-06-12 23:59",
		"2025-06-13", "2025-12-31 23:59", "2026-01-01", "2026-01-01 08:00", "5982-01-01"}
	for i := 2; i < len(ordered); i++ { // 1899 is clamped to 1900
		a, b := ordered[i-1], ordered[i]
		if sendingTime(a) >= sendingTime(b) || strings.Compare(a, b) >= 0 {
			t.Errorf("%q (%d) should come before %q (%d)", a, sendingTime(a), b, sendingTime(b))
		}
	}
	if sendingTime("1899-12-31") != sendingTime("1900-01-01") || sendingTime("9999-12-31 23:59") != sendingTime("6000-01-01 00:00") {
		t.Error("typos before 1900 or after 5982 are not clamped")
	}
}

// Two sendings of one minute: the same one decides, whatever the order of
// the files and of their rows.
func TestTwoSendingsOfOneMinuteDecideTheSameWhateverTheOrder(t *testing.T) {
	lea := []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}}
	a := sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 4)
	b := sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 6)
	var got []string
	for _, exports := range [][][]collecte.Participation{{{a, b}}, {{b, a}}, {{a}, {b}}, {{b}, {a}}} {
		st := openStore(t)
		imp(t, st, lea)
		for _, e := range exports {
			imp(t, st, nil, e)
		}
		got = append(got, statuses(t, st)["DUPONT Léa"])
	}
	for _, g := range got {
		if g != got[0] || g != "certifiable/6/2026-03-14 10:42" {
			t.Fatalf("statuses %q: want the same one each time (certifiable, 6 competences)", got)
		}
	}
}

// A sending read first without its time (an Excel re-save), then with it:
// one sending, with its time.
func TestASendingGetsTheTimeALaterFileGives(t *testing.T) {
	for _, bulk := range []bool{true, false} {
		st := openStore(t)
		lea := []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}}
		retyped, precise := sent("DUPONT", "Léa", "3E2", "2026-03-14", 10), sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 10)
		older := sent("DUPONT", "Léa", "3E2", "2026-03-14 09:00", 2)
		if bulk {
			imp(t, st, lea, []collecte.Participation{retyped}, []collecte.Participation{precise, older})
		} else {
			imp(t, st, lea, []collecte.Participation{retyped})
			imp(t, st, nil, []collecte.Participation{precise, older})
		}
		list, _ := st.Students(ctx, Filter{})
		if len(list) != 1 || list[0].Sendings != 2 || list[0].StatusDate != "2026-03-14 10:42" || list[0].CertifiableCt != 10 {
			t.Errorf("bulk %v: %+v, want 2 sendings, the latest at 10:42 with 10 competences", bulk, list)
		}
		if r, err := st.Check(ctx); err != nil || len(r.Problems) > 0 {
			t.Errorf("bulk %v: check %v, %v", bulk, r.Problems, err)
		}
	}
}

// Participants are matched with students of their own establishment only.
func TestEstablishmentsAreKeptApart(t *testing.T) {
	st := openStore(t)
	moulin := sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 10)
	moulin.Organization = "Collège Jean Moulin"
	imp(t, st, []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}}, []collecte.Participation{moulin})
	// Another school's export, with a namesake in a class of the same name.
	hugo := sent("DUPONT", "Léa", "3E2", "2026-03-20 08:00", 2)
	hugo.Organization, hugo.CampaignID = "Lycée Victor Hugo", 99
	files, _ := imp(t, st, nil, []collecte.Participation{hugo})
	if files[0].Unmatched != 1 {
		t.Errorf("the other school's participant: %d unmatched, want 1", files[0].Unmatched)
	}
	if got := statuses(t, st)["DUPONT Léa"]; got != "certifiable/10/2026-03-14 10:42" {
		t.Errorf("status %q: the other school's sending was counted", got)
	}
}

func TestSearchText(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{[]string{"DUPONT", "", "Léa"}, "dupont lea"},
		{[]string{"SAINT-MARTIN", "", "Jean-Baptiste"}, "saintmartin saint martin jeanbaptiste jean baptiste"},
		{[]string{"N'DIAYE", "", "Inès"}, "ndiaye n diaye ines"},
		{[]string{"DUBOIS", "MOREAU", "Chloé Marie"}, "dubois moreau chloemarie chloe marie"},
		{[]string{"DUPONT", "", "Jean-Pierre Paul"}, "dupont jeanpierrepaul jeanpierre paul jean pierre"},
		{[]string{"=BONO", "", "Paul"}, "bono paul"},
		{[]string{"Nguyễn", "", "Bảo"}, "nguyen bao"},
	}
	for _, tt := range tests {
		if got := searchText(tt.names...); got != tt.want {
			t.Errorf("searchText(%q) = %q, want %q", tt.names, got, tt.want)
		}
	}
	for text, want := range map[string]string{
		"lea dup":      `"lea"* AND "dup"*`,
		"Saint-Martin": `"saint"* AND "martin"*`,
		"N'Diaye":      `"n"* AND "diaye"*`,
		"  ":           "",
		"\"*) OR x":    `"or"* AND "x"*`, // what FTS5 would read as syntax is a word like any other
	} {
		if got := searchQuery(text); got != want {
			t.Errorf("searchQuery(%q) = %q, want %q", text, got, want)
		}
	}
}

// What a person types finds the students whose names hold words
// beginning with each word typed, accents, case and punctuation aside.
func TestSearch(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{NationalID: "1", LastName: "SAINT-MARTIN", FirstName: "Jean-Baptiste", Class: "3E1"},
		{NationalID: "2", LastName: "MARTIN", FirstName: "Tom", Class: "3E2"},
		{NationalID: "3", LastName: "N'DIAYE", FirstName: "Inès", Class: "3E1"},
		{NationalID: "4", LastName: "DUBOIS", UsageName: "MOREAU", FirstName: "Chloé", Class: "3E1"},
		{NationalID: "5", LastName: "LEFÈVRE", FirstName: "Hugo", Class: "3E1"},
	})
	for text, want := range map[string][]string{
		"martin":        {"MARTIN", "SAINT-MARTIN"},
		"saint martin":  {"SAINT-MARTIN"},
		"Saint-Martin":  {"SAINT-MARTIN"},
		"jean baptiste": {"SAINT-MARTIN"},
		"ndiaye":        {"N'DIAYE"},
		"n'diaye ines":  {"N'DIAYE"},
		"moreau":        {"DUBOIS"},
		"lef":           {"LEFÈVRE"},
		"hugo lefevre":  {"LEFÈVRE"},
		"lefevre tom":   nil,
		"x":             nil,
	} {
		list, err := st.Students(ctx, Filter{Search: text, Sort: SortName})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.LastName)
		}
		slices.Sort(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("search %q: %q, want %q", text, got, want)
		}
	}
}
