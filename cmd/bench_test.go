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

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/roster"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/synth"
	"github.com/pixcert/pixcert/internal/tabfile"
)

// Benchmarks of pixcert's performance targets. Each size is a synthetic
// school (internal/synth) written once per run; the floor is encoding/csv
// reading the same files and nothing else, so the ratio is read in one run:
//
//	go test ./cmd -run '^$' -bench . -benchtime 1x
//	go test ./internal/match -run '^$' -bench Match
//	PIXCERT_BENCH_SIZES=100000,1000000 go test ./cmd -run '^$' -bench 'Floor|Import' -benchtime 1x -timeout 60m

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
func generated(tb testing.TB, n int) *school {
	schoolsMu.Lock()
	defer schoolsMu.Unlock()
	if s, ok := schools[n]; ok {
		return s
	}
	dir, err := os.MkdirTemp("", "pixcert-bench-")
	if err != nil {
		tb.Fatal(err)
	}
	s := &school{dir: dir, roster: filepath.Join(dir, "eleves.csv"), export: filepath.Join(dir, "Resultats.csv")}
	rf, _ := os.Create(s.roster)
	ef, _ := os.Create(s.export)
	s.ds, err = synth.Generate(rf, ef, synth.Options{Students: n, Seed: 42})
	rf.Close()
	ef.Close()
	if err != nil {
		tb.Fatal(err)
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

// benchCommand times a command on the store of each size, from process
// start, as a user waits for it; args gives its arguments.
func benchCommand(b *testing.B, args func(s *school, n int) []string) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			db, s := imported(b, n), generated(b, n)
			a := append([]string{"--db", db}, args(s, n)...)
			var peak float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				peak = max(peak, runChild(b, a...))
			}
			b.ReportMetric(peak, "peak-MB")
		})
	}
}

// BenchmarkReportHTML is `pixcert report -o bilan.html --by-class`: the
// page is written as the students are read, a page per class.
func BenchmarkReportHTML(b *testing.B) {
	benchCommand(b, func(s *school, n int) []string {
		return []string{"report", "--by-class", "-o", filepath.Join(s.dir, "bilan.html")}
	})
}

// BenchmarkShowName is `pixcert show "LAST First"`: a student found by
// name through the search index.
func BenchmarkShowName(b *testing.B) {
	benchCommand(b, func(s *school, n int) []string {
		e := s.ds.Expected[n/2]
		return []string{"show", e.LastName + " " + e.FirstName}
	})
}

// BenchmarkSearch is `pixcert status --search NAME`.
func BenchmarkSearch(b *testing.B) {
	benchCommand(b, func(s *school, n int) []string {
		return []string{"status", "--search", s.ds.Expected[n/3].LastName}
	})
}

// BenchmarkLink links a participant to another student and unlinks it,
// in turn: a decision touches one participant and two statuses.
func BenchmarkLink(b *testing.B) {
	refs := map[int]string{} // the participant of each store, chosen once: the runs move it
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			db, s := imported(b, n), generated(b, n)
			if refs[n] == "" {
				refs[n] = participantOf(b, db, s.ds.Expected[n/2:])
			}
			other := s.ds.Expected[n/4].NationalID
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%2 == 0 {
					runChild(b, "--db", db, "link", refs[n], other)
				} else {
					runChild(b, "--db", db, "unlink", refs[n])
				}
			}
		})
	}
}

// participantOf is the reference of a participant of the first student
// who sent a profile.
func participantOf(b *testing.B, db string, students []synth.Expected) string {
	st, err := store.OpenExisting(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for _, e := range students {
		if e.Sendings == 0 {
			continue
		}
		found, err := st.FindStudents(context.Background(), e.NationalID, 0)
		if err != nil || len(found) != 1 {
			b.Fatalf("%s: %v, %v", e.NationalID, found, err)
		}
		history, err := st.History(context.Background(), found[0].ID)
		if err != nil || len(history) == 0 {
			b.Fatalf("history of %s: %v, %v", e.NationalID, history, err)
		}
		return history[0].Ref
	}
	b.Fatal("no student sent a profile")
	return ""
}

// BenchmarkAddExport imports a later collection of 1,000 students into
// the store of each size, copied afresh for each run: what it costs must
// follow the new rows, not the store.
func BenchmarkAddExport(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			db, s := imported(b, n), generated(b, n)
			from := n / 3
			students := s.ds.Expected[from:min(n, from+1000)]
			export := filepath.Join(b.TempDir(), "Resultats-Collecte-2.csv")
			f, err := os.Create(export)
			if err != nil {
				b.Fatal(err)
			}
			if err := synth.WriteCollection(f, students, 9000, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), 1); err != nil {
				b.Fatal(err)
			}
			f.Close()
			var peak float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				copied := filepath.Join(b.TempDir(), "pixcert.db")
				copyFile(b, db, copied, 0o600)
				b.StartTimer()
				peak = max(peak, runChild(b, "--db", copied, "import", export))
			}
			b.ReportMetric(peak, "peak-MB")
		})
	}
}

// copyFile copies a file, giving the copy mode.
func copyFile(tb testing.TB, from, to string, mode os.FileMode) {
	tb.Helper()
	in, err := os.Open(from)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkUnmatched is `pixcert unmatched` on a store whose roster lacks
// one student in ten: at a million students, 100,000 participants without
// a student, each with its candidates.
func BenchmarkUnmatched(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("students=%d", n), func(b *testing.B) {
			s := generated(b, n)
			db := filepath.Join(s.dir, "unmatched.db")
			if _, err := os.Stat(db); err != nil {
				partial := filepath.Join(s.dir, "eleves-partiel.csv")
				writeEveryButTenth(b, s.roster, partial)
				runChild(b, "--db", db, "import", partial, s.export)
			}
			var peak float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				peak = max(peak, runChild(b, "--db", db, "unmatched", "--format", "csv"))
			}
			b.ReportMetric(peak, "peak-MB")
		})
	}
}

// writeEveryButTenth copies a roster without one student in ten.
func writeEveryButTenth(b *testing.B, from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var kept strings.Builder
	for i, line := range lines {
		if i == 0 || i%10 != 0 {
			kept.WriteString(line)
		}
	}
	if err := os.WriteFile(to, []byte(kept.String()), 0o600); err != nil {
		b.Fatal(err)
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
		"report-html":  {"report", "-o", filepath.Join(s.dir, "bilan.html")},
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
