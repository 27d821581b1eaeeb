//go:build unix

package cmd

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pixcert/pixcert/internal/samples"
)

// TestStoreThatIsNotAFile: --db naming a pipe or a device is refused at
// once; SQLite would wait on the pipe, or read the device's endless bytes.
func TestStoreThatIsNotAFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pixcert.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	for _, path := range []string{fifo, "/dev/zero", "/dev/null"} {
		for _, args := range [][]string{{"status"}, {"import", samples.Path("roster-siecle.csv")}} {
			code, _, stderr := run(t, path, args...)
			if code != ExitUsage || !strings.Contains(stderr, "n'est pas une base pixcert (ce n'est pas un fichier ordinaire)") {
				t.Errorf("--db %s %v: exit %d, %q", path, args, code, stderr)
			}
		}
	}
}
