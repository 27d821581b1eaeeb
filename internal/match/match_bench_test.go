package match_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"pixcert/internal/collecte"
	"pixcert/internal/fileerr"
	"pixcert/internal/match"
	"pixcert/internal/roster"
	"pixcert/internal/synth"
	"pixcert/internal/tabfile"
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
	var rosterCSV, exportCSV bytes.Buffer
	if _, err := synth.Generate(&rosterCSV, &exportCSV, synth.Options{Students: n, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	var errs, warnings fileerr.Collector
	rf, err := tabfile.Open("eleves.csv", &rosterCSV, tabfile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rr, ok := roster.Detect(rf, time.Now())
	if !ok {
		b.Fatal("roster not recognised")
	}
	var students []match.Student
	rr.Read(&errs, func(s roster.Student) error {
		students = append(students, match.Student{ID: int64(len(students) + 1), NationalID: s.NationalID, LastName: s.LastName,
			UsageName: s.UsageName, FirstNames: s.FirstName, Class: s.Class})
		return nil
	})
	ef, err := tabfile.Open("Resultats.csv", &exportCSV, tabfile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cr, ok := collecte.Detect(ef)
	if !ok {
		b.Fatal("export not recognised")
	}
	var rows []match.Participant
	cr.Read(&errs, &warnings, func(p collecte.Participation) error {
		rows = append(rows, match.Participant{LastName: p.LastName, FirstName: p.FirstName, Class: p.Class, MatchID: p.MatchID()})
		return nil
	})
	if errs.Total > 0 || len(students) != n {
		b.Fatalf("%d problems, %d students read", errs.Total, len(students))
	}
	return students, rows
}
