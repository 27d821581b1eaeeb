package match

import (
	"slices"

	"github.com/pixcert/pixcert/internal/keytable"
)

// Index is a roster in memory, as an import reads it: a Finder whose
// lookups cost a few hash probes. Students are numbered in the order they
// are added (their ordinal); tables map keys to ordinals.
type Index struct {
	ids     []int64 // ordinal → student id
	classOf []int32 // ordinal → entry of classes
	classes *keytable.Table
	byID    *keytable.Table // national id or student number → ordinal, or ambiguousOrdinal
	// byName maps a name key to the ordinal of the one student who has it,
	// or, when several have it, to sharedBase - k, for the ordinals in
	// shared[k]: namesakes are few, so most keys cost no slice.
	byName *keytable.Table
	shared [][]int32
}

const (
	ambiguousOrdinal = -1
	sharedBase       = -2
)

// NewIndex returns an empty index sized for about n students.
func NewIndex(n int) *Index {
	return &Index{
		classes: keytable.New(n/25+1, 4),
		byID:    keytable.New(n, 11),
		byName:  keytable.New(n+n/8, 20),
		ids:     make([]int64, 0, n),
		classOf: make([]int32, 0, n),
	}
}

// Len is the number of students added.
func (ix *Index) Len() int { return len(ix.ids) }

// Add adds a student of the roster. Each student is added once.
func (ix *Index) Add(s Student) {
	ordinal := int32(len(ix.ids))
	ix.ids = append(ix.ids, s.ID)
	class, _ := ix.classes.Add([]byte(ClassKey(s.Class)), 0)
	ix.classOf = append(ix.classOf, int32(class))
	for _, id := range []string{s.NationalID, s.StudentNumber} {
		if id == "" {
			continue
		}
		if entry, added := ix.byID.Add([]byte(id), ordinal); !added && ix.byID.Value(entry) != ordinal {
			ix.byID.SetValue(entry, ambiguousOrdinal)
		}
	}
	for _, key := range s.NameKeys() {
		entry, added := ix.byName.Add([]byte(key), ordinal)
		if added {
			continue
		}
		switch v := ix.byName.Value(entry); {
		case v == ordinal:
		case v >= 0:
			ix.shared = append(ix.shared, []int32{v, ordinal})
			ix.byName.SetValue(entry, sharedBase-int32(len(ix.shared)-1))
		default:
			if k := sharedBase - v; !slices.Contains(ix.shared[k], ordinal) {
				ix.shared[k] = append(ix.shared[k], ordinal)
			}
		}
	}
}

// ByID implements Finder.
func (ix *Index) ByID(id string) (int64, error) {
	entry, ok := ix.byID.FindString(id)
	if !ok {
		return 0, nil
	}
	if v := ix.byID.Value(entry); v != ambiguousOrdinal {
		return ix.ids[v], nil
	}
	return Ambiguous, nil
}

// named returns the ordinals of the students with a name key.
func (ix *Index) named(nameKey string) []int32 {
	entry, ok := ix.byName.FindString(nameKey)
	if !ok {
		return nil
	}
	if v := ix.byName.Value(entry); v >= 0 {
		return []int32{v}
	} else {
		return ix.shared[sharedBase-v]
	}
}

// Named lists the students with a name key (among their NameKeys), in the
// order they were added.
func (ix *Index) Named(nameKey string) []int64 {
	ordinals := ix.named(nameKey)
	ids := make([]int64, len(ordinals))
	for i, o := range ordinals {
		ids[i] = ix.ids[o]
	}
	return ids
}

// ByNameClass implements Finder.
func (ix *Index) ByNameClass(nameKey, classKey string) (int64, error) {
	class, ok := ix.classes.FindString(classKey)
	if !ok {
		return 0, nil
	}
	found := int64(0)
	for _, ordinal := range ix.named(nameKey) {
		if ix.classOf[ordinal] != int32(class) {
			continue
		}
		if found != 0 {
			return Ambiguous, nil
		}
		found = ix.ids[ordinal]
	}
	return found, nil
}

// ByName implements Finder.
func (ix *Index) ByName(nameKey string) (int64, error) {
	switch ordinals := ix.named(nameKey); len(ordinals) {
	case 0:
		return 0, nil
	case 1:
		return ix.ids[ordinals[0]], nil
	}
	return Ambiguous, nil
}
