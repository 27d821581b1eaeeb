package match

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestNameKeys(t *testing.T) {
	tests := []struct {
		student Student
		want    []string
	}{
		{Student{LastName: "LEFÈVRE", FirstNames: "Hugo"}, []string{"lefevre|hugo"}},
		{Student{LastName: "N'DIAYE", FirstNames: "Inès"}, []string{"ndiaye|ines"}},
		{Student{LastName: "ROUSSEAU", FirstNames: "Zoé Anne"}, []string{"rousseau|zoeanne", "rousseau|zoe"}},
		{Student{LastName: "SAINT-MARTIN", FirstNames: "Jean-Baptiste"}, []string{"saintmartin|jeanbaptiste"}},
		{Student{LastName: "DUBOIS", UsageName: "MOREAU", FirstNames: "Chloé"}, []string{"dubois|chloe", "moreau|chloe"}},
		{Student{LastName: "DUBOIS", UsageName: "Dubois", FirstNames: "Chloé"}, []string{"dubois|chloe"}},
		{Student{LastName: "-", UsageName: "MOREAU", FirstNames: "Chloé"}, []string{"moreau|chloe"}},
	}
	for _, tt := range tests {
		if got := tt.student.NameKeys(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NameKeys(%+v) = %q, want %q", tt.student, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	roster := []Student{
		{ID: 1, NationalID: "123456789AB", LastName: "DUPONT", FirstNames: "Léa", Class: "3E2"},
		{ID: 2, NationalID: "A2", LastName: "MARTIN", FirstNames: "Tom", Class: "3E2"},
		{ID: 3, NationalID: "A3", LastName: "MARTIN", FirstNames: "Tom", Class: "3E2"},
		{ID: 4, NationalID: "A4", LastName: "MARTIN", FirstNames: "Lucas", Class: "2NDE1"},
		{ID: 5, NationalID: "A5", LastName: "MARTIN", FirstNames: "Lucas", Class: "2NDE4"},
		{ID: 6, LastName: "DUBOIS", UsageName: "MOREAU", FirstNames: "Chloé", Class: "3E1"},
		{ID: 7, LastName: "ROUSSEAU", FirstNames: "Zoé Anne", Class: "3E2"},
		{ID: 8, StudentNumber: "21400123", LastName: "Le Gall", FirstNames: "Maëlle", Class: "TD1"},
		{ID: 9, LastName: "LEFÈVRE", FirstNames: "Jean-Baptiste", Class: "3E1"},
	}
	tests := []struct {
		name     string
		p        Participant
		decision *Decision
		want     Result
	}{
		{"same name in the same class, whatever the case, accents and hyphens",
			Participant{LastName: "Lefevre", FirstName: "jean baptiste", Class: "3e1"}, nil, Result{9, ByNameClass}},
		{"namesakes in one class are not guessed",
			Participant{LastName: "MARTIN", FirstName: "Tom", Class: "3E2"}, nil, Result{}},
		{"namesakes in one class are not guessed, even from another class",
			Participant{LastName: "MARTIN", FirstName: "Tom", Class: "4E1"}, nil, Result{}},
		{"namesakes of two classes are told apart by the class (1)",
			Participant{LastName: "MARTIN", FirstName: "Lucas", Class: "2NDE1"}, nil, Result{4, ByNameClass}},
		{"namesakes of two classes are told apart by the class (2)",
			Participant{LastName: "Martin", FirstName: "Lucas", Class: "2nde4"}, nil, Result{5, ByNameClass}},
		{"namesakes of two classes, from a third class: no guess",
			Participant{LastName: "MARTIN", FirstName: "Lucas", Class: "1ERE2"}, nil, Result{}},
		{"a student who changed class is found by a name only they have",
			Participant{LastName: "DUPONT", FirstName: "Léa", Class: "4E2"}, nil, Result{1, ByName}},
		{"the usage name matches too",
			Participant{LastName: "Moreau", FirstName: "Chloé", Class: "3E1"}, nil, Result{6, ByNameClass}},
		{"the first of several first names",
			Participant{LastName: "ROUSSEAU", FirstName: "Zoé", Class: "3E2"}, nil, Result{7, ByNameClass}},
		{"the identifier wins over a different name",
			Participant{LastName: "Gall", FirstName: "M.", MatchID: "21400123"}, nil, Result{8, ByID}},
		{"an external id holding the INE identifies",
			Participant{LastName: "NDIAYE", FirstName: "Ines", Class: "2NDE", MatchID: "123456789AB"}, nil, Result{1, ByID}},
		{"an unknown identifier falls back on the name",
			Participant{LastName: "DUPONT", FirstName: "Léa", Class: "3E2", MatchID: "999"}, nil, Result{1, ByNameClass}},
		{"a participant in no roster",
			Participant{LastName: "INCONNU", FirstName: "Paul", Class: "3E2"}, nil, Result{}},
		{"a person's link wins over everything",
			Participant{LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}, &Decision{Student: 6}, Result{6, Manual}},
		{"a person's unlink keeps it away from its student",
			Participant{LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}, &Decision{}, Result{}},
	}
	index := NewIndex(0)
	for _, s := range roster {
		index.Add(s)
	}
	for _, f := range []struct {
		name   string
		finder Finder
	}{{"index", index}, {"brute force", bruteForce(roster)}} {
		for _, tt := range tests {
			got, err := Match(f.finder, tt.p, tt.decision)
			if err != nil || got != tt.want {
				t.Errorf("%s: %s: Match = %+v, %v; want %+v", f.name, tt.name, got, err, tt.want)
			}
		}
	}
}

// bruteForce is the Finder contract written plainly, to hold Index to it.
type bruteForce []Student

func (b bruteForce) pick(keep func(Student) bool) int64 {
	found := int64(0)
	for _, s := range b {
		if !keep(s) || s.ID == found {
			continue
		}
		if found != 0 {
			return Ambiguous
		}
		found = s.ID
	}
	return found
}

func (b bruteForce) ByID(id string) (int64, error) {
	return b.pick(func(s Student) bool { return s.NationalID == id || s.StudentNumber == id }), nil
}

func (b bruteForce) ByNameClass(name, class string) (int64, error) {
	return b.pick(func(s Student) bool { return slices.Contains(s.NameKeys(), name) && ClassKey(s.Class) == class }), nil
}

func (b bruteForce) ByName(name string) (int64, error) {
	return b.pick(func(s Student) bool { return slices.Contains(s.NameKeys(), name) }), nil
}

// TestIndexAgreesWithBruteForce asks both finders about random rosters
// full of namesakes, shared ids and usage names.
func TestIndexAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lasts := []string{"MARTIN", "Martin", "DUPONT", "LE GALL", "Le-Gall", "N'DIAYE"}
	firsts := []string{"Léa", "Lea", "Tom", "Zoé Anne", "Zoé", "Jean Baptiste"}
	classes := []string{"3E1", "3e1", "3E2", ""}
	for round := 0; round < 50; round++ {
		var roster []Student
		index := NewIndex(0)
		for id := int64(1); id <= 30; id++ {
			s := Student{ID: id, LastName: lasts[rng.IntN(len(lasts))], FirstNames: firsts[rng.IntN(len(firsts))], Class: classes[rng.IntN(len(classes))]}
			if rng.IntN(3) == 0 {
				s.NationalID = fmt.Sprintf("INE%d", rng.IntN(20))
			}
			if rng.IntN(4) == 0 {
				s.UsageName = lasts[rng.IntN(len(lasts))]
			}
			roster = append(roster, s)
			index.Add(s)
		}
		brute := bruteForce(roster)
		for i := 0; i < 200; i++ {
			p := Participant{LastName: lasts[rng.IntN(len(lasts))], FirstName: firsts[rng.IntN(len(firsts))], Class: classes[rng.IntN(len(classes))]}
			if rng.IntN(2) == 0 {
				p.MatchID = fmt.Sprintf("INE%d", rng.IntN(25))
			}
			got, _ := Match(index, p, nil)
			want, _ := Match(brute, p, nil)
			if got != want {
				t.Fatalf("round %d, %+v: index says %+v, brute force %+v", round, p, got, want)
			}
			checks := []struct {
				what      string
				got, want int64
			}{
				{"ByName", must(index.ByName(p.NameKey())), must(brute.ByName(p.NameKey()))},
				{"ByNameClass", must(index.ByNameClass(p.NameKey(), ClassKey(p.Class))), must(brute.ByNameClass(p.NameKey(), ClassKey(p.Class)))},
			}
			if p.MatchID != "" { // Match never asks for an empty id
				checks = append(checks, struct {
					what      string
					got, want int64
				}{"ByID", must(index.ByID(p.MatchID)), must(brute.ByID(p.MatchID))})
			}
			for _, check := range checks {
				if check.got != check.want {
					t.Fatalf("round %d, %+v: %s: index %d, brute force %d", round, p, check.what, check.got, check.want)
				}
			}
		}
	}
}

