package cmd

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pixcert/internal/collecte"
	"pixcert/internal/fileerr"
	"pixcert/internal/roster"
	"pixcert/internal/store"
	"pixcert/internal/synth"
	"pixcert/internal/tabfile"
)

// Benchmarks of issue 5. Each size is a synthetic school (internal/synth)
// written once per run; the floor is encoding/csv reading the same files
// and nothing else, so the ratio is read in one run:
//
//	go test ./cmd -run '^$' -bench . -benchtime 1x
//	go test ./internal/store -run '^$' -bench Match
//	PIXCERT_BENCH_SIZES=1000,10000,100000,1000000 go test ./cmd -run '^$' -bench Import -benchtime 1x -timeout 60m

type school struct {
	dir, roster, export string
	ds                  *synth.Dataset
	bytes               int64
	rows                int
}

var (
	schoolsMu sync.Mutex
	schools   = map[int]*school{}
)

func benchSizes(b *testing.B) []int {
	sizes, err := synth.BenchSizes()
	if err != nil {
		b.Fatal(err)
	}
	return sizes
}

// generated writes (once) a school of n students.
func generated(b *testing.B, n int) *school {
	schoolsMu.Lock()
	defer schoolsMu.Unlock()
	if s, ok := schools[n]; ok {
		return s
	}
	dir, err := os.MkdirTemp("", "pixcert-bench-")
	if err != nil {
		b.Fatal(err)
	}
	s := &school{dir: dir, roster: filepath.Join(dir, "eleves.csv"), export: filepath.Join(dir, "Resultats.csv")}
	rf, _ := os.Create(s.roster)
	ef, _ := os.Create(s.export)
	s.ds, err = synth.Generate(rf, ef, synth.Options{Students: n, Seed: 42})
	rf.Close()
	ef.Close()
	if err != nil {
		b.Fatal(err)
	}
	s.bytes = s.ds.RosterBytes + s.ds.ExportBytes
	s.rows = n + s.ds.ExportRows
	schools[n] = s
	return s
}

func removeSchools() {
	schoolsMu.Lock()
	defer schoolsMu.Unlock()
	for _, s := range schools {
		os.RemoveAll(s.dir)
	}
}

// floor reads the school's files with encoding/csv and nothing else.
func floor(b *testing.B, s *school) time.Duration {
	start := time.Now()
	for _, path := range []string{s.roster, s.export} {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		br := bufio.NewReaderSize(f, 1<<16)
		if bom, _ := br.Peek(3); string(bom) == "\xEF\xBB\xBF" {
			br.Discard(3)
		}
		r := csv.NewReader(br)
		r.Comma, r.FieldsPerRecord, r.ReuseRecord = ';', -1, true
		for {
			if _, err := r.Read(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
	return time.Since(start)
}

// childPeakEnv names the file where a child writes its peak memory.
const childPeakEnv = "PIXCERT_TEST_CHILD_PEAK"

// writePeakMemory writes the process's peak resident memory in kB, as
// Linux counts it for this address space (VmHWM): SQLite's memory, outside
// the Go heap, included. The rusage of a child would not do: Go starts it
// sharing the parent's memory until exec, and counts the parent's.
func writePeakMemory(path string) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			os.WriteFile(path, []byte(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB"))), 0o600)
		}
	}
}

// runChild runs pixcert in a child process and returns its peak memory in
// MB (0 where /proc is not there).
func runChild(b *testing.B, args ...string) (peakMB float64) {
	peakFile := filepath.Join(b.TempDir(), "peak")
	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(args, "\x1f"), childPeakEnv+"="+peakFile)
	var stderr strings.Builder
	child.Stderr, child.Stdout = &stderr, io.Discard
	if err := child.Run(); err != nil {
		b.Fatalf("pixcert %v: %v\n%s", args, err, stderr.String())
	}
	var kB float64
	if data, err := os.ReadFile(peakFile); err == nil {
		fmt.Sscan(string(data), &kB)
	}
	return kB / 1024
}

func BenchmarkFloor(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			s := generated(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				floor(b, s)
			}
			reportRates(b, s)
		})
	}
}

// BenchmarkRead reads the school's files with pixcert's readers (encoding,
// header, every field parsed and checked) and stores nothing: the reading
// side of an import, next to the floor.
func BenchmarkRead(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			s := generated(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				students, rows := readSchool(b, s)
				if students != n || rows != s.ds.ExportRows {
					b.Fatalf("read %d students and %d rows, want %d and %d", students, rows, n, s.ds.ExportRows)
				}
			}
			reportRates(b, s)
		})
	}
}

