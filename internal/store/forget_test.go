package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// sound fails the test when pixcert check finds a problem.
func sound(t *testing.T, st *Store) {
	t.Helper()
	r, err := st.Check(ctx)
	if err != nil || len(r.Problems) > 0 {
		t.Fatalf("check: %v %v", r.Problems, err)
	}
}

func TestForgetImports(t *testing.T) {
	// yearOfCollectes: import 1 is the roster, 2 the autumn export, 3 the
	// winter export of the same campaign, 4 the spring campaign.
	refused := []struct {
		ids  []int64
		want []string
	}{
		{[]int64{2}, []string{"l'import n° 2", "importée aussi par l'import n° 3", "pixcert forget 2 3"}},
		{[]int64{1}, []string{"liste d'élèves", "les imports n° 2, 3, 4", "pixcert forget 1 2 3 4"}},
		{[]int64{99}, []string{"aucun import n° 99"}},
	}
	for _, tt := range refused {
		st := yearOfCollectes(t)
		before := statuses(t, st)
		_, err := st.Forget(ctx, tt.ids)
		var fe *ForgetError
		if !errors.As(err, &fe) {
			t.Fatalf("forget %v: %v, want a ForgetError", tt.ids, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("forget %v: %q lacks %q", tt.ids, err, w)
			}
		}
		if after := statuses(t, st); !reflect.DeepEqual(after, before) {
			t.Errorf("forget %v refused, yet statuses changed: %v", tt.ids, after)
		}
	}

	st := yearOfCollectes(t)
	plan, err := st.PlanForget(ctx, []int64{4})
	if err != nil || plan.Sendings != 2 || plan.Participants != 2 || len(plan.Establishments) != 0 || !reflect.DeepEqual(plan.Campaigns, []string{"Printemps"}) {
		t.Fatalf("plan %+v, %v", plan, err)
	}
	if _, err := st.Forget(ctx, []int64{4}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ARNAUD Paul": "certifiable/5/2026-01-15 14:00",
		"BRUN Léa":    "certifiable/6/2025-10-07 10:00", // her reset was in the spring
		"COLIN Tom":   "non-certifiable/2/2026-01-16 08:30",
	}
	if got := statuses(t, st); !reflect.DeepEqual(got, want) {
		t.Errorf("after forgetting the spring: %v, want %v", got, want)
	}
	sound(t, st)
	if list, _ := st.Imports(ctx, 0); len(list) != 3 {
		t.Errorf("imports left %+v", list)
	}

	// The whole establishment: nothing of it is left.
	st = yearOfCollectes(t)
	gone, err := st.Forget(ctx, []int64{4, 3, 2, 1})
	if err != nil || gone.Students != 3 || len(gone.Establishments) != 1 {
		t.Fatalf("forget all: %+v, %v", gone, err)
	}
	if has, _ := st.HasStudents(ctx); has {
		t.Error("students left")
	}
	if estabs, _ := st.Establishments(ctx); len(estabs) != 0 {
		t.Errorf("establishments left: %+v", estabs)
	}
	sound(t, st)
}

func TestPurgeBefore(t *testing.T) {
	st := yearOfCollectes(t)
	before := statuses(t, st)
	dry, err := st.PurgeBefore(ctx, "2026-01-01", true)
	if err != nil || dry.Sendings != 2 {
		t.Fatalf("dry run %+v, %v", dry, err)
	}
	if got := statuses(t, st); !reflect.DeepEqual(got, before) {
		t.Fatalf("a dry run changed the statuses: %v", got)
	}
	purged, err := st.PurgeBefore(ctx, "2026-01-01", false)
	if err != nil || purged != dry {
		t.Fatalf("purge %+v (dry run said %+v), %v", purged, dry, err)
	}
	want := map[string]string{
		"ARNAUD Paul": "certifiable/5/2026-01-15 14:00",
		"BRUN Léa":    "non-certifiable/2/2026-03-10 11:00",
		"COLIN Tom":   "certifiable/7/2026-03-12 16:00",
	}
	if got := statuses(t, st); !reflect.DeepEqual(got, want) {
		t.Errorf("after the purge: %v, want %v", got, want)
	}
	sound(t, st)
	// Imports made before the day go once nothing they brought is left:
	// here they were all made on testNow, after it.
	if list, _ := st.Imports(ctx, 0); len(list) != 4 {
		t.Errorf("imports %+v", list)
	}
	// After the imports' day, the imports whose rows are gone go too; the
	// current roster and what it lists stay.
	all, err := st.PurgeBefore(ctx, "2027-01-01", false)
	if err != nil || all.Sendings != 4 || all.Students != 0 {
		t.Fatalf("purge of everything sent: %+v, %v", all, err)
	}
	if list, _ := st.Imports(ctx, 0); len(list) != 1 || list[0].Kind != KindRoster {
		t.Errorf("imports left %+v, want the current roster", list)
	}
	sound(t, st)
}

