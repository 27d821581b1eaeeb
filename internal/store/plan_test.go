package store

import (
	"errors"
	"reflect"
	"testing"

	"pixcert/internal/collecte"
	"pixcert/internal/roster"
)

// planOnce runs Plan in an import that is committed.
func planOnce(t *testing.T, st *Store, plans ...FilePlan) []FileDecision {
	t.Helper()
	im, err := st.BeginImport(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	decisions, err := im.Plan(plans)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return decisions
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
	roster := FilePlan{Kind: KindRoster}
	collecte := func(org string) FilePlan { return FilePlan{Kind: KindCollecte, Organization: org} }
	xml := func(uai string) FilePlan { return FilePlan{Kind: KindRoster, UAI: uai} }
	type step struct {
		plans []FilePlan
		want  []string // establishment of each file, "!" for ErrWhichEstablishment
	}
	tests := []struct {
		name   string
		steps  []step
		stored []string // the establishments afterwards
	}{
		{"a roster and its export: the export names the roster's establishment",
			[]step{{[]FilePlan{roster, collecte("Collège Jean Moulin")}, []string{"Collège Jean Moulin", "Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin »"}},
		{"a roster first, its export later: the unnamed establishment takes the name",
			[]step{{[]FilePlan{roster}, []string{""}}, {[]FilePlan{collecte("Collège Jean Moulin")}, []string{"Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin »"}},
		{"names compare folded",
			[]step{{[]FilePlan{collecte("Collège Jean Moulin")}, []string{"Collège Jean Moulin"}}, {[]FilePlan{collecte("COLLEGE JEAN-MOULIN")}, []string{"Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin »"}},
		{"a SIECLE XML export with its UAI, then the export",
			[]step{{[]FilePlan{xml("0751234a")}, []string{""}}, {[]FilePlan{collecte("Collège Jean Moulin")}, []string{"Collège Jean Moulin"}}},
			[]string{"« Collège Jean Moulin » (UAI 0751234A)"}},
		{"another school's export is another establishment",
			[]step{{[]FilePlan{roster, collecte("Collège Jean Moulin")}, nil}, {[]FilePlan{collecte("Lycée Victor Hugo")}, []string{"Lycée Victor Hugo"}}},
			[]string{"« Collège Jean Moulin »", "« Lycée Victor Hugo »"}},
		{"a roster with no establishment, into a store of two: refused",
			[]step{{[]FilePlan{collecte("Collège Jean Moulin"), collecte("Lycée Victor Hugo")}, nil}, {[]FilePlan{roster}, []string{"!"}}},
			[]string{"« Collège Jean Moulin »", "« Lycée Victor Hugo »"}},
		{"a roster with no establishment, into a store of two, with one of their exports",
			[]step{{[]FilePlan{collecte("Collège Jean Moulin"), collecte("Lycée Victor Hugo")}, nil},
				{[]FilePlan{roster, collecte("Lycée Victor Hugo")}, []string{"Lycée Victor Hugo", "Lycée Victor Hugo"}}},
			[]string{"« Collège Jean Moulin »", "« Lycée Victor Hugo »"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			for i, s := range tt.steps {
				decisions := planOnce(t, st, s.plans...)
				if s.want == nil {
					continue
				}
				var got []string
				for _, d := range decisions {
					switch {
					case errors.Is(d.Err, ErrWhichEstablishment):
						got = append(got, "!")
					case d.Err != nil:
						t.Fatalf("step %d: %v", i, d.Err)
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
	decisions, err := im.Plan([]FilePlan{{Kind: KindCollecte, Organization: "Collège Jean-Moulin de Lannion", CampaignID: 1}})
	if err != nil || decisions[0].Err != nil || decisions[0].Establishment != "Collège Jean-Moulin de Lannion" || decisions[0].NewEstablishment {
		t.Fatalf("plan %+v, %v: want the establishment renamed", decisions, err)
	}
	if got := im.Renamed(); len(got) != 1 || got[0].From != "« Collège Jean Moulin »" {
		t.Errorf("renamed %+v", got)
	}
}
