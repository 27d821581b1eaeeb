package cmd

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/store"
)

// TestConcurrentFirstUse starts 20 pixcert processes at once on a folder
// that does not exist yet, as a school's scripts or impatient double
// clicks would: each creates the folder and the store or finds them made,
// and every one succeeds. The files are imported once.
func TestConcurrentFirstUse(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 20 processes")
	}
	const processes = 20
	dir := t.TempDir()
	db := filepath.Join(dir, "nouveau", "pixcert.db")
	start := filepath.Join(dir, "go")
	children := make([]*child, processes)
	for i := range children {
		args := []string{"--db", db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")}
		if i%4 == 3 {
			args = []string{"--db", db, "status"} // readers, which find nothing or the import
		}
		children[i] = startChild(t, []string{childWaitEnv + "=" + start}, args...)
	}
	if err := os.WriteFile(start, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, c := range children {
		err := <-c.done
		c.done <- err
		code := c.cmd.ProcessState.ExitCode()
		reader := i%4 == 3
		switch {
		case reader && code == ExitUsage && strings.Contains(c.stderr.String(), "rien n'a encore été importé"):
		case code != ExitOK:
			t.Errorf("process %d (%s): exit %d\n%s", i, map[bool]string{true: "status", false: "import"}[reader], code, c.stderr.String())
		}
	}
	if code, stdout, stderr := run(t, db, "check"); code != ExitOK {
		t.Errorf("check: exit %d\n%s%s", code, stdout, stderr)
	}
	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var files, runs int
	if err := conn.QueryRow(`SELECT count(*), count(DISTINCT run) FROM imports`).Scan(&files, &runs); err != nil {
		t.Fatal(err)
	}
	if files != 2 || runs != 1 {
		t.Errorf("%d files recorded in %d imports, want the 2 files imported once", files, runs)
	}
}

// TestReadersAreNotBlockedByAnImport reads the store while another
// process imports 100,000 students into it: the reader sees the store as
// it was before the import, at once, and a second writer gives up with a
// French message and exit code 3 once the wait is over.
func TestReadersAreNotBlockedByAnImport(t *testing.T) {
	rosterPath, exportPath := largeSchool(t)
	db := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("first import: %d %s", code, stderr)
	}
	_, before, _ := run(t, db, "status", "--format", "csv")

	importer := startChild(t, nil, "--db", db, "import", rosterPath, exportPath)
	importer.waitWriting(t, db)

	for _, args := range [][]string{{"status", "--format", "csv"}, {"classes"}, {"show", "123456789AB"}, {"check"}} {
		code, stdout, stderr := run(t, db, args...)
		if code != ExitOK {
			t.Errorf("%v during the import: exit %d\n%s", args, code, stderr)
		}
		if args[0] == "status" && stdout != before {
			t.Errorf("status during the import sees something else than the last committed state:\n%s", stdout)
		}
	}

	defer func(timeout time.Duration) { store.BusyTimeout = timeout }(store.BusyTimeout)
	store.BusyTimeout = 100 * time.Millisecond
	code, _, stderr := run(t, db, "import", samples.Path("collecte-sup.csv"))
	if !importer.running() {
		t.Skip("the import ended before the second writer tried: nothing shows the wait")
	}
	want := fmt.Sprintf("pixcert : la base %s est occupée par un autre pixcert depuis plus de 100 millisecondes", db)
	if code != ExitFailure || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "réessayez quand il aura fini") {
		t.Errorf("second writer: exit %d, want %d and a message starting %q:\n%s", code, ExitFailure, want, stderr)
	}
	if err := <-importer.done; err != nil {
		t.Fatalf("the import failed: %v\n%s", err, importer.stderr.String())
	}
	importer.done <- nil
}