// An export may hold two campaigns (Pix writes one, a person may merge
// two): its campaigns are those of the rows it brought.
func TestForgetAnExportOfTwoCampaigns(t *testing.T) {
	st := yearOfCollectes(t)
	// Import 5 holds a sending of campaign 1 (that of imports 2 and 3) and
	// one of a campaign of its own.
	imp(t, st, nil, []collecte.Participation{
		sent("ARNAUD", "Paul", "3E1", "2026-04-02 09:00", 7),
		inCampaign(sent("DURAND", "Zoé", "3E2", "2026-04-03 09:00", 6), 9, "Rattrapage"),
	})
	_, err := st.Forget(ctx, []int64{5})
	if err == nil || !strings.Contains(err.Error(), "pixcert forget 2 3 5") {
		t.Fatalf("forget 5: %v, want the imports of campaign 1 asked for", err)
	}
	if _, err := st.Forget(ctx, []int64{2}); err == nil || !strings.Contains(err.Error(), "pixcert forget 2 3 5") {
		t.Fatalf("forget 2: %v, want import 5 asked for too", err)
	}
	gone, err := st.Forget(ctx, []int64{2, 3, 5})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gone.Campaigns, []string{"Collecte", "Rattrapage"}) {
		t.Errorf("campaigns forgotten %q", gone.Campaigns)
	}
	want := map[string]string{
		"ARNAUD Paul": "not-communicated", "BRUN Léa": "non-certifiable/2/2026-03-10 11:00",
		"COLIN Tom": "certifiable/7/2026-03-12 16:00",
	}
	if got := statuses(t, st); !reflect.DeepEqual(got, want) {
		t.Errorf("after forgetting campaign 1's exports: %v, want %v", got, want)
	}
	sound(t, st)
}

// A person linked a participant to the wrong student, then to the right
// one, who left the list: purging that student must not bring the mistake
// back.
func TestPurgeKeepsNoOverriddenDecision(t *testing.T) {
	st := openStore(t)
	arnaud := roster.Student{NationalID: "1", LastName: "ARNAUD", FirstName: "Paul", Class: "3E1"}
	brun := roster.Student{NationalID: "2", LastName: "BRUN", FirstName: "Léa", Class: "3E1"}
	imp(t, st, []roster.Student{arnaud, brun}, []collecte.Participation{sent("XYZ", "Inconnu", "3E1", "2026-03-10 10:00", 6)})
	p := func() Participant {
		l, err := st.participants(ctx, `p.id = 1`)
		if err != nil || len(l) != 1 {
			t.Fatalf("participant: %v %v", l, err)
		}
		return l[0]
	}
	if err := st.Link(ctx, p(), 1, testNow); err != nil { // ARNAUD: a mistake
		t.Fatal(err)
	}
	if err := st.Link(ctx, p(), 2, testNow); err != nil { // no: BRUN
		t.Fatal(err)
	}
	imp(t, st, []roster.Student{arnaud}, nil) // BRUN leaves the list
	if _, err := st.PurgeBefore(ctx, "2025-09-01", false); err != nil {
		t.Fatal(err)
	}
	sound(t, st)
	imp(t, st, []roster.Student{arnaud}, nil)
	if got := statuses(t, st)["ARNAUD Paul"]; got != "not-communicated" {
		t.Errorf("ARNAUD after the purge and an import: %q, want not communicated (the sending was never his)", got)
	}
	sound(t, st)
}
