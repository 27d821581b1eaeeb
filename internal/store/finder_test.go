package store

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pixcert/pixcert/internal/match"
	"github.com/pixcert/pixcert/internal/roster"
)

// The roster as the store holds it finds exactly the students the roster
// in memory finds, for every key: an export imported with its roster or
// after it is matched the same (match.Index and storedRoster are the two
// Finders of one rule).
func TestStoredRosterAgreesWithTheIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	lasts := []string{"MARTIN", "Martin", "DUPONT", "LE GALL", "Le-Gall", "N'DIAYE", "SAINT-MARTIN", "Ǆemal", "O'Neil"}
	firsts := []string{"Léa", "Lea", "Tom", "Zoé Anne", "Zoé", "Jean-Pierre Paul", "Jean-Pierre", "Jean Pierre", "Anne-Marie", "N'Golo Kanté"}
	classes := []string{"3E1", "3e1", "3E2", ""}
	for round := 0; round < 12; round++ {
		st := openStore(t)
		var students []roster.Student
		for i := 0; i < 40; i++ {
			s := roster.Student{LastName: lasts[rng.IntN(len(lasts))], FirstName: firsts[rng.IntN(len(firsts))],
				Class: classes[rng.IntN(len(classes))], Birthdate: fmt.Sprintf("2011-01-%02d", 1+i%28)}
			if rng.IntN(2) == 0 {
				s.NationalID = fmt.Sprintf("INE%03d", i)
			}
			if rng.IntN(4) == 0 {
				s.UsageName = lasts[rng.IntN(len(lasts))]
			}
			students = append(students, s)
		}
		imp(t, st, students)
		stored, err := matchStudents(ctx, st.db, `s.current = 1`)
		if err != nil {
			t.Fatal(err)
		}
		index := match.NewIndex(len(stored))
		for _, s := range stored {
			index.Add(s)
		}
		var estab int64
		if err := st.db.QueryRow(`SELECT id FROM establishments`).Scan(&estab); err != nil {
			t.Fatal(err)
		}
		finder := newStoredRoster(ctx, st.db, estab)
		for i := 0; i < 150; i++ {
			name := match.NameKey(lasts[rng.IntN(len(lasts))], firsts[rng.IntN(len(firsts))])
			class := match.ClassKey(classes[rng.IntN(len(classes))])
			id := fmt.Sprintf("INE%03d", rng.IntN(50))
			for _, q := range []struct {
				what       string
				inMemory   func() (int64, error)
				inTheStore func() (int64, error)
			}{
				{"ByName " + name, func() (int64, error) { return index.ByName(name) }, func() (int64, error) { return finder.ByName(name) }},
				{"ByNameClass " + name + " " + class, func() (int64, error) { return index.ByNameClass(name, class) },
					func() (int64, error) { return finder.ByNameClass(name, class) }},
				{"ByID " + id, func() (int64, error) { return index.ByID(id) }, func() (int64, error) { return finder.ByID(id) }},
			} {
				want, _ := q.inMemory()
				got, err := q.inTheStore()
				if err != nil || got != want {
					t.Fatalf("round %d, %s: the store says %d (%v), the index %d", round, q.what, got, err, want)
				}
			}
		}
	}
}
