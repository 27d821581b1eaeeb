package store

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestOpenProtectsTheStoreFiles: files an earlier umask left readable by
// every account are made the owner's alone when the store opens; a store
// made read-only stays so; files of another account are left as they are,
// with a warning.
func TestOpenProtectsTheStoreFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes are not how Windows protects files")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "pixcert.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if err := os.WriteFile(p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	if st, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	if len(st.Warnings) > 0 {
		t.Errorf("warnings for the owner's files: %v", st.Warnings)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s while open: mode %04o, want 0600", filepath.Base(p), info.Mode().Perm())
		}
	}
	st.Close()

	// Read-only for its owner: others lose their access, the owner keeps
	// what they chose.
	os.Chmod(path, 0o444)
	if w := protect(path); len(w) != 0 {
		t.Errorf("warnings for the owner's files: %v", w)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o400 {
		t.Errorf("read-only store: mode %04o, want 0400", info.Mode().Perm())
	}

	if os.Geteuid() != 0 {
		return // only root can give a file to another account
	}
	other := filepath.Join(dir, "other.db")
	os.WriteFile(other, nil, 0o644)
	if err := os.Chown(other, 65534, 65534); err != nil {
		t.Skip(err)
	}
	w := protect(other)
	if len(w) != 1 || !strings.Contains(w[0], "appartient à un autre compte") || !strings.Contains(w[0], "chmod go-rwx") {
		t.Errorf("warnings for another account's store: %q", w)
	}
	if info, _ := os.Stat(other); info.Mode().Perm() != fs.FileMode(0o644) {
		t.Errorf("another account's file changed to %04o", info.Mode().Perm())
	}
}

func TestProtectFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes are not how Windows protects files")
	}
	dir := filepath.Join(t.TempDir(), "pixcert")
	os.Mkdir(dir, 0o755)
	os.Chmod(dir, 0o755)
	if w := ProtectFolder(dir); w != "" {
		t.Errorf("warning: %s", w)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %04o, want 0700", info.Mode().Perm())
	}
}
