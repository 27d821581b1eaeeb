package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// withPix is a sending of 6 certifiable competences and 60 pix, spread
// as pix says over the first six competences.
func withPix(at string, pix ...int) collecte.Participation {
	p := sent("DUPONT", "Léa", "3E2", at, 0)
	for i, n := range pix {
		p.Profile.Pix[i], p.Profile.Levels[i] = n, n/8
		p.PixTotal += n
	}
	return p
}

// Two sendings of one minute with as many certifiable competences and pix,
// spread differently: the same profile decides, is shown and comes first
// in the history, whatever the order of rows, files and imports.
func TestSendingsOfOneMinuteAndOneScoreDecideByTheirProfile(t *testing.T) {
	lea := []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}}
	tests := []struct {
		name string
		a, b collecte.Participation
	}{
		{"pix spread over the same competences", withPix("2026-03-20 11:30", 10, 10, 10, 10, 10, 10), withPix("2026-03-20 11:30", 15, 10, 10, 9, 8, 8)},
		{"the first competences alike", withPix("2026-03-20 11:30", 10, 10, 10, 12, 10, 8), withPix("2026-03-20 11:30", 10, 10, 10, 10, 10, 10)},
	}
	for _, tt := range tests {
		var stores []*Store
		for _, rows := range [][]collecte.Participation{{tt.a, tt.b}, {tt.b, tt.a}} {
			st := openStore(t) // one file
			imp(t, st, lea, rows)
			stores = append(stores, st)
			for _, order := range exportOrders { // one file each
				st := openStore(t)
				importInTurn(t, st, lea, order.imports, rows[:1], rows[1:])
				stores = append(stores, st)
			}
		}
		var shown []string
		for _, st := range stores {
			list, err := st.Students(ctx, Filter{})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s: %+v, %v", tt.name, list, err)
			}
			s := list[0]
			if s.Sendings != 2 || s.CertifiableCt != 6 || s.PixTotal != 60 {
				t.Fatalf("%s: %+v, want 2 sendings, the latest of 6 competences and 60 pix", tt.name, s)
			}
			history, err := st.History(ctx, s.ID)
			if err != nil || len(history) != 2 {
				t.Fatalf("%s: history %+v, %v", tt.name, history, err)
			}
			shown = append(shown, fmt.Sprint(s.Profile.Pix))
			checked(t, st, tt.name)
		}
		if len(slices.Compact(slices.Clone(shown))) != 1 {
			t.Errorf("%s: profiles shown %q, want the same each time", tt.name, shown)
		}
	}
}

// The rank of sendings: the later one, then, in the same minute, the one
// with more certifiable competences, more pix, more pix in the first
// competence that differs; the id last, for sendings alike in all that.
func TestSendingRank(t *testing.T) {
	pix := func(values ...int) string {
		_, pix := profileJSON(certif.Profile{Pix: [16]int(append(values, make([]int, 16-len(values))...))})
		return pix
	}
	tests := []struct {
		name string
		a, b sendingRank // a must decide over b
	}{
		{"later", newSendingRank(1, "2026-03-20 11:31", 3, 30, pix(30)), newSendingRank(2, "2026-03-20 11:30", 6, 60, pix(60))},
		{"a time after a day alone", newSendingRank(1, "2026-03-20 00:00", 3, 30, pix(30)), newSendingRank(2, "2026-03-20", 6, 60, pix(60))},
		{"more competences", newSendingRank(1, "2026-03-20 11:30", 6, 50, pix(50)), newSendingRank(2, "2026-03-20 11:30", 5, 60, pix(60))},
		{"more pix", newSendingRank(1, "2026-03-20 11:30", 6, 61, pix(61)), newSendingRank(2, "2026-03-20 11:30", 6, 60, pix(60))},
		{"more pix in 1.1", newSendingRank(1, "2026-03-20 11:30", 6, 60, pix(15, 10, 10, 9, 8, 8)), newSendingRank(2, "2026-03-20 11:30", 6, 60, pix(10, 10, 10, 10, 10, 10))},
		{"more pix in 1.3", newSendingRank(1, "2026-03-20 11:30", 6, 60, pix(10, 10, 11, 9, 10, 10)), newSendingRank(2, "2026-03-20 11:30", 6, 60, pix(10, 10, 10, 10, 10, 10))},
		{"more pix in 5.1, fewer in 5.2", newSendingRank(1, "2026-03-20 11:30", 6, 60, pix(8, 8, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 6, 6)),
			newSendingRank(2, "2026-03-20 11:30", 6, 60, pix(8, 8, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 3, 9))},
		{"alike: the higher id", newSendingRank(2, "2026-03-20 11:30", 6, 60, pix(10, 10, 10, 10, 10, 10)), newSendingRank(1, "2026-03-20 11:30", 6, 60, pix(10, 10, 10, 10, 10, 10))},
		{"pix written with spaces", newSendingRank(1, "2026-03-20 11:30", 6, 60, "[ 11, 10,10,10,10,9,0,0,0,0,0,0,0,0,0,0 ]"), newSendingRank(2, "2026-03-20 11:30", 6, 60, pix(10, 10, 10, 10, 10, 10))},
	}
	for _, tt := range tests {
		if !tt.a.after(tt.b) || tt.b.after(tt.a) {
			t.Errorf("%s: %+v should decide over %+v", tt.name, tt.a, tt.b)
		}
	}
}
