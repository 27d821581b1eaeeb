package synth_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/importer"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/synth"
)

// WriteFiles generates a school into dir and returns the paths of its roster
// and export.
func writeFiles(t testing.TB, dir string, opts synth.Options) (rosterPath, exportPath string, ds *synth.Dataset) {
	t.Helper()
	rosterPath, exportPath = filepath.Join(dir, "eleves.csv"), filepath.Join(dir, "Resultats-Collecte.csv")
	rf, err := os.Create(rosterPath)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	ef, err := os.Create(exportPath)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	if ds, err = synth.Generate(rf, ef, opts); err != nil {
		t.Fatal(err)
	}
	return rosterPath, exportPath, ds
}

// Check compares what the store shows with what the generator expects.
func check(t testing.TB, st *store.Store, ds *synth.Dataset) {
	t.Helper()
	list, err := st.Students(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(ds.Expected) {
		t.Fatalf("%d students shown, want %d", len(list), len(ds.Expected))
	}
	want := map[string]synth.Expected{}
	for _, e := range ds.Expected {
		want[e.NationalID] = e
	}
	wrong := 0
	for _, s := range list {
		e := want[s.NationalID]
		count := -1
		if s.HasProfile {
			count = s.CertifiableCt
		}
		got := fmt.Sprintf("%s %s %d %s %d", s.Class, s.Status, count, s.StatusDate, s.Sendings)
		exp := fmt.Sprintf("%s %s %d %s %d", e.Class, e.Status, e.Count, e.Date, e.Sendings)
		if got != exp {
			if wrong++; wrong <= 10 {
				t.Errorf("%s %s: got %s, want %s", s.NationalID, s.LastName, got, exp)
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%d of %d students wrong", wrong, len(list))
	}
}

func TestGeneratedSchoolGivesTheExpectedStatuses(t *testing.T) {
	dir := t.TempDir()
	rosterPath, exportPath, ds := writeFiles(t, dir, synth.Options{Students: 3000, Seed: 1})
	if ds.ExportRows < 2*3000 || ds.ExportRows > 3*3000 {
		t.Errorf("%d export rows for 3000 students, want about 2.5 per student", ds.ExportRows)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "pixcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The export first: order must not matter.
	res, err := importer.Run(ctx, st, []string{exportPath, rosterPath}, importer.Options{Now: time.Now()})
	if err != nil {
		t.Fatalf("import: %v\n%+v", err, res.Files[0].Errors.Kept)
	}
	if res.Files[0].Unmatched != 0 || res.Files[0].Warnings.Total != 0 {
		t.Errorf("%d unmatched participants, %d warnings; want none", res.Files[0].Unmatched, res.Files[0].Warnings.Total)
	}
	check(t, st, ds)
}

func TestSameSeedSameFiles(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	_, ea, _ := writeFiles(t, a, synth.Options{Students: 200, Seed: 7})
	_, eb, _ := writeFiles(t, b, synth.Options{Students: 200, Seed: 7})
	da, _ := os.ReadFile(ea)
	db, _ := os.ReadFile(eb)
	if string(da) != string(db) {
		t.Error("the same seed gave two different exports")
	}
}

func TestBenchSizes(t *testing.T) {
	tests := []struct {
		env     string
		want    []int
		wantErr bool
	}{
		{"", []int{1000, 10000, 100000}, false},
		{"1000000", []int{1000000}, false},
		{"1000, 50", []int{1000, 50}, false},
		{"mille", nil, true},
		{"0", nil, true},
	}
	for _, tt := range tests {
		t.Setenv(synth.SizesEnv, tt.env)
		got, err := synth.BenchSizes()
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("%s=%q: %v, %v; want %v", synth.SizesEnv, tt.env, got, err, tt.want)
		}
	}
}

// A later collection of some students: imported into the store of the
// first, it is matched student by student, and its sendings, the latest,
// decide their statuses; the others do not change.
func TestALaterCollection(t *testing.T) {
	dir := t.TempDir()
	rosterPath, exportPath, ds := writeFiles(t, dir, synth.Options{Students: 300, Seed: 3})
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "pixcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := importer.Run(ctx, st, []string{rosterPath, exportPath}, importer.Options{Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	later := filepath.Join(dir, "Resultats-Collecte-2.csv")
	f, err := os.Create(later)
	if err != nil {
		t.Fatal(err)
	}
	students := ds.Expected[100:200]
	if err := synth.WriteCollection(f, students, 9000, time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC), 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err := importer.Run(ctx, st, []string{later}, importer.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Files[0].FileSummary; s.Rows != 100 || s.NewRows != 100 || s.Participants != 100 || s.Unmatched != 0 {
		t.Errorf("summary %+v, want 100 new rows of 100 participants, all matched", s)
	}
	list, err := st.Students(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, e := range students {
		in[e.NationalID] = true
	}
	before := map[string]synth.Expected{}
	for _, e := range ds.Expected {
		before[e.NationalID] = e
	}
	for _, s := range list {
		e := before[s.NationalID]
		switch {
		case in[s.NationalID] && (s.Sendings != e.Sendings+1 || !strings.HasPrefix(s.StatusDate, "2026-06-01 ")):
			t.Errorf("%s: %d sendings, latest %q; want %d, on 2026-06-01", s.NationalID, s.Sendings, s.StatusDate, e.Sendings+1)
		case !in[s.NationalID] && (s.Sendings != e.Sendings || s.StatusDate != e.Date):
			t.Errorf("%s changed: %d sendings, latest %q; want %d, %q", s.NationalID, s.Sendings, s.StatusDate, e.Sendings, e.Date)
		}
	}
}