func must(id int64, err error) int64 {
	if err != nil {
		panic(err)
	}
	return id
}

func TestCandidates(t *testing.T) {
	pool := []Student{
		{ID: 1, LastName: "DUPONT", FirstNames: "Léa", Class: "3E2"},
		{ID: 2, LastName: "MARTIN", FirstNames: "Tom", Class: "3E2"},
		{ID: 3, LastName: "DURAND", FirstNames: "Ana", Class: "3E1"},
		{ID: 4, LastName: "ZOLA", FirstNames: "Émile", Class: "3E1"},
		{ID: 5, LastName: "BERNARD", UsageName: "DUPOND", FirstNames: "Jules", Class: "4E1"},
		{ID: 6, LastName: "DUPONT", FirstNames: "Marc", Class: "6E3"},
		{ID: 7, LastName: "DUPONT", FirstNames: "Léa", Class: "6E3"},
	}
	ids := func(list []Student) []int64 {
		var out []int64
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	tests := []struct {
		name string
		p    Participant
		want []int64
	}{
		{"a typo, no class: the closest names, then the same last name (a usage name)", Participant{LastName: "DUPOND", FirstName: "Léa"}, []int64{1, 7, 5}},
		{"a name close to no one: the students of its class, closest first",
			Participant{LastName: "INCONNU", FirstName: "Jean", Class: "3E1"}, []int64{3, 4}},
		{"its class first between equal distances", Participant{LastName: "DUPONT", FirstName: "Lea", Class: "6E3"}, []int64{7, 1, 6}},
		{"no more than MaxCandidates", Participant{LastName: "MARTIN", FirstName: "Toma", Class: "3E2"}, []int64{2, 1}},
		{"nobody close", Participant{LastName: "QWERTY", FirstName: "Azerty", Class: "5E5"}, nil},
	}
	for _, tt := range tests {
		if got := ids(Candidates(tt.p, NewPool(append(pool, pool[0])))); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: candidates %v, want %v", tt.name, got, tt.want)
		}
	}
}

