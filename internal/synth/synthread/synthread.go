// Package synthread reads the synthetic schools of internal/synth back with
// pixcert's own readers, for tests and benchmarks that start from rows.
package synthread

import (
	"bytes"
	"fmt"
	"time"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/roster"
	"github.com/pixcert/pixcert/internal/synth"
	"github.com/pixcert/pixcert/internal/tabfile"
)

// Read generates a school of n students and reads it back with pixcert's
// own readers, as an import would: for tests and benchmarks that start
// from rows rather than files.
func Read(n int, seed uint64) ([]roster.Student, []collecte.Participation, *synth.Dataset, error) {
	var rosterCSV, exportCSV bytes.Buffer
	ds, err := synth.Generate(&rosterCSV, &exportCSV, synth.Options{Students: n, Seed: seed})
	if err != nil {
		return nil, nil, nil, err
	}
	var errs, warnings fileerr.Collector
	rf, err := tabfile.Open("eleves.csv", &rosterCSV, tabfile.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	rr, ok := roster.Detect(rf, time.Now())
	if !ok {
		return nil, nil, nil, fmt.Errorf("synthetic roster not recognised")
	}
	var students []roster.Student
	if err := rr.Read(&errs, func(s roster.Student) error { students = append(students, s); return nil }); err != nil {
		return nil, nil, nil, err
	}
	ef, err := tabfile.Open("Resultats.csv", &exportCSV, tabfile.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	cr, ok := collecte.Detect(ef)
	if !ok {
		return nil, nil, nil, fmt.Errorf("synthetic export not recognised")
	}
	var rows []collecte.Participation
	if err := cr.Read(&errs, &warnings, func(p collecte.Participation) error { rows = append(rows, p); return nil }); err != nil {
		return nil, nil, nil, err
	}
	if errs.Total > 0 || len(students) != n {
		return nil, nil, nil, fmt.Errorf("synthetic school: %d problems, %d students read: %v", errs.Total, len(students), errs.Kept)
	}
	return students, rows, ds, nil
}