// readSchool reads a school's roster and export as an import does.
func readSchool(b *testing.B, s *school) (students, rows int) {
	open := func(path string) *tabfile.File {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { f.Close() })
		tf, err := tabfile.Open(path, f, tabfile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return tf
	}
	var errs, warnings fileerr.Collector
	rr, ok := roster.Detect(open(s.roster), time.Now())
	if !ok {
		b.Fatal("roster not recognised")
	}
	if err := rr.Read(&errs, func(roster.Student) error { students++; return nil }); err != nil {
		b.Fatal(err)
	}
	cr, ok := collecte.Detect(open(s.export))
	if !ok {
		b.Fatal("export not recognised")
	}
	if err := cr.Read(&errs, &warnings, func(collecte.Participation) error { rows++; return nil }); err != nil {
		b.Fatal(err)
	}
	if errs.Total > 0 {
		b.Fatalf("%d problems reading the school", errs.Total)
	}
	return students, rows
}

// BenchmarkImport imports a school into an empty store, reports its speed,
// its ratio to the floor and its peak memory, and checks every status.
func BenchmarkImport(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			s := generated(b, n)
			var floorTotal time.Duration
			var peak float64
			var db string
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				floorTotal += floor(b, s)
				db = filepath.Join(b.TempDir(), "pixcert.db")
				b.StartTimer()
				peak = max(peak, runChild(b, "--db", db, "import", s.roster, s.export))
			}
			b.StopTimer()
			reportRates(b, s)
			b.ReportMetric(float64(b.Elapsed())/float64(floorTotal), "x-floor")
			b.ReportMetric(peak, "peak-MB")
			checkStatuses(b, db, s.ds)
		})
	}
}

func reportRates(b *testing.B, s *school) {
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(s.bytes)/1e6/secs, "MB/s")
	b.ReportMetric(float64(s.rows)/secs, "rows/s")
}

// imported returns a store holding school n, imported once per run.
func imported(b *testing.B, n int) string {
	s := generated(b, n)
	db := filepath.Join(s.dir, "pixcert.db")
	if _, err := os.Stat(db); err != nil {
		runChild(b, "--db", db, "import", s.roster, s.export)
	}
	return db
}

// BenchmarkStatusClass is `pixcert status --class C` from process start,
// as a user waits for it.
func BenchmarkStatusClass(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			db := imported(b, n)
			class := generated(b, n).ds.Expected[n/2].Class
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				runChild(b, "--db", db, "status", "--class", class)
			}
		})
	}
}

// BenchmarkClasses is `pixcert classes` from process start, as a table
// for a terminal and as CSV: at a million students, drawing 35,714 rows
// with tablewriter costs more than counting them.
func BenchmarkClasses(b *testing.B) {
	for _, n := range benchSizes(b) {
		for _, format := range []string{"table", "csv"} {
			b.Run(fmt.Sprintf("students=%d/format=%s", n, format), func(b *testing.B) {
				db := imported(b, n)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					runChild(b, "--db", db, "classes", "--format", format)
				}
			})
		}
	}
}

// checkStatuses compares every student's status with what the generator
// computed on its own.
func checkStatuses(b *testing.B, db string, ds *synth.Dataset) {
	st, err := store.Open(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	list, err := st.Students(context.Background(), store.Filter{})
	if err != nil {
		b.Fatal(err)
	}
	if len(list) != len(ds.Expected) {
		b.Fatalf("%d students, want %d", len(list), len(ds.Expected))
	}
	want := make(map[string]synth.Expected, len(ds.Expected))
	for _, e := range ds.Expected {
		want[e.NationalID] = e
	}
	for _, s := range list {
		e := want[s.NationalID]
		count := -1
		if s.HasProfile {
			count = s.CertifiableCt
		}
		if string(s.Status) != e.Status || count != e.Count || s.StatusDate != e.Date || s.Sendings != e.Sendings || s.Class != e.Class {
			b.Fatalf("%s: %s %d %s %d, want %s %d %s %d", s.NationalID, s.Status, count, s.StatusDate, s.Sendings, e.Status, e.Count, e.Date, e.Sendings)
		}
	}
}

// BenchmarkSchoolCommands runs every reading command on a school of 1,000
// students, from process start: each should answer within 30 ms.
func BenchmarkSchoolCommands(b *testing.B) {
	const n = 1000
	s := generated(b, n)
	db := imported(b, n)
	e := s.ds.Expected[n/2]
	commands := map[string][]string{
		"status":       {"status"},
		"status-class": {"status", "--class", e.Class},
		"classes":      {"classes"},
		"report":       {"report"},
		"report-xlsx":  {"report", "-o", filepath.Join(s.dir, "relance.xlsx")},
		"unmatched":    {"unmatched"},
		"show":         {"show", e.NationalID},
	}
	for name, args := range commands {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				runChild(b, append([]string{"--db", db}, args...)...)
			}
		})
	}
}
