package store

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"pixcert/internal/collecte"
	"pixcert/internal/fileerr"
	"pixcert/internal/roster"
	"pixcert/internal/synth"
	"pixcert/internal/tabfile"
)

// BenchmarkMatch builds the roster index of a synthetic school and matches
// every row of its export with it, as an import does: sizes as for the
// benchmarks of cmd (PIXCERT_BENCH_SIZES, 1000,10000,100000 by default).
func BenchmarkMatch(b *testing.B) {
	sizes, err := synth.BenchSizes()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			students, rows := synthSchool(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ix := newRosterIndex()
				for id, s := range students {
					ix.add(int64(id+1), PrepareStudent(s))
				}
				ix.freeze()
				unmatched := 0
				for _, p := range rows {
					if student, _ := ix.match(identityOfParticipation(p)); student <= 0 {
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

// synthSchool reads a synthetic school of n students.
func synthSchool(b *testing.B, n int) ([]roster.Student, []collecte.Participation) {
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
	var students []roster.Student
	rr.Read(&errs, func(s roster.Student) error { students = append(students, s); return nil })
	ef, err := tabfile.Open("Resultats.csv", &exportCSV, tabfile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cr, ok := collecte.Detect(ef)
	if !ok {
		b.Fatal("export not recognised")
	}
	var rows []collecte.Participation
	cr.Read(&errs, &warnings, func(p collecte.Participation) error { rows = append(rows, p); return nil })
	if errs.Total > 0 || len(students) != n {
		b.Fatalf("%d problems, %d students read", errs.Total, len(students))
	}
	return students, rows
}
