package match_test

import (
	"fmt"
	"testing"

	"github.com/pixcert/pixcert/internal/match"
	"github.com/pixcert/pixcert/internal/synth"
	"github.com/pixcert/pixcert/internal/synth/synthread"
)

// BenchmarkMatch builds the index of a synthetic school's roster and
// matches every row of its export with it, as an import does; sizes as for
// the other benchmarks (PIXCERT_BENCH_SIZES, 1000,10000,100000 by default):
//
//	go test ./internal/match -run '^$' -bench Match
func BenchmarkMatch(b *testing.B) {
	sizes, err := synth.BenchSizes()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			students, rows := school(b, n)
			b.ResetTimer()
			for b.Loop() {
				ix := match.NewIndex(len(students))
				for _, s := range students {
					ix.Add(s)
				}
				unmatched := 0
				for _, p := range rows {
					if res, _ := match.Match(ix, p, nil); res.Student == 0 {
						unmatched++
					}
				}
				if unmatched > len(rows)/10 {
					b.Fatalf("%d rows of %d matched no student", unmatched, len(rows))
				}
			}
			b.ReportMetric(float64(len(students)+len(rows))/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
		})
	}
}

// school reads a synthetic school of n students, as matching sees it.
func school(b *testing.B, n int) ([]match.Student, []match.Participant) {
	rosterRows, exportRows, _, err := synthread.Read(n, 7)
	if err != nil {
		b.Fatal(err)
	}
	students := make([]match.Student, len(rosterRows))
	for i, s := range rosterRows {
		students[i] = match.Student{ID: int64(i + 1), NationalID: s.NationalID, LastName: s.LastName,
			UsageName: s.UsageName, FirstNames: s.FirstName, Class: s.Class}
	}
	rows := make([]match.Participant, len(exportRows))
	for i, p := range exportRows {
		rows[i] = match.Participant{LastName: p.LastName, FirstName: p.FirstName, Class: p.Class, MatchID: p.MatchID()}
	}
	return students, rows
}
