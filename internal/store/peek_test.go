package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/roster"
)

// Peek reads a store and leaves its folder exactly as it was: no file
// created, none changed, at rest or while another pixcert has it open.
func TestPeekChangesNothing(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{LastName: "DUPONT", FirstName: "Léa", Class: "3E10", Birthdate: "2011-04-15"},
		{LastName: "MARTIN", FirstName: "Tom", Class: "3e2", Birthdate: "2011-05-15"},
		{LastName: "BONO", FirstName: "Paul", Class: "3E2", Birthdate: "2011-06-15"},
		{LastName: "ROUSSEAU", FirstName: "Zoé", Birthdate: "2011-07-15"},
	})
	st.Close() // at rest: the log folded into the file
	dir := filepath.Dir(st.Path)
	before := folder(t, dir)

	peeked, err := Peek(ctx, st.Path)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := peeked.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Students != 4 || !sum.LastImport.Equal(testNow) {
		t.Errorf("Summary = %+v, want 4 students imported at %s", sum, testNow)
	}
	classes, err := peeked.ClassNames(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(classes) != 2 || fold.Key(classes[0]) != "3e2" || classes[1] != "3E10" {
		t.Errorf("ClassNames = %q, want 3E2 (either spelling) and 3E10: one name a class, in class order", classes)
	}
	for prefix, want := range map[string]int{"3e": 2, "3E1": 1, "3 e 2": 1, "4": 0, "-": 2} {
		if classes, err := peeked.ClassNames(ctx, 0, prefix); err != nil || len(classes) != want {
			t.Errorf("ClassNames beginning like %q = %q, %v; want %d", prefix, classes, err, want)
		}
	}
	if list, err := peeked.EstablishmentNames(ctx); err != nil || len(list) != 1 {
		t.Errorf("EstablishmentNames = %+v, %v; want the one establishment", list, err)
	}
	if err := peeked.Close(); err != nil {
		t.Fatal(err)
	}
	if after := folder(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("the folder changed:\nbefore %v\nafter  %v", before, after)
	}

	// Another pixcert has it open, its log and shared memory beside it.
	writer, err := Open(ctx, st.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	before = folder(t, dir)
	if peeked, err = Peek(ctx, st.Path); err != nil {
		t.Fatal(err)
	}
	if sum, err := peeked.Summary(ctx); err != nil || sum.Students != 4 {
		t.Errorf("Summary beside a writer = %+v, %v", sum, err)
	}
	peeked.Close()
	if after := folder(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("the folder changed:\nbefore %v\nafter  %v", before, after)
	}
}

func TestPeekWithoutAStore(t *testing.T) {
	dir := t.TempDir()
	if _, err := Peek(ctx, filepath.Join(dir, "pixcert.db")); !errors.Is(err, ErrNoStore) {
		t.Errorf("Peek of nothing: %v, want ErrNoStore", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pixcert.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Peek created the store: %v", err)
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("pas une base"), 0o600); err != nil {
		t.Fatal(err)
	}
	older := filepath.Join(t.TempDir(), "v3.db")
	data, err := os.ReadFile(filepath.Join("testdata", "store-v3.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(older, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Peek(ctx, older); !errors.Is(err, ErrOlderStore) || !errors.Is(err, ErrNotCurrent) {
		t.Errorf("Peek of a store of version 3: %v, want ErrOlderStore", err)
	}
	if after, _ := os.ReadFile(older); !bytes.Equal(after, data) {
		t.Error("Peek changed a store of version 3")
	}
	if _, err := Peek(ctx, other); !errors.Is(err, ErrNotCurrent) || errors.Is(err, ErrOlderStore) {
		t.Errorf("Peek of a text file: %v, want ErrNotCurrent", err)
	}
}

// folder lists each file of dir with its size, mode and time of change.
func folder(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fmt.Sprint(info.Mode(), info.ModTime(), info.Size())
	}
	return out
}
