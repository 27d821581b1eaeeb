package cmd

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"pixcert/internal/samples"
	"pixcert/internal/store"
	"pixcert/internal/synth"
)

// childArgsEnv, when set, makes the test binary run pixcert with these
// arguments (separated by \x1f) instead of the tests.
const childArgsEnv = "PIXCERT_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(childArgsEnv); ok {
		code := Main(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr)
		if path := os.Getenv(childPeakEnv); path != "" {
			writePeakMemory(path)
		}
		os.Exit(code)
	}
	code := m.Run()
	removeSchools() // the benchmarks' generated files: 600 MB at a million students
	os.Exit(code)
}

// TestKilledImportLeavesTheStoreAsItWas kills pixcert in the middle of a
// large import, as a power cut or a closed window would, then reopens the
// store: it must be intact and hold exactly what it held before.
func TestKilledImportLeavesTheStoreAsItWas(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	if testing.Short() {
		t.Skip("generates and imports a large school")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("first import: %d %s", code, stderr)
	}
	_, before, _ := run(t, db, "status", "--format", "csv")

	rosterPath, exportPath := filepath.Join(dir, "eleves.csv"), filepath.Join(dir, "Resultats.csv")
	rf, _ := os.Create(rosterPath)
	ef, _ := os.Create(exportPath)
	if _, err := synth.Generate(rf, ef, synth.Options{Students: 100000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	rf.Close()
	ef.Close()

	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), childArgsEnv+"="+strings.Join([]string{"--db", db, "import", rosterPath, exportPath}, "\x1f"))
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- child.Wait() }()

	// The rollback journal appears with the transaction's first write.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(db + "-journal"); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("import ended (%v) before it was seen writing", err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			child.Process.Kill()
			t.Fatal("the import never started writing")
		}
	}
	time.Sleep(200 * time.Millisecond) // into the import, which takes seconds
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if status, ok := child.ProcessState.Sys().(syscall.WaitStatus); !ok || !status.Signaled() {
		t.Fatalf("the import was not killed mid-way (%v): make the generated school larger", err)
	}

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	if report, err := st.Check(context.Background()); err != nil || len(report.Problems) > 0 {
		t.Errorf("check after the kill: %v, %v", report.Problems, err)
	}
	st.Close()
	if _, after, _ := run(t, db, "status", "--format", "csv"); after != before {
		t.Errorf("store changed by the killed import:\nbefore\n%s\nafter\n%s", before, after)
	}
}
