// Package keytable maps byte-string keys to small integers in memory,
// exactly and compactly. An import keeps one entry per participant or
// student it meets, a million at an académie's scale: a Go map of strings
// costs about three times the keys themselves, this about one and a half.
//
// A key's hash only chooses where to look; the key's bytes are always
// compared, so two keys are never confused, whatever their hashes.
package keytable

import (
	"bytes"
	"hash/maphash"
	"math"
)

// Table maps distinct keys to int32 values. Entries are numbered from 0 in
// the order they were added; the zero Table is not usable: call New.
type Table struct {
	arena []byte   // the keys, one after the other
	ends  []uint32 // entry i's key is arena[ends[i-1]:ends[i]]
	vals  []int32
	// slots hold 1 + an entry number in their low 32 bits (0: empty) and
	// the high 32 bits of the key's hash, which rules most keys out
	// without reading the arena. Their number is not a power of two: the
	// table is sized to what it holds, a key's first slot is its hash
	// scaled to the table (slotOf).
	slots []uint64
	seed  maphash.Seed
	// hashMask is all ones; tests clear it to make every key collide.
	hashMask uint64
}

// maxArena bounds the keys' total size, which ends count in 32 bits.
const maxArena = math.MaxUint32

// New returns a table sized for about n keys of keyBytes bytes each.
func New(n, keyBytes int) *Table {
	t := &Table{seed: maphash.MakeSeed(), hashMask: math.MaxUint64}
	t.arena = make([]byte, 0, n*keyBytes)
	t.ends = make([]uint32, 0, n)
	t.vals = make([]int32, 0, n)
	t.slots = make([]uint64, slotsFor(n))
	return t
}

// slotsFor is how many slots n keys need: the table is at most four
// fifths full, where linear probing stays short.
func slotsFor(n int) int { return max(16, n+n/4+1) }

// slotOf is the first slot of a hash: its low 32 bits scaled to the table.
func (t *Table) slotOf(h uint64) int { return int(uint64(uint32(h)) * uint64(len(t.slots)) >> 32) }

// Len is the number of keys.
func (t *Table) Len() int { return len(t.ends) }

// Key is entry i's key; it stays valid until the next Add.
func (t *Table) Key(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.arena[start:t.ends[i]]
}

// Value is entry i's value.
func (t *Table) Value(i int) int32 { return t.vals[i] }

// SetValue changes entry i's value.
func (t *Table) SetValue(i int, v int32) { t.vals[i] = v }

// Find returns the entry of key, if it is in the table.
func (t *Table) Find(key []byte) (int, bool) {
	h := maphash.Bytes(t.seed, key) & t.hashMask
	slot, found := t.probe(key, h)
	if !found {
		return 0, false
	}
	return int(uint32(t.slots[slot])) - 1, true
}

// FindString is Find for a string key.
func (t *Table) FindString(key string) (int, bool) {
	h := maphash.String(t.seed, key) & t.hashMask
	slot, found := t.probeString(key, h)
	if !found {
		return 0, false
	}
	return int(uint32(t.slots[slot])) - 1, true
}

// Add returns the entry of key, adding it with value v when it is new.
func (t *Table) Add(key []byte, v int32) (entry int, added bool) {
	h := maphash.Bytes(t.seed, key) & t.hashMask
	slot, found := t.probe(key, h)
	if found {
		return int(uint32(t.slots[slot])) - 1, false
	}
	if len(t.arena)+len(key) > maxArena {
		panic("keytable: more than 4 GiB of keys")
	}
	t.arena = append(t.arena, key...)
	t.ends = append(t.ends, uint32(len(t.arena)))
	t.vals = append(t.vals, v)
	entry = len(t.ends) - 1
	t.slots[slot] = h>>32<<32 | uint64(entry+1)
	if slotsFor(len(t.ends)) > len(t.slots) {
		t.grow()
	}
	return entry, true
}

// probe finds the slot of key: the one holding it, or the empty one where
// it would go.
func (t *Table) probe(key []byte, h uint64) (slot int, found bool) {
	for i := t.slotOf(h); ; i = t.next(i) {
		s := t.slots[i]
		if s == 0 {
			return i, false
		}
		if s>>32 == h>>32 && bytes.Equal(t.Key(int(uint32(s))-1), key) {
			return i, true
		}
	}
}

func (t *Table) probeString(key string, h uint64) (slot int, found bool) {
	for i := t.slotOf(h); ; i = t.next(i) {
		s := t.slots[i]
		if s == 0 {
			return i, false
		}
		if s>>32 == h>>32 && string(t.Key(int(uint32(s))-1)) == key {
			return i, true
		}
	}
}

// next is the slot after slot i, the last one followed by the first.
func (t *Table) next(i int) int {
	if i++; i == len(t.slots) {
		return 0
	}
	return i
}

// grow makes the table half as large again.
func (t *Table) grow() {
	t.slots = make([]uint64, slotsFor(len(t.ends)*3/2))
	for entry := range t.ends {
		h := maphash.Bytes(t.seed, t.Key(entry)) & t.hashMask
		i := t.slotOf(h)
		for t.slots[i] != 0 {
			i = t.next(i)
		}
		t.slots[i] = h>>32<<32 | uint64(entry+1)
	}
}
