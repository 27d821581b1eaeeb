package store

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// foreignFile writes a file that is not a pixcert store.
type foreignFile struct {
	name  string
	write func(t *testing.T, path string)
}

func sqliteFile(statements string) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(statements); err != nil {
			t.Fatal(err)
		}
	}
}

var foreignFiles = []foreignFile{
	{"a text file", func(t *testing.T, path string) {
		if err := os.WriteFile(path, []byte("Nom;Prénom\nDUPONT;Léa\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}},
	{"another application's SQLite", sqliteFile(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('x')`)},
	{"a SQLite with tables named like pixcert's", sqliteFile(`CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT); PRAGMA user_version = 1`)},
	{"an empty SQLite", sqliteFile(`PRAGMA page_size = 4096; VACUUM`)},
	{"another application's marked SQLite", sqliteFile(`PRAGMA application_id = 1196444237; CREATE TABLE t (x)`)},
}

// A file that is not a pixcert store is refused by every way of opening,
// and left exactly as it was.
func TestForeignFilesAreRefusedAndUntouched(t *testing.T) {
	for _, ff := range foreignFiles {
		for _, open := range []struct {
			name string
			open func(string) (*Store, error)
		}{
			{"Open", func(p string) (*Store, error) { return Open(ctx, p) }},
			{"OpenExisting", func(p string) (*Store, error) { return OpenExisting(ctx, p) }},
		} {
			t.Run(ff.name+"/"+open.name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "pixcert.db")
				ff.write(t, path)
				before, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				st, err := open.open(path)
				if err == nil {
					st.Close()
					t.Fatal("opened as a store")
				}
				if !errors.Is(err, ErrNotAStore) {
					t.Errorf("error %v, want ErrNotAStore", err)
				}
				after, _ := os.ReadFile(path)
				if !bytes.Equal(before, after) {
					t.Error("the file was modified")
				}
				if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
					t.Errorf("files left beside it: %v", entries)
				}
			})
		}
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pixcert.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec("PRAGMA user_version = 5"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	before, _ := os.ReadFile(path)
	if _, err := Open(ctx, path); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("a store from a newer pixcert: %v, want ErrNewerSchema", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the newer store was modified")
	}
}

// Reading never creates a store: no file, an empty file (a first import
// that never committed), nothing imported yet.
func TestOpenExistingNeverCreates(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "sub", "pixcert.db")
	if _, err := OpenExisting(ctx, missing); !errors.Is(err, ErrNoStore) {
		t.Errorf("no file: %v, want ErrNoStore", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the folder was created: %v", err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenExisting(ctx, empty); !errors.Is(err, ErrNoStore) {
		t.Errorf("empty file: %v, want ErrNoStore", err)
	}
	if info, _ := os.Stat(empty); info.Size() != 0 {
		t.Error("the empty file was written to")
	}
	// An import can start from it.
	st, err := Open(ctx, empty)
	if err != nil {
		t.Fatalf("Open on an empty file: %v", err)
	}
	st.Close()
	if _, err := OpenExisting(ctx, dir); err == nil {
		t.Error("a folder opened as a store")
	}
}

func TestStoreIsMarkedAsPixcerts(t *testing.T) {
	st := openStore(t)
	app, version, err := marks(ctx, st.db)
	if err != nil || app != applicationID || version != schemaVersion {
		t.Errorf("application_id %d, user_version %d (%v); want %d, %d", app, version, err, applicationID, schemaVersion)
	}
}
