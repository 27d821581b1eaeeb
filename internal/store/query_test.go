package store

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// A long list is sorted by SQLite rather than in memory, in the same order:
// classes and names in natural order, folded, ties broken by id.
func TestLongListsSortAsShortOnes(t *testing.T) {
	students, rows, _ := synthSchool(t, 600)
	// Spellings that fold or sort alike, and names that differ only by
	// accents or case.
	for i, class := range []string{"3E2", "3e2", "3E02", "3E10", "", "TD9", "td10", "3 E 2"} {
		for k, name := range []string{"Éluard", "ELUARD", "eluard", "Abel", "Zola", "N'Diaye", "NDIAYE"} {
			students = append(students, roster.Student{NationalID: fmt.Sprintf("9%02d%02dX", i, k), LastName: name, FirstName: "Anne", Class: class})
		}
	}
	st := openStore(t)
	imp(t, st, students, rows, []collecte.Participation{sent("ZOLA", "Anne", "3E2", "2026-01-01 10:00", 6)})
	ids := func(f Filter) []int64 {
		var out []int64
		if err := st.EachStudent(ctx, f, func(s *StudentStatus) error { out = append(out, s.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, f := range []Filter{
		{}, {Sort: SortName}, {Sort: SortCompetences}, {Sort: SortDate},
		{Statuses: []certif.Status{certif.NotCertifiable}, Sort: SortName},
		{Classes: []string{"3e2"}, Sort: SortDate},
	} {
		inMemory := ids(f)
		old := sortedInMemory
		sortedInMemory = 5
		bySQLite := ids(f)
		sortedInMemory = old
		if len(inMemory) <= 5 {
			t.Fatalf("%+v: %d students, too few to be sorted by SQLite", f, len(inMemory))
		}
		if !slices.Equal(inMemory, bySQLite) {
			t.Errorf("%+v: SQLite sorts\n%v\nmemory sorts\n%v", f, bySQLite, inMemory)
		}
	}
}

// The reader of a long list can stop it: its error ends the reading and
// comes back.
func TestEachStudentStopsOnTheReadersError(t *testing.T) {
	students, rows, _ := synthSchool(t, 300)
	st := openStore(t)
	imp(t, st, students, rows)
	old := sortedInMemory
	sortedInMemory = 10
	defer func() { sortedInMemory = old }()
	stop := errors.New("assez")
	seen := 0
	err := st.EachStudent(ctx, Filter{}, func(*StudentStatus) error {
		if seen++; seen == 20 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 20 {
		t.Errorf("stopped after %d students with %v, want 20 and the error of the reader", seen, err)
	}
}
