package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
)

// Each store of testdata was written by the pixcert of one layout that
// landed on main, built from its commit. Three with the same commands:
//
//	pixcert import ElevesSansAdresses.xml collecte-sco.csv collecte-old-format.csv
//	pixcert import collecte-sup.csv      # another organization, unmatched
//	pixcert link P6 323456789AB          # =BONO Paul's sending for N'DIAYE Inès
//	pixcert unlink P1                    # DUPONT Léa's latest sending set aside
//
// and testdata/legacy-expected-links holds what each printed then
// (identical for the three): status, show of every student and unmatched,
// as JSON. store-v1.db is an earlier store of schema 1 (roster-siecle.csv
// and collecte-sco.csv), and legacy-expected-early what 58f7cc8 printed of
// it. After the conversion to version 3, pixcert must print the same.
var legacyStores = []struct {
	file, commit, expected string
	ines                   []string
}{
	{"store-v1.db", "early schema 1", "legacy-expected-early", []string{"123456789AB", "223456789AB", "323456789AB", "423456789AB",
		"523456789AB", "623456789AB", "723456789AB", "823456789AB"}},
	{"store-v1-links.db", "58f7cc8, schema 1", "legacy-expected-links", linkedINEs},
	{"store-v2-tables.db", "26fa671, schema 2 in tables", "legacy-expected-links", linkedINEs},
	{"store-v2-pages.db", "b896a1a, schema 2 in pages", "legacy-expected-links", linkedINEs},
	// store-v2-tables.db as pixcert 78b1247 converted it to version 3.
	{"store-v3.db", "78b1247, schema 3", "legacy-expected-links", linkedINEs},
}

// linkedINEs are the students of ElevesSansAdresses.xml.
var linkedINEs = []string{"123456789AB", "223456789AB", "323456789AB", "423456789AB", "523456789AB", "623456789AB", "723456789AB"}

var ctx = context.Background()

// openCopy opens a copy of a store of testdata, converted on opening.
func openCopy(t *testing.T, name string) *store.Store {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pixcert.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("opening a store of %s: %v", name, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func jsonOf(t *testing.T, doc output.Document) string {
	t.Helper()
	w, err := output.New("json", []string{"json"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func expected(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// sameAsBefore tells whether the JSON got, printed by this pixcert, says
// all that want, printed by the pixcert that wrote the store, said: the
// same values in the same order, keys added since aside.
func sameAsBefore(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	return holds(g, w)
}

// holds tells whether got holds every value of want.
func holds(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			if gv, ok := g[k]; !ok || !holds(gv, wv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !holds(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}

func TestLegacyStoresReadTheSameAfterConversion(t *testing.T) {
	for _, ls := range legacyStores {
		t.Run(ls.file, func(t *testing.T) {
			st := openCopy(t, ls.file)
			report, err := st.Check(ctx)
			if err != nil || len(report.Problems) > 0 || report.SchemaVersion != 4 {
				t.Fatalf("check after converting (%s): version %d, %v, %v", ls.commit, report.SchemaVersion, report.Problems, err)
			}

			students, err := st.Students(ctx, store.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := jsonOf(t, view.Status(view.List(students), view.Scope{})), expected(t, ls.expected, "status.json"); !sameAsBefore(t, got, want) {
				t.Errorf("status after converting (%s):\n%s\nwant, as pixcert printed it before:\n%s", ls.commit, got, want)
			}
			for _, ine := range ls.ines {
				found, err := st.FindStudents(ctx, ine, 0)
				if err != nil || len(found) != 1 {
					t.Fatalf("FindStudents(%s) = %v, %v", ine, found, err)
				}
				history, err := st.History(ctx, found[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := jsonOf(t, view.Show(found[0], history)), expected(t, ls.expected, "show-"+ine+".json"); !sameAsBefore(t, got, want) {
					t.Errorf("show %s after converting (%s):\n%s\nwant:\n%s", ine, ls.commit, got, want)
				}
			}
			unmatched, err := st.Unmatched(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := jsonOf(t, view.Unmatched(unmatched, nil)), expected(t, ls.expected, "unmatched.json"); !sameAsBefore(t, got, want) {
				t.Errorf("unmatched after converting (%s):\n%s\nwant:\n%s", ls.commit, got, want)
			}
		})
	}
}

// The decisions of a person are carried over as they were, and keep
// applying: a roster imported again does not undo them.
func TestLegacyDecisionsAreKept(t *testing.T) {
	for _, ls := range legacyStores[1:] {
		t.Run(ls.file, func(t *testing.T) {
			st := openCopy(t, ls.file)
			db, err := sql.Open("sqlite", "file:"+st.Path+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			rows, err := db.Query(`SELECT 'P' || d.participant_id, coalesce(s.national_id, '-'), p.matched_by IS 'manual'
				FROM decisions d LEFT JOIN students s ON s.id = d.student_id JOIN participants p ON p.id = d.participant_id ORDER BY d.id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var ref, ine string
				var manual bool
				if err := rows.Scan(&ref, &ine, &manual); err != nil {
					t.Fatal(err)
				}
				if manual {
					ine += " (à la main)"
				}
				got = append(got, ref+" → "+ine)
			}
			slices.Sort(got)
			want := []string{"P1 → -", "P6 → 323456789AB (à la main)"}
			if !slices.Equal(got, want) {
				t.Errorf("decisions after converting (%s): %q, want %q", ls.commit, got, want)
			}
		})
	}
}
