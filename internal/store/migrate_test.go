package store

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"pixcert/internal/collecte"
	"pixcert/internal/fileerr"
	"pixcert/internal/roster"
	"pixcert/internal/samples"
	"pixcert/internal/tabfile"
)

// testdata/store-v1.db was written by pixcert with schema version 1 (before
// issue 5 moved statuses to their own table), importing the samples
// roster-siecle.csv and collecte-sco.csv. A store of a user must read the
// same after the upgrade, and take new imports.
func TestUpgradeFromVersion1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "store-v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pixcert.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ok, err := st.IntegrityCheck(ctx); err != nil || ok != "ok" {
		t.Fatalf("integrity check: %q, %v", ok, err)
	}

	// What pixcert status showed from the version 1 store, with the times
	// of the sample.
	want := map[string]string{
		"DUBOIS Chloé":               "not-communicated",
		"LEFÈVRE Hugo":               "non-certifiable/4/2026-02-10 11:30",
		"N'DIAYE Inès":               "certifiable/5/2026-01-20 14:00",
		"SAINT-MARTIN Jean-Baptiste": "not-communicated",
		"=BONO Paul":                 "certifiable/16/2026-02-01 08:00",
		"DUPONT Léa":                 "certifiable/10/2026-03-14 10:42",
		"MARTIN Tom":                 "non-certifiable/4/2026-03-02 09:15",
		"ROUSSEAU Zoé":               "non-certifiable/1/2026-03-11 13:20",
	}
	got := statuses(t, st)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses after the upgrade:\n got %v\nwant %v", got, want)
	}
	counts, err := st.ClassCounts(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := []ClassCount{{"3E1", 4, 1, 1, 2}, {"3E2", 4, 2, 2, 0}}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("class counts %+v, want %+v", counts, wantCounts)
	}
	hugo, err := st.FindStudents(ctx, "lefevre")
	if err != nil || len(hugo) != 1 {
		t.Fatalf("FindStudents: %v, %v", hugo, err)
	}
	history, err := st.History(ctx, hugo[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[0].CertifiableCompetences != 4 || !history[0].Sent || history[0].SentAt != "2026-02-10 11:30" {
		t.Errorf("history of LEFÈVRE Hugo: %+v", history)
	}

	// The same export again adds nothing: the upgraded store knows its rows.
	var rows []collecte.Participation
	f, err := tabfile.Open("collecte-sco.csv", bytes.NewReader(samples.Read(t, "collecte-sco.csv")), tabfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := collecte.Detect(f)
	if !ok {
		t.Fatal("collecte-sco.csv is not recognised")
	}
	var errs, warnings fileerr.Collector
	if err := r.Read(&errs, &warnings, func(p collecte.Participation) error { rows = append(rows, p); return nil }); err != nil || errs.Total > 0 {
		t.Fatalf("reading the sample: %v, %v", err, errs)
	}
	files, _ := imp(t, st, nil, rows)
	if files[0].Rows != len(rows) || files[0].Unmatched != 0 {
		t.Errorf("summary of the export imported again: %+v", files[0])
	}
	im, err := st.BeginImport(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rows {
		if added, err := im.AddParticipation(0, p); err != nil || added {
			t.Fatalf("%s added again (%v)", p, err)
		}
	}
	im.Rollback()
	if got := statuses(t, st); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses after importing the export again:\n got %v\nwant %v", got, want)
	}

	// The same roster again matches the upgraded participants anew, from
	// the names stored before the upgrade.
	var students []roster.Student
	rf, err := tabfile.Open("roster-siecle.csv", bytes.NewReader(samples.Read(t, "roster-siecle.csv")), tabfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rr, ok := roster.Detect(rf, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatal("roster-siecle.csv is not recognised")
	}
	if err := rr.Read(&errs, func(s roster.Student) error { students = append(students, s); return nil }); err != nil || errs.Total > 0 {
		t.Fatalf("reading the roster: %v, %v", err, errs)
	}
	imp(t, st, students)
	if got := statuses(t, st); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses after importing the roster again:\n got %v\nwant %v", got, want)
	}
	if unmatched, err := st.Unmatched(ctx); err != nil || len(unmatched) != 0 {
		t.Errorf("unmatched after the upgrade: %+v, %v", unmatched, err)
	}
}
