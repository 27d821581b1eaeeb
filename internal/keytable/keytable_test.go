package keytable

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestAgainstAMap adds random keys, many of them again, and checks every
// answer against a Go map: with real hashes, and with every key hashed
// alike, where only the comparison of the keys' bytes tells them apart.
func TestAgainstAMap(t *testing.T) {
	for _, collide := range []bool{false, true} {
		t.Run(fmt.Sprintf("collide=%v", collide), func(t *testing.T) {
			n := 20000
			if collide {
				n = 1500 // every lookup walks the whole cluster
			}
			table := New(4, 2) // tiny: it must grow
			if collide {
				table.hashMask = 0
			}
			want := map[string]int{}
			rng := rand.New(rand.NewPCG(1, 2))
			for i := 0; i < 3*n; i++ {
				key := fmt.Sprintf("k%d", rng.IntN(n))
				if i%7 == 0 {
					key = "" // the empty key is a key too
				}
				entry, added := table.Add([]byte(key), int32(i))
				prev, seen := want[key]
				if added == seen {
					t.Fatalf("Add(%q): added = %v, but seen before = %v", key, added, seen)
				}
				if seen && entry != prev {
					t.Fatalf("Add(%q) = entry %d, want %d", key, entry, prev)
				}
				if !seen {
					want[key] = entry
				}
				if string(table.Key(entry)) != key {
					t.Fatalf("Key(%d) = %q, want %q", entry, table.Key(entry), key)
				}
			}
			if table.Len() != len(want) {
				t.Errorf("Len = %d, want %d", table.Len(), len(want))
			}
			for key, entry := range want {
				if got, ok := table.FindString(key); !ok || got != entry {
					t.Errorf("FindString(%q) = %d, %v; want %d", key, got, ok, entry)
				}
				if got, ok := table.Find([]byte(key)); !ok || got != entry {
					t.Errorf("Find(%q) = %d, %v; want %d", key, got, ok, entry)
				}
			}
			for _, absent := range []string{"k", "x1", fmt.Sprintf("k%d", n), "k1\x00"} {
				if _, ok := table.FindString(absent); ok {
					t.Errorf("FindString(%q) found a key never added", absent)
				}
			}
		})
	}
}

func TestValues(t *testing.T) {
	table := New(0, 0)
	a, _ := table.Add([]byte("a"), 7)
	b, _ := table.Add([]byte("b"), 8)
	table.SetValue(a, -1)
	if table.Value(a) != -1 || table.Value(b) != 8 {
		t.Errorf("values %d, %d; want -1, 8", table.Value(a), table.Value(b))
	}
	if _, added := table.Add([]byte("a"), 9); added || table.Value(a) != -1 {
		t.Errorf("adding a key again changed it")
	}
}
