//go:build unix

package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pixcert/pixcert/internal/samples"
)

// TestImportFromANamedPipe: a named pipe is read once, into a copy that is
// removed after; its content is recognised as a file's is.
func TestImportFromANamedPipe(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	db := filepath.Join(t.TempDir(), "pixcert.db")
	fifo := filepath.Join(t.TempDir(), "eleves")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	roster, err := os.ReadFile(samples.Path("roster-siecle.csv"))
	if err != nil {
		t.Fatal(err)
	}
	written := make(chan error, 1)
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, err = w.Write(roster)
			w.Close()
		}
		written <- err
	}()
	code, _, stderr := run(t, db, "import", fifo, samples.Path("collecte-sco.csv"))
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	if code != ExitOK || !strings.Contains(stderr, fifo+" : liste d'élèves, format SIECLE d'import Pix") || !strings.Contains(stderr, "8 élèves : 8 ajoutés") {
		t.Errorf("exit code %d, stderr:\n%s", code, stderr)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
}
