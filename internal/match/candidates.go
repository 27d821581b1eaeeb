package match

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pixcert/pixcert/internal/fold"
)

// MaxCandidates is how many students are offered for an unmatched
// participant.
const MaxCandidates = 3

// PoolStudent is a student a participant may be, with the keys their
// names are measured by, folded once: a class is offered to each of its
// unmatched participants.
type PoolStudent struct {
	Student
	keys     []string // "last|first names", birth and usage names
	classKey string
}

// NewPool prepares students to be offered to participants.
func NewPool(students []Student) []PoolStudent {
	pool := make([]PoolStudent, len(students))
	for i, s := range students {
		pool[i] = PoolStudent{s, fullNameKeys(s), ClassKey(s.Class)}
	}
	return pool
}

// Candidates ranks the students of pool a person may mean by an unmatched
// participant: those of its class, and those elsewhere whose name is close
// enough to be a typing mistake or who share its last name. Closest names
// come first, its class first between equals, then the lower id. The
// store chooses the pool (a class, names found by its search index); the
// ranking is here.
func Candidates(p Participant, pool []PoolStudent) []Student {
	last, class := fold.Key(p.LastName), ClassKey(p.Class)
	name := last + "|" + fold.Key(p.FirstName)
	type scored struct {
		student   Student
		distance  int
		sameClass bool
	}
	order := func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.distance, b.distance), -compareBool(a.sameClass, b.sameClass), cmp.Compare(a.student.ID, b.student.ID))
	}
	close := max(2, len(name)/3) // a typing mistake
	var best []scored            // the MaxCandidates best so far, in order
	seen := map[int64]bool{}
	for _, s := range pool {
		if seen[s.ID] {
			continue
		}
		seen[s.ID] = true
		// A student further than the last of the best cannot enter.
		limit := len(name) + 64
		if len(best) == MaxCandidates {
			limit = best[MaxCandidates-1].distance
		}
		distance, sameLast := limit+1, false
		for _, key := range s.keys {
			distance = min(distance, fold.DistanceAtMost(name, key, limit))
			sameLast = sameLast || strings.HasPrefix(key, last+"|")
		}
		sameClass := s.classKey == class
		if distance > limit || !(sameClass || distance <= close || sameLast) {
			continue
		}
		c := scored{s.Student, distance, sameClass}
		i, _ := slices.BinarySearchFunc(best, c, order)
		if i < MaxCandidates {
			best = slices.Insert(best, i, c)[:min(len(best)+1, MaxCandidates)]
		}
	}
	out := make([]Student, len(best))
	for i, c := range best {
		out[i] = c.student
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
