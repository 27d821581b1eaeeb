package store

import "math/bits"

// hashTable maps 64-bit hashes to values with open addressing: a slot is
// the key and the value side by side, no more. An import keeps one entry a
// row or a participant, millions at an académie's scale, where Go's maps
// cost three to four times the data.
//
// Keys are hashes already, spread over 64 bits: the slot is found by
// multiplying, not by hashing again.
type hashTable[V any] struct {
	keys []uint64 // 0: empty slot
	vals []V
	n    int
}

// maxLoad bounds how full the table gets before it grows: linear probing
// stays short below it.
const maxLoad = 0.8

// zeroKey stands for the key 0, which marks empty slots.
const zeroKey = 0x9e3779b97f4a7c15

func newHashTable[V any](expected int) *hashTable[V] {
	size := max(16, int(float64(expected)/maxLoad)+1)
	return &hashTable[V]{keys: make([]uint64, size), vals: make([]V, size)}
}

// slot finds where key is, or where it would go.
func (t *hashTable[V]) slot(key uint64) int {
	if key == 0 {
		key = zeroKey
	}
	hi, _ := bits.Mul64(key, uint64(len(t.keys)))
	for i := int(hi); ; i++ {
		if i == len(t.keys) {
			i = 0
		}
		if k := t.keys[i]; k == key || k == 0 {
			return i
		}
	}
}

// get returns the value of key and whether it is there.
func (t *hashTable[V]) get(key uint64) (V, bool) {
	i := t.slot(key)
	return t.vals[i], t.keys[i] != 0
}

// put sets the value of key.
func (t *hashTable[V]) put(key uint64, v V) {
	i := t.slot(key)
	if t.keys[i] == 0 {
		if float64(t.n+1) > maxLoad*float64(len(t.keys)) {
			t.grow()
			i = t.slot(key)
		}
		t.n++
		if key == 0 {
			key = zeroKey
		}
		t.keys[i] = key
	}
	t.vals[i] = v
}

// grow doubles the table, for an estimate that fell short.
func (t *hashTable[V]) grow() {
	old := *t
	*t = hashTable[V]{keys: make([]uint64, 2*len(old.keys)), vals: make([]V, 2*len(old.keys))}
	for i, k := range old.keys {
		if k != 0 {
			j := t.slot(k)
			t.keys[j], t.vals[j] = k, old.vals[i]
			t.n++
		}
	}
}

// each calls f with every entry.
func (t *hashTable[V]) each(f func(key uint64, v V)) {
	for i, k := range t.keys {
		if k != 0 {
			f(k, t.vals[i])
		}
	}
}
