//go:build unix

package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/samples"
)

// TestANamedPipeIsReadOnce: a named pipe gives its content once, to the
// first reader; a second opening would wait for a writer for ever, so it is
// refused here and counted.
func TestANamedPipeIsReadOnce(t *testing.T) {
	st := newStore(t)
	for _, file := range []string{samples.Path("roster-siecle.csv"), variant("roster-siecle.xlsx")} {
		content, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fifo := filepath.Join(t.TempDir(), "eleves"+filepath.Ext(file))
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		written := make(chan error, 1)
		go func() {
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for the reader
			if err == nil {
				_, err = w.Write(content)
				w.Close()
			}
			written <- err
		}()
		opened := 0
		defer func(open func(string) (*os.File, error)) { openFile = open }(openFile)
		openFile = func(path string) (*os.File, error) {
			if opened++; opened > 1 {
				return nil, errors.New("opened again")
			}
			return os.Open(path)
		}
		res, err := Run(context.Background(), st, []string{fifo}, Options{Now: time.Now(), DryRun: true})
		if err != nil {
			t.Fatalf("Run: %v %v", err, res.Files[0].Errors.Kept)
		}
		if err := <-written; err != nil {
			t.Fatal(err)
		}
		if fr := res.Files[0]; fr.Kind != KindRoster || fr.Rows != 8 || opened != 1 {
			t.Errorf("%s opened %d times: %+v", fifo, opened, fr)
		}
	}
}
