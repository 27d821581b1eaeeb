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

// freeze sorts the entries and folds each run of equal keys into one entry,
// ambiguous when the run names several students.
func (k *keyIndex) freeze() {
	if k.frozen {
		return
	}
	k.frozen = true
	sortByKey(k.keys, k.ids)
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

// sortByKey sorts keys, and ids along, in place: a quicksort on the two
// slices, several times faster than sort.Sort through an interface, with
// no copy of a million entries. Keys are hashes, so pivots split well.
func sortByKey(keys []uint64, ids []int32) {
	for len(keys) > 12 {
		// The median of three as pivot, then Hoare's partition.
		mid := len(keys) / 2
		last := len(keys) - 1
		if keys[mid] < keys[0] {
			swapEntries(keys, ids, mid, 0)
		}
		if keys[last] < keys[0] {
			swapEntries(keys, ids, last, 0)
		}
		if keys[last] < keys[mid] {
			swapEntries(keys, ids, last, mid)
		}
		pivot := keys[mid]
		i, j := 0, last
		for {
			for keys[i] < pivot {
				i++
			}
			for keys[j] > pivot {
				j--
			}
			if i >= j {
				break
			}
			swapEntries(keys, ids, i, j)
			i++
			j--
		}
		// Recurse into the smaller side, loop on the larger: the stack
		// stays shallow whatever the keys.
		if j+1 < len(keys)-j-1 {
			sortByKey(keys[:j+1], ids[:j+1])
			keys, ids = keys[j+1:], ids[j+1:]
		} else {
			sortByKey(keys[j+1:], ids[j+1:])
			keys, ids = keys[:j+1], ids[:j+1]
		}
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			swapEntries(keys, ids, j, j-1)
		}
	}
}

func swapEntries(keys []uint64, ids []int32, i, j int) {
	keys[i], keys[j] = keys[j], keys[i]
	ids[i], ids[j] = ids[j], ids[i]
}
