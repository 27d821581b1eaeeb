package store

import (
	"fmt"
	"testing"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
	"github.com/pixcert/pixcert/internal/synth"
	"github.com/pixcert/pixcert/internal/synth/synthread"
)

// synthSchool reads a synthetic school of n students (internal/synth),
// with the statuses the generator computed on its own.
func synthSchool(t testing.TB, n int) ([]roster.Student, []collecte.Participation, *synth.Dataset) {
	t.Helper()
	students, rows, ds, err := synthread.Read(n, 7)
	if err != nil {
		t.Fatal(err)
	}
	return students, rows, ds
}

// byINE is every student's status, count, date and sendings.
func byINE(t *testing.T, st *Store) map[string]string {
	t.Helper()
	list, err := st.Students(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(list))
	for _, s := range list {
		count := -1
		if s.HasProfile {
			count = s.CertifiableCt
		}
		out[s.NationalID] = fmt.Sprintf("%s %d %s %d %s", s.Status, count, s.StatusDate, s.Sendings, s.Class)
	}
	return out
}

func checked(t *testing.T, st *Store, when string) {
	t.Helper()
	r, err := st.Check(ctx)
	if err != nil || len(r.Problems) > 0 {
		t.Fatalf("%s: check %v, %v", when, r.Problems, err)
	}
}

// Three exports imported one after another into a store of 10,000
// students give the same statuses as one import of all three, and as the
// generator computed them; so does a store where exports came first.
func TestImportsOneAfterAnotherEqualOneImport(t *testing.T) {
	const n = 10000
	students, rows, ds := synthSchool(t, n)
	parts := make([][]collecte.Participation, 3)
	for i, p := range rows {
		parts[i%3] = append(parts[i%3], p)
	}

	all := openStore(t)
	imp(t, all, students, parts...)
	checked(t, all, "one import")

	oneByOne := openStore(t)
	imp(t, oneByOne, students)
	for i, part := range parts {
		imp(t, oneByOne, nil, part)
		checked(t, oneByOne, fmt.Sprintf("after export %d", i+1))
	}

	exportsFirst := openStore(t)
	imp(t, exportsFirst, nil, parts[2])
	imp(t, exportsFirst, nil, parts[0])
	imp(t, exportsFirst, students, parts[1])
	checked(t, exportsFirst, "exports first")

	want := map[string]string{}
	for _, e := range ds.Expected {
		want[e.NationalID] = fmt.Sprintf("%s %d %s %d %s", e.Status, e.Count, e.Date, e.Sendings, e.Class)
	}
	for name, st := range map[string]*Store{"one import": all, "one after another": oneByOne, "exports first": exportsFirst} {
		got := byINE(t, st)
		if len(got) != n {
			t.Fatalf("%s: %d students, want %d", name, len(got), n)
		}
		wrong := 0
		for ine, w := range want {
			if got[ine] != w {
				if wrong++; wrong <= 5 {
					t.Errorf("%s: %s is %q, want %q", name, ine, got[ine], w)
				}
			}
		}
		if wrong > 0 {
			t.Errorf("%s: %d of %d students wrong", name, wrong, n)
		}
	}
}

// Link and unlink on a store of 10,000 students touch one participant and
// the statuses of its students, and pixcert check still holds.
func TestLinkAndUnlinkOnALargeStore(t *testing.T) {
	students, rows, _ := synthSchool(t, 10000)
	st := openStore(t)
	imp(t, st, students, rows)

	// A participant matched by name, with a sending.
	var p Participant
	for _, s := range students[100:] {
		found, err := st.FindStudents(ctx, s.NationalID, 0)
		if err != nil || len(found) != 1 {
			t.Fatalf("FindStudents(%s): %v, %v", s.NationalID, found, err)
		}
		if found[0].Sendings == 0 {
			continue
		}
		list, err := st.participants(ctx, `p.student_id = ?`, found[0].ID)
		if err != nil || len(list) == 0 {
			t.Fatalf("participants of %s: %v, %v", s.NationalID, list, err)
		}
		p = list[0]
		break
	}
	owner := p.StudentID
	other, err := st.FindStudents(ctx, students[0].NationalID, 0)
	if err != nil || len(other) != 1 || other[0].ID == owner {
		t.Fatalf("another student: %v, %v", other, err)
	}

	if err := st.Link(ctx, p, 0, testNow); err != nil {
		t.Fatal(err)
	}
	checked(t, st, "after unlink")
	after, _ := st.participants(ctx, `p.id = ?`, p.ID)
	if after[0].StudentID != 0 {
		t.Errorf("unlinked participant still matched with %d", after[0].StudentID)
	}
	if err := st.Link(ctx, after[0], other[0].ID, testNow); err != nil {
		t.Fatal(err)
	}
	checked(t, st, "after link")
	linked, _ := st.Students(ctx, Filter{IDs: []int64{other[0].ID}})
	history, _ := st.History(ctx, other[0].ID)
	manual := false
	for _, h := range history {
		manual = manual || (h.Manual && h.Ref == p.Ref)
	}
	if len(linked) != 1 || !manual || linked[0].Status == certif.NotCommunicated {
		t.Errorf("linked student %+v, history %+v: want the participant's sendings, tied by hand", linked, history)
	}
}
