package match

import (
	"cmp"
	"slices"
	"strings"

	"pixcert/internal/fold"
)

// MaxCandidates is how many students are offered for an unmatched
// participant.
const MaxCandidates = 3

// Candidates ranks the students of pool a person may mean by an unmatched
// participant: those of its class, and those elsewhere whose name is close
// enough to be a typing mistake or who share its last name. Closest names
// come first, its class first between equals, then the lower id. The
// store chooses the pool (a class, names found by its search index); the
// ranking is here.
func Candidates(p Participant, pool []Student) []Student {
	last, class := fold.Key(p.LastName), ClassKey(p.Class)
	name := last + "|" + fold.Key(p.FirstName)
	type scored struct {
		student   Student
		distance  int
		sameClass bool
	}
	var ranked []scored
	seen := map[int64]bool{}
	for _, s := range pool {
		if seen[s.ID] {
			continue
		}
		seen[s.ID] = true
		distance, sameLast := len(name)+64, false
		for _, key := range fullNameKeys(s) {
			distance = min(distance, fold.Distance(name, key))
			sameLast = sameLast || strings.HasPrefix(key, last+"|")
		}
		sameClass := ClassKey(s.Class) == class
		closeName := distance <= max(2, len(name)/3) || sameLast
		if sameClass || closeName {
			ranked = append(ranked, scored{s, distance, sameClass})
		}
	}
	slices.SortFunc(ranked, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.distance, b.distance), -compareBool(a.sameClass, b.sameClass), cmp.Compare(a.student.ID, b.student.ID))
	})
	out := make([]Student, 0, min(len(ranked), MaxCandidates))
	for i := 0; i < len(ranked) && i < MaxCandidates; i++ {
		out = append(out, ranked[i].student)
	}
	return out
}

// fullNameKeys are a student's birth and usage names with all their first
// names, the keys a typo is measured against.
func fullNameKeys(s Student) []string {
	var keys []string
	for _, last := range []string{s.LastName, s.UsageName} {
		if key := fold.Key(last); key != "" {
			keys = append(keys, key+"|"+fold.Key(s.FirstNames))
		}
	}
	return keys
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
