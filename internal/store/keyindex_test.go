package store

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestKeyIndex(t *testing.T) {
	var k keyIndex
	for _, e := range []struct {
		key uint64
		id  int64
	}{{30, 3}, {10, 1}, {20, 2}, {20, 2}, {40, 4}, {40, 5}, {40, 4}} {
		k.put(e.key, e.id)
	}
	tests := []struct {
		key    uint64
		want   int64
		wantOK bool
	}{{10, 1, true}, {20, 2, true}, {30, 3, true}, {40, ambiguous, true}, {5, 0, false}, {25, 0, false}, {50, 0, false}}
	for _, tt := range tests {
		if got, ok := k.get(tt.key); got != tt.want || ok != tt.wantOK {
			t.Errorf("get(%d) = %d, %v; want %d, %v", tt.key, got, ok, tt.want, tt.wantOK)
		}
	}
	if len(k.keys) != 4 {
		t.Errorf("%d entries after freezing, want 4 (duplicates folded)", len(k.keys))
	}
	defer func() {
		if recover() == nil {
			t.Error("put after get did not panic")
		}
	}()
	k.put(60, 6)
}

func TestSortByKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 13, 100, 10000} {
		for _, spread := range []uint64{3, 1 << 62} { // many duplicates, or few
			keys, ids := make([]uint64, n), make([]int32, n)
			want := map[uint64][]int32{}
			for i := range keys {
				keys[i], ids[i] = rng.Uint64N(spread), int32(i)
				want[keys[i]] = append(want[keys[i]], int32(i))
			}
			sortByKey(keys, ids)
			if !slices.IsSorted(keys) {
				t.Fatalf("n=%d: keys not sorted", n)
			}
			got := map[uint64][]int32{}
			for i := range keys {
				got[keys[i]] = append(got[keys[i]], ids[i])
			}
			for key := range want {
				slices.Sort(got[key])
				if !slices.Equal(got[key], want[key]) {
					t.Fatalf("n=%d: key %d has ids %v, want %v", n, key, got[key], want[key])
				}
			}
		}
	}
}
