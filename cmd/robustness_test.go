package cmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/buildinfo"
	"github.com/pixcert/pixcert/internal/samples"
)

// panickingWriter stands for a bug anywhere in a command: writing the
// command's output panics.
type panickingWriter struct{}

func (panickingWriter) Write([]byte) (int, error) { panic("écriture impossible") }

// TestPanicIsAnInternalError: a bug ends the command with its own exit code
// and a line to report, not as a usage error, and the store is as before.
func TestPanicIsAnInternalError(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("import: %d %s", code, stderr)
	}
	_, before, _ := run(t, db, "status", "--format", "csv")
	for _, args := range [][]string{{"--help"}, {"status"}, {"report"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			code := Main(append([]string{"--db", db}, args...), strings.NewReader(""), panickingWriter{}, &stderr)
			if code != ExitInternal {
				t.Errorf("exit code %d, want %d", code, ExitInternal)
			}
			msg := stderr.String()
			for _, want := range []string{
				"pixcert : erreur interne de pixcert",
				"Merci de signaler cette ligne",
				"panic: écriture impossible (cmd.panickingWriter.Write, cmd/robustness_test.go:",
				// the same line as pixcert --version
				"\n  " + buildinfo.Current().String() + " : panic: ",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("stderr lacks %q:\n%s", want, msg)
				}
			}
		})
	}
	if _, after, _ := run(t, db, "status", "--format", "csv"); after != before {
		t.Errorf("store changed:\n%s\nthen\n%s", before, after)
	}
}

// TestErrorMessagesAreEscaped: a message that repeats what the user or a
// file gave shows control characters escaped, never acts on them.
func TestErrorMessagesAreEscaped(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("import: %d %s", code, stderr)
	}
	for _, args := range [][]string{
		{"show", "\x1b[2J\x1b]0;titre\x07"},
		{"show", "\u202eMARTIN"},
		{"status", "--format", "\x1b[31m"},
	} {
		code, _, stderr := run(t, db, args...)
		if code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
		if strings.ContainsAny(stderr, "\x1b\x07\u202e") {
			t.Errorf("%q: raw control characters in %q", args, stderr)
		}
		if !strings.Contains(stderr, `\x1b`) && !strings.Contains(stderr, `\u202e`) {
			t.Errorf("%q: the message does not show what was given: %q", args, stderr)
		}
	}
}
