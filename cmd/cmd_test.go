package cmd

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"pixcert/internal/certif"
	"pixcert/internal/samples"
	"pixcert/internal/store"
)

// run calls Main as the binary would, with its own store.
func run(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pixcert.db")
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("Ville;Code\nLannion;22300\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"import succeeds", []string{"import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")}, ExitOK},
		{"status succeeds", []string{"status"}, ExitOK},
		{"import of a bad file is refused", []string{"import", samples.Path("roster-siecle.csv"), bad}, ExitInvalidFiles},
		{"missing file is refused", []string{"import", "nothere.csv"}, ExitInvalidFiles},
		{"evaluation export is refused", []string{"import", samples.Path("evaluation-not-a-collecte.csv")}, ExitInvalidFiles},
		{"unknown flag", []string{"status", "--nope"}, ExitUsage},
		{"unknown format", []string{"status", "--format", "xml"}, ExitUsage},
		{"unknown command", []string{"statut"}, ExitUsage},
		{"import without file", []string{"import"}, ExitUsage},
		{"help", []string{"--help"}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := run(t, db, tt.args...); code != tt.want {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
		})
	}
}

func TestStoreFailureExitCode(t *testing.T) {
	// A folder where the database file should be: the store cannot open.
	dir := t.TempDir()
	code, _, stderr := run(t, dir, "status")
	if code != ExitFailure {
		t.Fatalf("exit code %d, want %d; stderr: %s", code, ExitFailure, stderr)
	}
	if !strings.HasPrefix(stderr, "pixcert : ouverture de la base") {
		t.Errorf("stderr = %q, want a French message about the database", stderr)
	}
}

func TestStatusFlagsMakeTheFilter(t *testing.T) {
	tests := []struct {
		args []string
		want store.Filter
	}{
		{nil, store.Filter{Sort: "class"}},
		{[]string{"--class", "3E1,3E2", "--class", "4A"}, store.Filter{Classes: []string{"3E1", "3E2", "4A"}, Sort: "class"}},
		{[]string{"--certifiable", "--not-communicated"}, store.Filter{Statuses: []certif.Status{certif.Certifiable, certif.NotCommunicated}, Sort: "class"}},
		{[]string{"--not-certifiable", "--search", "Léa", "--sort", "date"}, store.Filter{Statuses: []certif.Status{certif.NotCertifiable}, Search: "Léa", Sort: "date"}},
	}
	for _, tt := range tests {
		var got *statusOptions
		cmd := newStatusCmd(&Factory{}, func(o *statusOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if f := got.filter(); !reflect.DeepEqual(f, tt.want) {
			t.Errorf("%v: filter = %+v, want %+v", tt.args, f, tt.want)
		}
	}
}

func TestImportFlags(t *testing.T) {
	var got *importOptions
	cmd := newImportCmd(&Factory{}, func(o *importOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--dry-run", "--encoding", "cp1252", "--separator", ",", "--sheet", "Feuil1", "a.csv", "b.csv"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := importOptions{f: got.f, Files: []string{"a.csv", "b.csv"}, DryRun: true, Encoding: "cp1252", Separator: ",", Sheet: "Feuil1"}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("options = %+v, want %+v", *got, want)
	}
}

func TestReportRefusesAWorkbookOnATerminal(t *testing.T) {
	var errOut bytes.Buffer
	f := &Factory{Out: &bytes.Buffer{}, Err: &errOut, IsTerminal: func(any) bool { return true }}
	for _, args := range [][]string{{"--format", "xlsx"}} {
		cmd := newReportCmd(f, func(*reportOptions) error { t.Fatal("ran"); return nil })
		cmd.SetArgs(args)
		err := cmd.Execute()
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "-o relance.xlsx") {
			t.Errorf("%v: err = %v, want a usage error suggesting -o", args, err)
		}
	}
	// With -o, or CSV, a terminal is fine.
	for _, args := range [][]string{{"-o", "relance.xlsx"}, {}} {
		ran := false
		cmd := newReportCmd(f, func(*reportOptions) error { ran = true; return nil })
		cmd.SetArgs(args)
		if err := cmd.Execute(); err != nil || !ran {
			t.Errorf("%v: err = %v, ran = %v", args, err, ran)
		}
	}
}

func TestReportFormatComesFromTheFileName(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "csv"},
		{[]string{"-o", "relance.xlsx"}, "xlsx"},
		{[]string{"-o", "relance.MD"}, "md"},
		{[]string{"-o", "relance.txt"}, "csv"},
		{[]string{"-o", "relance.xlsx", "--format", "json"}, "json"},
	}
	for _, tt := range tests {
		var got string
		cmd := newReportCmd(&Factory{IsTerminal: func(any) bool { return false }}, func(o *reportOptions) error { got = o.Format; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil || got != tt.want {
			t.Errorf("%v: format %q (%v), want %q", tt.args, got, err, tt.want)
		}
	}
}

// A SQLite file of another application, or an empty one, is refused by
// every command with exit code 2, and left byte for byte; a store of a
// newer pixcert with 3.
func TestFilesThatAreNotStores(t *testing.T) {
	commands := [][]string{{"status"}, {"classes"}, {"report"}, {"show", "dupont"}, {"unmatched"}, {"link", "P1", "dupont"},
		{"check"}, {"import", samples.Path("roster-siecle.csv")}, {"import", "--dry-run", samples.Path("roster-siecle.csv")}}
	for name, setup := range map[string]string{
		"another application's SQLite": `CREATE TABLE contacts (id INTEGER PRIMARY KEY, nom TEXT); INSERT INTO contacts (nom) VALUES ('x')`,
		"an empty SQLite":              `PRAGMA page_size = 4096; VACUUM`,
	} {
		path := filepath.Join(t.TempDir(), "autre.db")
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(setup); err != nil {
			t.Fatal(err)
		}
		db.Close()
		before, _ := os.ReadFile(path)
		for _, args := range commands {
			code, _, stderr := run(t, path, args...)
			if code != ExitUsage || !strings.Contains(stderr, "n'est pas une base pixcert") {
				t.Errorf("%s, %v: exit %d, %q; want %d and a French refusal", name, args, code, stderr, ExitUsage)
			}
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("%s was modified", name)
		}
	}

	newer := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, newer, "import", samples.Path("roster-siecle.csv")); code != ExitOK {
		t.Fatal(stderr)
	}
	db, err := sql.Open("sqlite", "file:"+newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 4`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range commands[:3] {
		if code, _, stderr := run(t, newer, args...); code != ExitFailure || !strings.Contains(stderr, "mettez pixcert à jour") {
			t.Errorf("newer store, %v: exit %d, %q; want %d and « mettez pixcert à jour »", args, code, stderr, ExitFailure)
		}
	}
}

// pixcert check exits with 0 on a sound store, 3 when an invariant does
// not hold, and says which.
func TestCheckExitCodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, path, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatal(stderr)
	}
	if code, stdout, _ := run(t, path, "check"); code != ExitOK || !strings.Contains(stdout, "Tout est juste.") {
		t.Fatalf("check of a sound store: exit %d, %q", code, stdout)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE statuses SET status = 'certifiable' WHERE status = 'not-communicated'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, stdout, stderr := run(t, path, "check")
	if code != ExitFailure || !strings.Contains(stdout, "problème : statuts : l'élève n°") || !strings.Contains(stderr, "la vérification a trouvé des problèmes") {
		t.Errorf("check of a store with statuses changed by hand: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