// bornRoster is a BirthFinder over a few students and their birth dates.
type bornRoster struct {
	students []Student
	born     map[int64]string
}

func (r bornRoster) ByID(id string) (int64, error) { return bruteForce(r.students).ByID(id) }

func (r bornRoster) ByNameBirthdate(nameKey, birthdate string) (int64, error) {
	var found []int64
	for _, s := range r.students {
		if r.born[s.ID] == birthdate && slices.Contains(s.NameKeys(), nameKey) {
			found = append(found, s.ID)
		}
	}
	switch len(found) {
	case 0:
		return 0, nil
	case 1:
		return found[0], nil
	}
	return Ambiguous, nil
}

func TestMatchCertification(t *testing.T) {
	roster := bornRoster{
		students: []Student{
			{ID: 1, NationalID: "323456789AB", LastName: "N'DIAYE", FirstNames: "Inès", Class: "3E1"},
			{ID: 2, LastName: "LEFÈVRE", FirstNames: "Hugo Jean", Class: "3E1"},
			{ID: 3, LastName: "MARTIN", FirstNames: "Tom", Class: "3E2"},
			{ID: 4, LastName: "MARTIN", FirstNames: "Tom", Class: "3E1"},
			{ID: 5, LastName: "DUPONT", UsageName: "DURAND", FirstNames: "Léa", Class: "3E2"},
		},
		born: map[int64]string{1: "2011-06-30", 2: "2011-01-01", 3: "2011-02-02", 4: "2011-02-02", 5: "2011-05-05"},
	}
	tests := []struct {
		name                         string
		externalID, last, first, day string
		want                         Result
	}{
		{"by INE, whatever the name", "323456789ab", "NDIAYE", "Ines", "", Result{1, ByID}},
		{"an unknown INE falls back on name and birth date", "999999999ZZ", "Lefèvre", "Hugo", "2011-01-01", Result{2, ByNameBirthdate}},
		{"by name and birth date, first first name", "", "LEFEVRE", "Hugo", "2011-01-01", Result{2, ByNameBirthdate}},
		{"by usage name", "", "Durand", "Léa", "2011-05-05", Result{5, ByNameBirthdate}},
		{"another birth date is another person", "", "LEFÈVRE", "Hugo", "2011-01-02", Result{}},
		{"no birth date: a name alone is not enough", "", "LEFÈVRE", "Hugo", "", Result{}},
		{"namesakes born the same day: no guess", "", "MARTIN", "Tom", "2011-02-02", Result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MatchCertification(roster, tt.externalID, NameKey(tt.last, tt.first), tt.day)
			if err != nil || got != tt.want {
				t.Errorf("MatchCertification = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
