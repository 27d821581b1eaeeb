package store

import (
	"math/rand/v2"
	"testing"
)

func TestHashTableAgreesWithAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	table := newHashTable[int32](10) // far too small: it must grow
	want := map[uint64]int32{}
	keys := []uint64{0, zeroKey, 1, ^uint64(0)} // the edges, then random ones
	for i := 0; i < 5000; i++ {
		keys = append(keys, rng.Uint64())
	}
	// The table holds 0 as zeroKey: they are one key to it.
	same := func(k uint64) uint64 {
		if k == 0 {
			return zeroKey
		}
		return k
	}
	for i, k := range keys {
		table.put(k, int32(i))
		want[same(k)] = int32(i)
		if i%3 == 0 { // overwrite some
			table.put(k, int32(-i))
			want[same(k)] = int32(-i)
		}
	}
	for k, v := range want {
		if got, ok := table.get(k); !ok || got != v {
			t.Fatalf("get(%#x) = %d, %v; want %d", k, got, ok, v)
		}
	}
	if _, ok := table.get(42); ok {
		t.Error("an absent key was found")
	}
	if table.n != len(want) {
		t.Errorf("len %d, want %d", table.n, len(want))
	}
	seen := 0
	table.each(func(uint64, int32) { seen++ })
	if seen != table.n {
		t.Errorf("each visited %d entries of %d", seen, table.n)
	}
}
