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

	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/store"
)

// childArgsEnv, when set, makes the test binary run pixcert with these
// arguments (separated by \x1f) instead of the tests.
const childArgsEnv = "PIXCERT_TEST_CHILD_ARGS"

// childWaitEnv names a file a child waits for before it runs pixcert: the
// start signal of processes meant to run at the same time.
const childWaitEnv = "PIXCERT_TEST_CHILD_WAIT"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(childArgsEnv); ok {
		if path := os.Getenv(childWaitEnv); path != "" {
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if _, err := os.Stat(path); err == nil {
					break
				}
			}
		}
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

// largeSchool generates, once for the tests and benchmarks that need an
// import lasting seconds, the files of a school of 100,000 students.
func largeSchool(t *testing.T) (roster, export string) {
	t.Helper()
	if testing.Short() {
		t.Skip("generates and imports a large school")
	}
	s := generated(t, 100000)
	return s.roster, s.export
}

// child is pixcert run by the test binary in a process of its own.
type child struct {
	cmd            *exec.Cmd
	done           chan error
	stdout, stderr strings.Builder
}

// startChild starts pixcert with args in another process; env adds to the
// environment.
func startChild(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0]), done: make(chan error, 1)}
	c.cmd.Env = append(append(os.Environ(), env...), childArgsEnv+"="+strings.Join(args, "\x1f"))
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// waitWriting waits until the import of c has written a few megabytes to
// the write-ahead log of the store db.
func (c *child) waitWriting(t *testing.T, db string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if info, err := os.Stat(db + "-wal"); err == nil && info.Size() > 4<<20 {
			return
		}
		select {
		case err := <-c.done:
			c.done <- err
			t.Fatalf("import ended (%v) before it was seen writing: %s", err, c.stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the import never started writing")
		}
	}
}

// running tells whether c has not ended yet.
func (c *child) running() bool {
	select {
	case err := <-c.done:
		c.done <- err
		return false
	default:
		return true
	}
}

// TestKilledImportLeavesTheStoreAsItWas kills pixcert in the middle of a
// large import, as a power cut or a closed window would, then reopens the
// store: it must be intact and hold exactly what it held before. The store
// is in WAL mode: what the killed import wrote is in the log, uncommitted,
// and must be ignored. Killing the first import of an empty store, which
// loads in bulk, must leave a store where nothing is imported.
func TestKilledImportLeavesTheStoreAsItWas(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	rosterPath, exportPath := largeSchool(t)

	for _, tc := range []struct {
		name        string
		priorImport bool
	}{
		{"later import", true},
		{"first import, in bulk", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "pixcert.db")
			var before string
			if tc.priorImport {
				if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
					t.Fatalf("first import: %d %s", code, stderr)
				}
				_, before, _ = run(t, db, "status", "--format", "csv")
			}
			killImport(t, db, rosterPath, exportPath)

			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatalf("reopening after the kill: %v", err)
			}
			if report, err := st.Check(context.Background()); err != nil || len(report.Problems) > 0 {
				t.Errorf("check after the kill: %v, %v", report.Problems, err)
			}
			st.Close()
			code, after, stderr := run(t, db, "status", "--format", "csv")
			if !tc.priorImport {
				if code != ExitUsage || !strings.Contains(stderr, "rien n'a encore été importé") {
					t.Errorf("after a killed first import: exit %d, %s%s", code, after, stderr)
				}
				return
			}
			if after != before {
				t.Errorf("store changed by the killed import:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

// killImport starts an import of the files in another process and kills
// it once it has written a few megabytes to the store's write-ahead log.
func killImport(t *testing.T, db string, files ...string) {
	t.Helper()
	c := startChild(t, nil, append([]string{"--db", db, "import"}, files...)...)
	c.waitWriting(t, db)
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-c.done
	c.done <- err
	if status, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !status.Signaled() {
		t.Fatalf("the import was not killed mid-way (%v): make the generated school larger", err)
	}
	if _, err := os.Stat(db + "-wal"); err != nil {
		t.Fatalf("no write-ahead log left by the killed import: %v", err)
	}
}

// TestInterruptedImport: Ctrl-C during an import ends it with its own exit
// code and a French message, the store as it was, and no temporary file
// left, here the copy of standard input.
func TestInterruptedImport(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGINT is a Unix signal")
	}
	rosterPath, exportPath := largeSchool(t)
	db := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("first import: %d %s", code, stderr)
	}
	_, before, _ := run(t, db, "status", "--format", "csv")

	tmp := t.TempDir()
	export, err := os.Open(exportPath)
	if err != nil {
		t.Fatal(err)
	}
	defer export.Close()
	c := &child{cmd: exec.Command(os.Args[0]), done: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), "TMPDIR="+tmp, childArgsEnv+"="+strings.Join([]string{"--db", db, "import", rosterPath, "-"}, "\x1f"))
	c.cmd.Stdin, c.cmd.Stdout, c.cmd.Stderr = export, &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	c.waitWriting(t, db)
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	<-c.done
	if code := c.cmd.ProcessState.ExitCode(); code != ExitInterrupted || c.stderr.String() != "pixcert : interrompu : rien n'a été enregistré.\n" {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, ExitInterrupted, c.stderr.String())
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if _, after, _ := run(t, db, "status", "--format", "csv"); after != before {
		t.Errorf("store changed by the interrupted import")
	}
}
