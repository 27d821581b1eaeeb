package fold

import (
	"cmp"
	"slices"
)

// ByCloseness orders names from the closest to the farthest from any of
// texts, as a person who mistyped one of them would look for it: by the
// edit distance of their keys ("4Z" is one edit from "4A", two from "3E1"),
// then in natural order (SortKey). names is left as it was.
func ByCloseness(names []string, texts ...string) []string {
	type ranked struct {
		name, sortKey string
		distance      int
	}
	keys := make([]string, len(texts))
	for i, t := range texts {
		keys[i] = Key(t)
	}
	list := make([]ranked, len(names))
	for i, n := range names {
		key := Key(n)
		d := -1
		for _, k := range keys {
			if dk := Distance(key, k); d < 0 || dk < d {
				d = dk
			}
		}
		list[i] = ranked{n, SortKey(n), d}
	}
	slices.SortStableFunc(list, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.distance, b.distance), cmp.Compare(a.sortKey, b.sortKey))
	})
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.name
	}
	return out
}
