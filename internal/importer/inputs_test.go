package importer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/tabfile"
)

// newStore opens an empty store, and points the temporary folder at an
// empty one, checked to be empty again when the test ends.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Cleanup(func() {
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("left in the temporary folder: %v", left)
		}
	})
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pixcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func variant(name string) string { return filepath.Join(samples.Dir, "..", "variants", name) }

// TestAWorkbookIsOpenedOnce: the survey opens a workbook and chooses its
// sheet; the reading reads that sheet again from what was extracted.
func TestAWorkbookIsOpenedOnce(t *testing.T) {
	st := newStore(t)
	opened := map[string]int{}
	defer func(open func(string, io.ReaderAt, int64, string, int64) (*tabfile.Workbook, error)) {
		openWorkbookFile = open
	}(openWorkbookFile)
	openWorkbookFile = func(name string, r io.ReaderAt, size int64, path string, max int64) (*tabfile.Workbook, error) {
		opened[name]++
		return tabfile.OpenWorkbook(name, r, size, path, max)
	}
	// A workbook opening on a notice, and an export re-saved by Excel.
	files := []string{variant("collecte-sco.xlsx"), variant("roster-siecle-notice.xlsx")}
	res, err := Run(context.Background(), st, files, Options{Now: time.Now()})
	if err != nil {
		t.Fatalf("Run: %v (%v, %v)", err, res.Files[0].Errors.Kept, res.Files[1].Errors.Kept)
	}
	if res.Files[1].Added != 8 || res.Files[0].Rows == 0 {
		t.Errorf("read %d students and %d participations", res.Files[1].Added, res.Files[0].Rows)
	}
	for _, f := range files {
		if opened[f] != 1 {
			t.Errorf("%s opened %d times, want once", f, opened[f])
		}
	}
}

// TestWorkbooksShareABudget: the workbooks of one import are all open from
// the survey until each is read, so what they hold in memory is bounded
// together.
func TestWorkbooksShareABudget(t *testing.T) {
	st := newStore(t)
	defer func(budget int64) { openWorkbooksBudget = budget }(openWorkbooksBudget)
	data, err := os.ReadFile(variant("roster-siecle.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := tabfile.OpenWorkbook("first", bytes.NewReader(data), int64(len(data)), variant("roster-siecle.xlsx"), limits.MaxWorkbookInMemoryBytes)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	openWorkbooksBudget = first.InMemory + 1 // room for the first one only
	files := []string{variant("roster-siecle.xlsx"), variant("collecte-sco.xlsx")}
	res, err := Run(context.Background(), st, files, Options{Now: time.Now()})
	if !errors.Is(err, ErrInvalidFiles) || res.Files[0].Errors.Total != 0 || res.Files[1].Errors.Total != 1 ||
		!strings.Contains(res.Files[1].Errors.Kept[0].Msg, "avec les classeurs déjà ouverts par cette importation, celui-ci dépasserait") {
		t.Errorf("Run = %v, problems %v / %v", err, res.Files[0].Errors.Kept, res.Files[1].Errors.Kept)
	}
}

func TestStandardInput(t *testing.T) {
	roster, err := os.ReadFile(samples.Path("roster-siecle.csv"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("read as a file", func(t *testing.T) {
		st := newStore(t)
		res, err := Run(context.Background(), st, []string{samples.Path("collecte-sco.csv"), "-"}, Options{Now: time.Now(), Stdin: strings.NewReader(string(roster))})
		if err != nil {
			t.Fatal(err)
		}
		if fr := res.Files[1]; fr.Name != StdinName || fr.Kind != KindRoster || fr.Added != 8 {
			t.Errorf("standard input: %+v", fr)
		}
	})
	t.Run("given twice", func(t *testing.T) {
		st := newStore(t)
		res, err := Run(context.Background(), st, []string{"-", "-"}, Options{Now: time.Now(), Stdin: strings.NewReader(string(roster))})
		if !errors.Is(err, ErrInvalidFiles) || res.Files[1].Errors.Total != 1 || !strings.Contains(res.Files[1].Errors.Kept[0].Msg, "« - » est donné deux fois") {
			t.Errorf("Run = %v, %v", err, res.Files[1].Errors.Kept)
		}
	})
	t.Run("past the limit", func(t *testing.T) {
		st := newStore(t)
		defer func(max int64) { maxCopied = max }(maxCopied)
		maxCopied = 100
		src := &countingReader{r: strings.NewReader(strings.Repeat(string(roster), 10))}
		res, err := Run(context.Background(), st, []string{"-"}, Options{Now: time.Now(), Stdin: src})
		if !errors.Is(err, ErrInvalidFiles) || !strings.Contains(res.Files[0].Errors.Kept[0].Error(), "entrée standard : plus de 100 octets lus") {
			t.Errorf("Run = %v, %v", err, res.Files[0].Errors.Kept)
		}
		if src.n > 101 {
			t.Errorf("read %d bytes of standard input, want 101", src.n)
		}
	})
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestDevicesAreRefused(t *testing.T) {
	for _, device := range []string{"/dev/zero", "/dev/null"} {
		if _, err := os.Stat(device); err != nil {
			t.Skip(err)
		}
		st := newStore(t)
		res, err := Run(context.Background(), st, []string{device}, Options{Now: time.Now()})
		if !errors.Is(err, ErrInvalidFiles) || !strings.Contains(res.Files[0].Errors.Kept[0].Msg, "c'est un périphérique") {
			t.Errorf("%s: %v %v", device, err, res.Files[0].Errors.Kept)
		}
	}
}
