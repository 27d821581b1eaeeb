package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSQLiteMessage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pas-une-base.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("ceci n'est pas une base SQLite\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(context.Background(), "SELECT * FROM sqlite_master")
	wrapped := fmt.Errorf("lecture de la base %s : %w", path, err)
	english, french, ok := SQLiteMessage(wrapped)
	if !ok {
		t.Fatalf("SQLiteMessage(%v) found no SQLite error", wrapped)
	}
	if !strings.Contains(wrapped.Error(), english) || !strings.Contains(english, "file is not a database") {
		t.Errorf("english = %q, want SQLite's words as %q shows them", english, wrapped)
	}
	if want := "ce fichier n'est pas une base de données (code SQLite 26)"; french != want {
		t.Errorf("french = %q, want %q", french, want)
	}
	if _, _, ok := SQLiteMessage(os.ErrNotExist); ok {
		t.Error("an error that is not SQLite's was taken for one")
	}
}
