//go:build unix

package cmd

import (
	"bytes"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pixcert/pixcert/internal/samples"
)

// TestReadOnlyStore: a store its owner made read-only (0400) is still read
// by every command that reads, and a command that writes says why it
// cannot, without changing a byte.
func TestReadOnlyStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("import: %d %s", code, stderr)
	}
	_, wantStatus, _ := run(t, db, "status")
	runAsOwner := readOnlyOwner(t, dir, db)
	before := fileHash(t, db)

	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"status"}, ExitOK, ""},
		{[]string{"classes"}, ExitOK, ""},
		{[]string{"report", "--not-certifiable"}, ExitOK, ""},
		{[]string{"show", "123456789AB"}, ExitOK, ""},
		{[]string{"unmatched"}, ExitOK, ""},
		{[]string{"check"}, ExitOK, ""},
		// A past day's statuses sit in a temporary table: the store is not written.
		{[]string{"status", "--as-of", "01/03/2026"}, ExitOK, ""},
		{[]string{"changes", "--since", "01/03/2026"}, ExitOK, ""},
		{[]string{"classes", "--history"}, ExitOK, ""},
		{[]string{"imports"}, ExitOK, ""},
		{[]string{"forget", "1", "--yes"}, ExitUsage, "ne s'oublie qu'avec tout son établissement"},
		{[]string{"purge", "--before", "01/01/2026", "--yes"}, ExitFailure, "est en lecture seule"},
		{[]string{"import", samples.Path("collecte-sup.csv")}, ExitFailure, "est en lecture seule (droits du fichier ou de son dossier) : l'import impossible"},
		{[]string{"unlink", "P1"}, ExitFailure, "est en lecture seule"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runAsOwner(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d; stderr %q, want it to contain %q", code, tc.code, stderr, tc.stderr)
			}
			if len(tc.args) == 1 && tc.args[0] == "status" && stdout != wantStatus {
				t.Errorf("status of the read-only store:\n%s\nwant\n%s", stdout, wantStatus)
			}
		})
	}
	if fileHash(t, db) != before {
		t.Error("the read-only store changed")
	}
	// Made writable again, the store takes an import.
	if err := os.Chmod(db, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runAsOwner("import", samples.Path("collecte-sup.csv")); code != ExitOK {
		t.Errorf("import once the store is writable again: exit %d\n%s", code, stderr)
	}
}

// readOnlyOwner makes the store read-only to its owner and returns how to
// run pixcert as that owner. Running as root, for whom no file is
// read-only, the store is given to the account nobody and pixcert runs as
// it, in a process of its own.
func readOnlyOwner(t *testing.T, dir, db string) func(args ...string) (int, string, string) {
	if os.Geteuid() != 0 {
		if err := os.Chmod(db, 0o400); err != nil {
			t.Fatal(err)
		}
		return func(args ...string) (int, string, string) { return run(t, db, args...) }
	}
	const nobody = 65534
	// The test binary, and the folders down to the store, must be
	// reachable by nobody.
	bin := filepath.Join(t.TempDir(), "pixcert.test")
	copyFile(t, os.Args[0], bin, 0o755)
	for _, d := range []string{filepath.Dir(bin), filepath.Dir(filepath.Dir(bin)), filepath.Dir(dir)} {
		os.Chmod(d, 0o755)
	}
	if err := os.Chown(dir, nobody, nobody); err != nil {
		t.Skipf("cannot give the store to nobody: %v", err)
	}
	if err := os.Chown(db, nobody, nobody); err != nil || os.Chmod(db, 0o400) != nil {
		t.Fatal(err)
	}
	return func(args ...string) (int, string, string) {
		c := exec.Command(bin)
		c.Env = []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir, childArgsEnv + "=" + strings.Join(append([]string{"--db", db}, args...), "\x1f")}
		c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		var stdout, stderr bytes.Buffer
		c.Stdout, c.Stderr = &stdout, &stderr
		c.Run()
		return c.ProcessState.ExitCode(), stdout.String(), stderr.String()
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}
