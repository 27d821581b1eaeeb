package cmd

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/store"
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
		if f := got.filter(0); !reflect.DeepEqual(f, tt.want) {
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

// A workbook is binary, and a page is markup for a browser: neither is
// written to a terminal, where a person wants neither. On a pipe they are.
func TestReportRefusesAWorkbookOrAPageOnATerminal(t *testing.T) {
	var errOut bytes.Buffer
	f := &Factory{Out: &bytes.Buffer{}, Err: &errOut, IsTerminal: func(any) bool { return true }}
	for _, tt := range []struct {
		args []string
		hint string
	}{
		{[]string{"--format", "xlsx"}, "-o relance.xlsx"},
		{[]string{"--format", "html"}, "-o bilan.html"},
	} {
		cmd := newReportCmd(f, func(*reportOptions) error { t.Fatal("ran"); return nil })
		cmd.SetArgs(tt.args)
		err := cmd.Execute()
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), tt.hint) {
			t.Errorf("%v: err = %v, want a usage error suggesting %s", tt.args, err, tt.hint)
		}
	}
	// With -o, or CSV, a terminal is fine.
	for _, args := range [][]string{{"-o", "relance.xlsx"}, {"-o", "bilan.html"}, {}} {
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
		err  string // the usage error, when the file and the format disagree
	}{
		{nil, "csv", ""},
		{[]string{"-o", "relance.xlsx"}, "xlsx", ""},
		{[]string{"-o", "relance.MD"}, "md", ""},
		{[]string{"-o", "bilan.html"}, "html", ""},
		{[]string{"-o", "bilan.HTM"}, "html", ""},
		{[]string{"-o", "relance"}, "csv", ""},
		{[]string{"-o", "relance", "--format", "md"}, "md", ""},
		{[]string{"-o", "relance.json", "--format", "json"}, "json", ""},
		{[]string{"-o", "relance.CSV", "--format", "csv"}, "csv", ""},
		{[]string{"--format", "md"}, "md", ""},
		{[]string{"-o", "relance.pdf"}, "", "-o relance.pdf : l'extension « .pdf » ne correspond à aucun format : choisissez parmi .csv, .xlsx, .json, .md, .html, .htm. " +
			"Pour un document à imprimer ou à envoyer, écrivez le bilan HTML (-o bilan.html), puis imprimez-le depuis le navigateur (« Enregistrer au format PDF »)"},
		{[]string{"-o", "relance.txt"}, "", "-o relance.txt : l'extension « .txt » ne correspond à aucun format : choisissez parmi .csv, .xlsx, .json, .md, .html, .htm"},
		{[]string{"-o", "relance.txt", "--format", "csv"}, "", "-o relance.txt : l'extension « .txt » ne correspond à aucun format : choisissez parmi .csv, .xlsx, .json, .md, .html, .htm"},
		{[]string{"-o", "relance.xlsx", "--format", "json"}, "", "-o relance.xlsx demande le format xlsx, et --format json un autre : retirez --format (l'extension suffit), ou donnez au fichier l'extension .json"},
		{[]string{"-o", "relance.csv", "--format", "xlsx"}, "", "-o relance.csv demande le format csv, et --format xlsx un autre : retirez --format (l'extension suffit), ou donnez au fichier l'extension .xlsx"},
	}
	for _, tt := range tests {
		got := ""
		cmd := newReportCmd(&Factory{IsTerminal: func(any) bool { return false }}, func(o *reportOptions) error { got = o.Format; return nil })
		cmd.SetArgs(tt.args)
		err := cmd.Execute()
		var usage *usageError
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("%v: format %q (%v), want %q", tt.args, got, err, tt.want)
		case tt.err != "" && (!errors.As(err, &usage) || err.Error() != tt.err || got != ""):
			t.Errorf("%v: format %q, error %v; want the usage error %q", tt.args, got, err, tt.err)
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
	if _, err := db.Exec(`PRAGMA user_version = 5`); err != nil {
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

// report -o never overwrites the store, the files SQLite keeps beside it,
// the configuration file, another SQLite file or a folder: a usage error,
// and the store byte for byte as it was.
func TestReportRefusesToOverwriteWhatItMustNot(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv")); code != ExitOK {
		t.Fatal(stderr)
	}
	config := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(config, []byte("db: pixcert.db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "autre.sqlite")
	otherDB, err := sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := otherDB.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	otherDB.Close()
	link := filepath.Join(dir, "lien.csv")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "rapports"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	tests := []struct {
		name, output, want string
		args               []string
	}{
		{"the store", db, "est la base de pixcert", nil},
		{"the store, relative", "pixcert.db", "est la base de pixcert", nil},
		{"the store, through another path", filepath.Join(dir, "rapports", "..", "pixcert.db"), "est la base de pixcert", nil},
		{"the store, through a link", link, "est la base de pixcert", nil},
		{"its WAL, not there yet", db + "-wal", "journal WAL", nil},
		{"its shared memory", "pixcert.db-shm", "mémoire partagée", nil},
		{"its journal", db + "-journal", "(journal)", []string{"--format", "csv"}},
		{"the configuration file", config, "le fichier de configuration", []string{"--config", config}},
		{"another SQLite file", other, "est une base de données SQLite", nil},
		{"a folder", "rapports", "est un dossier", nil},
		{"a device", os.DevNull, "n'est pas un fichier ordinaire", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(db)
			otherBefore, _ := os.ReadFile(other)
			args := append([]string{"report", "-o", tt.output}, tt.args...)
			code, _, stderr := run(t, db, args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "pixcert ne l'écrase pas") && tt.name != "a folder" && tt.name != "a device" {
				t.Errorf("exit %d, %q; want %d and « %s »", code, stderr, ExitUsage, tt.want)
			}
			if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
				t.Error("the store was modified")
			}
			if after, _ := os.ReadFile(other); !bytes.Equal(otherBefore, after) {
				t.Error("the other SQLite file was modified")
			}
			for _, p := range []string{db + "-wal", db + "-shm", db + "-journal"} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s was created", p)
				}
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("files left in the folder: %v", entries)
	}
}

// A report is written in a temporary file renamed over the target when
// complete: a failure leaves the file before as it was, and no other.
func TestReportIsWrittenWholeOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "relance.csv")
	if err := os.WriteFile(target, []byte("avant"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeFile(target, func(w io.Writer) error {
		io.WriteString(w, "la moitié")
		return errors.New("disque plein")
	})
	if err == nil || !strings.Contains(err.Error(), "disque plein") || !strings.Contains(err.Error(), "n'a pas été modifié") {
		t.Errorf("err = %v", err)
	}
	if data, _ := os.ReadFile(target); string(data) != "avant" {
		t.Errorf("the file before became %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	// Ctrl-C cancels the reading (Main says it was interrupted).
	err = writeFile(target, func(w io.Writer) error { return fmt.Errorf("lecture des élèves : %w", context.Canceled) })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted: %v", err)
	}
	if data, _ := os.ReadFile(target); string(data) != "avant" {
		t.Errorf("the file before became %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}

	if err := writeFile(target, func(w io.Writer) error { _, err := io.WriteString(w, "après"); return err }); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(target)
	if data, _ := os.ReadFile(target); err != nil || string(data) != "après" || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o600) {
		t.Errorf("replaced file: %q, %v, %v; want « après », readable by its owner only", data, info.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
}

// On a terminal, a CSV shows escaped what the terminal would act on; in a
// pipe it is Excel's data.
func TestCSVOnATerminalIsEscaped(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "eleves.csv")
	data, err := os.ReadFile(samples.Path("roster-siecle.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(roster, bytes.Replace(data, []byte(";DUPONT;"), []byte(";\"DU\x1b[2JPONT\u202e\";"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "pixcert.db")
	if code, _, stderr := run(t, db, "import", roster); code != ExitOK {
		t.Fatal(stderr)
	}
	for _, terminal := range []bool{true, false} {
		var out, errOut bytes.Buffer
		f := &Factory{Out: &out, Err: &errOut, Now: time.Now, IsTerminal: func(any) bool { return terminal }}
		root := newRootCmd(f)
		root.SetArgs([]string{"--db", db, "status", "--format", "csv"})
		err := root.Execute()
		f.close()
		if err != nil {
			t.Fatal(err)
		}
		escaped := strings.Contains(out.String(), `DU\x1b[2JPONT\u202e;`)
		raw := strings.Contains(out.String(), "DU\x1b[2JPONT\u202e;")
		if escaped != terminal || raw == terminal {
			t.Errorf("terminal %v: %q", terminal, out.String())
		}
	}
}

// What a person typed or pasted comes back escaped in a message.
func TestArgumentsAreQuotedEscaped(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatal(stderr)
	}
	for args, want := range map[[2]string]string{
		{"unlink", "P\x1b[2J"}: `« P\x1b[2J » : référence de participant inconnue`,
		{"show", "\u202ezzz"}:  `ne correspond à « \u202ezzz »`,
	} {
		code, _, stderr := run(t, db, args[0], args[1])
		if code != ExitUsage && args[0] == "show" || !strings.Contains(stderr, want) || strings.ContainsAny(stderr, "\x1b\u202e") {
			t.Errorf("%v: exit %d, %q; want %s", args, code, stderr, want)
		}
	}
}

// On a terminal, forget and purge ask; only « oui » goes on.
func TestForgetAsksOnATerminal(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatal(stderr)
	}
	for _, tt := range []struct {
		answer string
		gone   bool
	}{{"non\n", false}, {"\n", false}, {"Oui\n", true}} {
		var out, errOut bytes.Buffer
		f := &Factory{In: strings.NewReader(tt.answer), Out: &out, Err: &errOut, Now: time.Now, IsTerminal: func(any) bool { return true }}
		root := newRootCmd(f)
		root.SetArgs([]string{"--db", db, "forget", "2"})
		err := root.Execute()
		f.close()
		if !strings.Contains(errOut.String(), "Seront retirés : l'import n° 2 (« "+samples.Path("collecte-sco.csv")+" »), avec 7 participants et 8 envois de la campagne « Collecte de profils 3e ».\nOublier ces imports ? Tapez « oui » pour confirmer :") {
			t.Errorf("answer %q: the question was %q", tt.answer, errOut.String())
		}
		if (err == nil) != tt.gone {
			t.Errorf("answer %q: %v", tt.answer, err)
		}
		_, list, _ := run(t, db, "imports", "--format", "csv")
		if strings.Contains(list, "collecte-sco.csv") == tt.gone {
			t.Errorf("answer %q: imports left\n%s", tt.answer, list)
		}
	}
}
