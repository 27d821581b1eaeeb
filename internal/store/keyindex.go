package store

import "sort"

// keyIndex maps hashed keys to student ids in 12 bytes an entry, a third of
// a map's: keys are appended while a roster is read, then sorted once, at the
// first lookup, for binary search. A key that several students share
// designates none (ambiguous).
type keyIndex struct {
	keys   []uint64
	ids    []int32
	frozen bool
}

func (k *keyIndex) put(key uint64, id int64) {
	if k.frozen {
		panic("store: keyIndex written after it was read")
	}
	k.keys = append(k.keys, key)
	k.ids = append(k.ids, int32(id))
}

func (k *keyIndex) Len() int           { return len(k.keys) }
func (k *keyIndex) Less(i, j int) bool { return k.keys[i] < k.keys[j] }
func (k *keyIndex) Swap(i, j int) {
	k.keys[i], k.keys[j] = k.keys[j], k.keys[i]
	k.ids[i], k.ids[j] = k.ids[j], k.ids[i]
}

// freeze sorts the entries and folds each run of equal keys into one entry,
// ambiguous when the run names several students.
func (k *keyIndex) freeze() {
	if k.frozen {
		return
	}
	k.frozen = true
	sort.Sort(k)
	n := 0
	for i := 0; i < len(k.keys); i++ {
		if n > 0 && k.keys[n-1] == k.keys[i] {
			if k.ids[n-1] != k.ids[i] {
				k.ids[n-1] = ambiguous
			}
			continue
		}
		k.keys[n], k.ids[n] = k.keys[i], k.ids[i]
		n++
	}
	// Copies of the right length: append's spare capacity would otherwise
	// stay allocated for the rest of the import.
	k.keys, k.ids = append([]uint64(nil), k.keys[:n]...), append([]int32(nil), k.ids[:n]...)
}

// get finds the student of a key: ambiguous when several have it.
func (k *keyIndex) get(key uint64) (int64, bool) {
	k.freeze()
	i := sort.Search(len(k.keys), func(i int) bool { return k.keys[i] >= key })
	if i < len(k.keys) && k.keys[i] == key {
		return int64(k.ids[i]), true
	}
	return 0, false
}
