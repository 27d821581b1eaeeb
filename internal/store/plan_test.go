package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// planOnce runs Plan in an import that is committed.
func planOnce(t *testing.T, st *Store, plans ...FilePlan) []FileDecision {
	t.Helper()
	decisions, err := planChosen(t, st, "", plans...)
	if err != nil {
		t.Fatal(err)
	}
	return decisions
}

// planChosen runs Plan with chosen in an import that is committed unless
// Plan fails.
func planChosen(t *testing.T, st *Store, chosen string, plans ...FilePlan) ([]FileDecision, error) {
	t.Helper()
	im, err := st.BeginImport(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	decisions, err := im.Plan(plans, chosen)
	if err != nil {
		return nil, err
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return decisions, nil
}

func establishmentNames(t *testing.T, st *Store) []string {
	t.Helper()
	estabs, err := loadEstablishments(ctx, st.db)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range estabs {
		names = append(names, e.String())
	}
	return names
}

func TestEstablishmentsOfFiles(t *testing.T) {
	roster := FilePlan{Name: "eleves.csv", Kind: KindRoster}
	collecte := func(org string) FilePlan { return FilePlan{Kind: KindCollecte, Organization: org} }
	xml := func(uai string) FilePlan { return FilePlan{Kind: KindRoster, UAI: uai} }
	type step struct {
		plans  []FilePlan
		want   []string // establishment of each file, "!" for a refused file, or one "?" for a *ChoiceError
		chosen string   // --etablissement
	}
	two := step{plans: []FilePlan{collecte("Collège Jean Moulin"), collecte("Lycée Victor Hugo")}}
	stored2 := []string{"« Collège Jean Moulin »", "« Lycée Victor Hugo »"}
	tests := []struct {
		name   string
		steps  []step
		stored []string // the establishments afterwards
	}{
		{"a roster and its export: the export names the roster's establishment",
			[]step{{plans: []FilePlan{roster, collecte("Collège Jean Moulin")}, want: []string{"Collège Jean Moulin", "Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin »"}},
		{"a roster first, its export later: the unnamed establishment takes the name",
			[]step{{plans: []FilePlan{roster}, want: []string{""}}, {plans: []FilePlan{collecte("Collège Jean Moulin")}, want: []string{"Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin »"}},
		{"names compare folded",
			[]step{{plans: []FilePlan{collecte("Collège Jean Moulin")}, want: []string{"Collège Jean Moulin"}}, {plans: []FilePlan{collecte("COLLEGE JEAN-MOULIN")}, want: []string{"Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin »"}},
		{"a SIECLE XML export with its UAI, then the export",
			[]step{{plans: []FilePlan{xml("0751234a")}, want: []string{""}}, {plans: []FilePlan{collecte("Collège Jean Moulin")}, want: []string{"Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin » (UAI 0751234A)"}},
		{"another school's export is another establishment",
			[]step{{plans: []FilePlan{roster, collecte("Collège Jean Moulin")}, want: nil}, {plans: []FilePlan{collecte("Lycée Victor Hugo")}, want: []string{"Lycée Victor Hugo"}}},
			[]string{"« Collège Jean Moulin »", "« Lycée Victor Hugo »"}},
		{"a roster with no establishment, into a store of two: the person must choose",
			[]step{two, {plans: []FilePlan{roster}, want: []string{"?"}}}, stored2},
		{"a roster with no establishment, into a store of two, with one of their exports",
			[]step{two, {plans: []FilePlan{roster, collecte("Lycée Victor Hugo")}, want: []string{"Lycée Victor Hugo", "Lycée Victor Hugo"}}},
			stored2},
		{"a roster into the establishment chosen, by the start of a word of its name",
			[]step{two, {plans: []FilePlan{roster}, chosen: "victor", want: []string{"Lycée Victor Hugo"}}}, stored2},
		{"a chosen name compares folded",
			[]step{two, {plans: []FilePlan{roster}, chosen: "COLLEGE JEAN-MOU", want: []string{"Collège Jean Moulin"}}}, stored2},
		{"a chosen name that names no establishment",
			[]step{two, {plans: []FilePlan{roster}, chosen: "Lycée Hugo", want: []string{"?"}}}, stored2},
		{"a chosen name that names two",
			[]step{{plans: []FilePlan{collecte("Collège Jean Moulin"), collecte("Collège Victor Hugo")}},
				{plans: []FilePlan{roster}, chosen: "collège", want: []string{"?"}}},
			[]string{"« Collège Jean Moulin »", "« Collège Victor Hugo »"}},
		{"the chosen establishment may be named by this import's export",
			[]step{{plans: []FilePlan{roster, collecte("Collège Jean Moulin")}, chosen: "jean moulin", want: []string{"Collège Jean Moulin", "Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin »"}},
		{"an export of another establishment than the chosen one is refused",
			[]step{two, {plans: []FilePlan{roster, collecte("Lycée Victor Hugo")}, chosen: "jean moulin", want: []string{"Collège Jean Moulin", "!"}}},
			stored2},
		{"a SIECLE XML roster of another establishment than the chosen one is refused",
			[]step{{plans: []FilePlan{xml("0751234A"), collecte("Collège Jean Moulin")}}, {plans: []FilePlan{collecte("Lycée Victor Hugo")}},
				{plans: []FilePlan{xml("0751234a")}, chosen: "victor", want: []string{"!"}}},
			[]string{"« Collège Jean Moulin » (UAI 0751234A)", "« Lycée Victor Hugo »"}},
		{"a SIECLE XML roster gives its UAI to the chosen establishment",
			[]step{two, {plans: []FilePlan{xml("0350001b")}, chosen: "victor", want: []string{"Lycée Victor Hugo"}}},
			[]string{"« Collège Jean Moulin »", "« Lycée Victor Hugo » (UAI 0350001B)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			for i, s := range tt.steps {
				decisions, err := planChosen(t, st, s.chosen, s.plans...)
				var choice *ChoiceError
				switch {
				case errors.As(err, &choice) && reflect.DeepEqual(s.want, []string{"?"}):
					continue
				case err != nil:
					t.Fatalf("step %d: %v", i, err)
				case s.want == nil:
					continue
				}
				var got []string
				for _, d := range decisions {
					switch {
					case d.Err != nil:
						got = append(got, "!")
					default:
						got = append(got, d.Establishment)
					}
				}
				if !reflect.DeepEqual(got, s.want) {
					t.Errorf("step %d: establishments %q, want %q", i, got, s.want)
				}
			}
			if got := establishmentNames(t, st); !reflect.DeepEqual(got, tt.stored) {
				t.Errorf("stored establishments %q, want %q", got, tt.stored)
			}
		})
	}
}

// A store holding an unnamed establishment (its roster came alone), then
// the exports of two organizations in one command: whose the roster is
// cannot be told, whatever the order.
func TestAnUnnamedEstablishmentIsNotGuessed(t *testing.T) {
	for _, order := range [][]string{{"Collège A", "Collège B"}, {"Collège B", "Collège A"}} {
		st := openStore(t)
		planOnce(t, st, FilePlan{Kind: KindRoster})
		decisions := planOnce(t, st, FilePlan{Kind: KindCollecte, Organization: order[0], CampaignID: 1},
			FilePlan{Kind: KindCollecte, Organization: order[1], CampaignID: 2})
		for i, d := range decisions {
			if d.Err == nil {
				t.Errorf("%v: export %d given to %q, want a refusal", order, i, d.Establishment)
			}
		}
	}
}

// An organization renamed in Pix: its campaigns say it is the same, the
// establishment takes the new name.
func TestARenamedOrganization(t *testing.T) {
	st := openStore(t)
	p := sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 6)
	p.Organization = "Collège Jean Moulin"
	imp(t, st, []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}}, []collecte.Participation{p})
	im, err := st.BeginImport(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	decisions, err := im.Plan([]FilePlan{{Kind: KindCollecte, Organization: "Collège Jean-Moulin de Lannion", CampaignID: 1}}, "")
	if err != nil || decisions[0].Err != nil || decisions[0].Establishment != "Collège Jean-Moulin de Lannion" || decisions[0].NewEstablishment {
		t.Fatalf("plan %+v, %v: want the establishment renamed", decisions, err)
	}
	if got := im.Renamed(); len(got) != 1 || got[0].From != "« Collège Jean Moulin »" {
		t.Errorf("renamed %+v", got)
	}
}

func TestChooseAnEstablishment(t *testing.T) {
	estabs := []Establishment{{ID: 1, Name: "Collège Jean Moulin", UAI: "0751234A"}, {ID: 2, Name: "Lycée Jean Moulin"}, {ID: 3, Name: "Collège Victor Hugo"}}
	tests := []struct {
		text string
		want int64 // 0: a *ChoiceError
	}{
		{"Collège Jean Moulin", 1},
		{"college jean-moulin", 1},
		{"lycee", 2},
		{"hugo", 3},
		{"0751234a", 1},
		{"jean moulin", 0}, // two
		{"collège", 0},     // two
		{"moulin lycée", 0},
		{"", 0},
	}
	for _, tt := range tests {
		got, err := Choose(estabs, tt.text)
		var choice *ChoiceError
		switch {
		case tt.want == 0 && !errors.As(err, &choice):
			t.Errorf("Choose(%q) = %v, %v: want a choice error", tt.text, got.Label(), err)
		case tt.want != 0 && (err != nil || got.ID != tt.want):
			t.Errorf("Choose(%q) = %d, %v: want %d", tt.text, got.ID, err, tt.want)
		}
	}
	if _, err := Choose(estabs, "jean"); err == nil || !strings.Contains(err.Error(), "« Collège Jean Moulin » (UAI 0751234A), « Lycée Jean Moulin »") {
		t.Errorf("ambiguous: %v", err)
	}
	if _, err := Choose(nil, "jean"); err == nil || !strings.Contains(err.Error(), "aucun établissement") {
		t.Errorf("no establishment: %v", err)
	}
}
