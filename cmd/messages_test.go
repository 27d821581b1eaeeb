package cmd

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pixcert/pixcert/internal/samples"
)

func TestFrenchMessageOfSystemErrors(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("création de la base %s : %w", "/x/p.db", &fs.PathError{Op: "open", Path: "/x/p.db", Err: syscall.ENOENT}),
			"création de la base /x/p.db : fichier ou dossier introuvable"},
		{fmt.Errorf("impossible d'écrire %s : %w", "r.csv", &fs.PathError{Op: "open", Path: "/d/.r.csv.1.tmp", Err: syscall.EACCES}),
			"impossible d'écrire r.csv : /d/.r.csv.1.tmp : accès refusé (droits du fichier ou de son dossier)"},
		{fmt.Errorf("écriture de r.csv : %w", &os.LinkError{Op: "rename", Old: "a", New: "r.csv", Err: syscall.ENOSPC}),
			"écriture de r.csv : r.csv : le disque est plein"},
		{fmt.Errorf("écriture de r.csv : %w", os.NewSyscallError("fsync", syscall.EIO)),
			"écriture de r.csv : erreur de lecture ou d'écriture du disque"},
		{fmt.Errorf("rien à traduire"), "rien à traduire"},
	}
	for _, tt := range tests {
		if got := frenchMessage(tt.err); got != tt.want {
			t.Errorf("frenchMessage(%q) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// A store damaged on disk fails in French: SQLite's English never
// reaches the person.
func TestDamagedStoreIsToldInFrench(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte(strings.Repeat("\xff", 4*4096)), 3*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := run(t, db, "status")
	if code != ExitFailure {
		t.Errorf("exit code %d, want %d", code, ExitFailure)
	}
	if !strings.Contains(stderr, "la base est endommagée") || strings.Contains(stderr, "malformed") || strings.Contains(stderr, "database") {
		t.Errorf("stderr = %q, want SQLite's words in French", stderr)
	}
}
