package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// A sending stored with its day only, found again with its time under
// another class: the student it belongs to gets the time, and the status
// that time decides.
func TestASendingGetsItsTimeUnderTheLearnersNewClass(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E1"},
		{NationalID: "2", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"},
	}, []collecte.Participation{
		sent("DUPONT", "Léa", "3E1", "2026-03-14", 6),
		sent("DUPONT", "Léa", "3E1", "2026-03-14 09:00", 2),
	})
	imp(t, st, nil, []collecte.Participation{sent("DUPONT", "Léa", "3E9", "2026-03-14 10:42", 6)})
	if got := statusesByClass(t, st)["DUPONT Léa (3E1)"]; got != "certifiable/6/2026-03-14 10:42" {
		t.Errorf("status %q, want the sending of 10:42 (6 competences) to decide", got)
	}
	checked(t, st, "after the time was given")
}

// Whether an export comes with its roster or after it, its participants
// are matched the same; here a first name with a hyphen, among several.
func TestAMatchDoesNotDependOnWhenTheRosterCame(t *testing.T) {
	jp := []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Jean-Pierre Paul", Class: "3E2"}}
	p := []collecte.Participation{sent("DUPONT", "Jean-Pierre", "3E2", "2026-03-14 10:42", 6)}
	together := openStore(t)
	imp(t, together, jp, p)
	apart := openStore(t)
	imp(t, apart, jp)
	imp(t, apart, nil, p)
	for name, st := range map[string]*Store{"together": together, "apart": apart} {
		if got := statuses(t, st)["DUPONT Jean-Pierre Paul"]; got != "certifiable/6/2026-03-14 10:42" {
			t.Errorf("%s: %q, want the participant matched", name, got)
		}
	}
}

// A row without an id, after a row with one for the same name and birth
// date, is the same student: in one import or two, whatever stands
// between them.
func TestAStudentWithoutAnIDIsFoundWhateverTheOrder(t *testing.T) {
	with := roster.Student{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2", Birthdate: "2011-05-04"}
	without := roster.Student{LastName: "Dupont", FirstName: "Léa", Class: "3E2", Birthdate: "2011-05-04"}
	count := func(st *Store) int {
		var n int
		if err := st.db.QueryRow(`SELECT count(*) FROM students WHERE name_key = 'dupont|lea'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, gap := range []int{0, 3, 250} {
		var between []roster.Student
		for i := 0; i < gap; i++ {
			between = append(between, roster.Student{NationalID: fmt.Sprintf("G%d", i), LastName: "GAP", FirstName: fmt.Sprint(i), Class: "3E1"})
		}
		bulk := openStore(t)
		imp(t, bulk, append(append([]roster.Student{with}, between...), without))
		later := openStore(t)
		imp(t, later, []roster.Student{{NationalID: "0", LastName: "X", FirstName: "Y", Class: "3E1"}})
		imp(t, later, append(append([]roster.Student{with}, between...), without))
		twice := openStore(t)
		imp(t, twice, []roster.Student{with})
		imp(t, twice, []roster.Student{without})
		for name, st := range map[string]*Store{"one bulk load": bulk, "one later import": later, "two imports": twice} {
			if n := count(st); n != 1 {
				t.Errorf("%d rows between, %s: %d students DUPONT Léa, want 1", gap, name, n)
			}
		}
	}
}

// Two establishments: a link stays within the participant's, and class
// counts keep their classes apart.
func TestEstablishmentsStayApartInLinksAndCounts(t *testing.T) {
	st := openStore(t)
	a := sent("DURAND", "Zoé", "3E1", "2026-03-14 10:42", 8)
	a.Organization = "Collège A"
	imp(t, st, []roster.Student{{NationalID: "A1", LastName: "MARTIN", FirstName: "Tom", Class: "3E1"}}, []collecte.Participation{a})
	b := sent("X", "Y", "3E1", "2026-03-14 10:42", 1)
	b.Organization, b.CampaignID = "Collège B", 2
	imp(t, st, []roster.Student{{NationalID: "B1", LastName: "DURAND", FirstName: "Zoé", Class: "3E1"}}, []collecte.Participation{b})

	list, err := st.Unmatched(ctx, 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("unmatched %+v, %v", list, err)
	}
	zoe := list[0]
	if zoe.LastName != "DURAND" {
		zoe = list[1]
	}
	if found, err := st.FindStudents(ctx, "durand zoe", zoe.Establishment); err != nil || len(found) != 0 {
		t.Errorf("Collège B's DURAND Zoé offered for Collège A's participant: %+v, %v", found, err)
	}
	other, _ := st.FindStudents(ctx, "durand zoe", 0)
	if err := st.Link(ctx, zoe, other[0].ID, testNow); !errors.Is(err, ErrOtherEstablishment) {
		t.Errorf("link across establishments: %v, want ErrOtherEstablishment", err)
	}
	counts, err := st.ClassCounts(ctx, 0, nil)
	if err != nil || len(counts) != 2 {
		t.Errorf("class counts %+v (%v): want 3E1 of each establishment apart", counts, err)
	}
	checked(t, st, "two establishments")
}

// A person's decision about a learner follows them when a later export
// shows them in another class.
func TestADecisionFollowsTheLearnerIntoANewClass(t *testing.T) {
	for _, unlink := range []bool{false, true} {
		st := openStore(t)
		students := []roster.Student{
			{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"},
			{NationalID: "2", LastName: "DUPOND", FirstName: "Lea", Class: "3E2"},
		}
		typo := sent("DUPOND", "Lea", "3E1", "2026-01-10 10:00", 2) // matched by name to DUPOND Lea
		imp(t, st, students, []collecte.Participation{typo})
		list, err := st.participants(ctx, `p.id = 1`)
		if err != nil || len(list) != 1 {
			t.Fatalf("participant: %+v, %v", list, err)
		}
		decided := int64(1) // DUPONT Léa: it was her, under a typo
		if unlink {
			decided = 0
		}
		if err := st.Link(ctx, list[0], decided, testNow); err != nil {
			t.Fatal(err)
		}
		files, _ := imp(t, st, nil, []collecte.Participation{sent("DUPOND", "Lea", "3E2", "2026-03-14 10:00", 7)})
		got := statuses(t, st)
		want := map[string]string{"DUPONT Léa": "certifiable/7/2026-03-14 10:00", "DUPOND Lea": "not-communicated"}
		if unlink {
			want = map[string]string{"DUPONT Léa": "not-communicated", "DUPOND Lea": "not-communicated"}
			if files[0].Unmatched != 1 {
				t.Errorf("unlinked learner in a new class: %d unmatched, want 1", files[0].Unmatched)
			}
		}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("unlink %v: %s %q, want %q", unlink, name, got[name], w)
			}
		}
		checked(t, st, "a decision followed")
	}
}
