package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/samples"
)

func TestCompletionScripts(t *testing.T) {
	for _, shell := range completionShells {
		t.Run(shell, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main([]string{"completion", shell}, strings.NewReader(""), &out, &errOut)
			if code != ExitOK || errOut.Len() > 0 {
				t.Fatalf("exit code %d, stderr %q", code, errOut.String())
			}
			if !strings.Contains(out.String(), "pixcert") || !strings.Contains(out.String(), "__complete") {
				t.Errorf("the %s script does not call pixcert __complete:\n%.300s", shell, out.String())
			}
		})
	}
	for _, args := range [][]string{{"completion"}, {"completion", "ksh"}, {"completion", "bash", "zsh"}} {
		if code, _, stderr := run(t, filepath.Join(t.TempDir(), "pixcert.db"), args...); code != ExitUsage || !strings.HasPrefix(stderr, "pixcert : ") {
			t.Errorf("%q: exit code %d, stderr %q; want a usage error in French", args, code, stderr)
		}
	}
}

// complete asks pixcert for completions as a shell script does, and
// returns the candidates and the directive, failing on anything on stderr.
func complete(t *testing.T, words ...string) (candidates []string, directive string) {
	t.Helper()
	var out, errOut bytes.Buffer
	Main(append([]string{"__complete"}, words...), strings.NewReader(""), &out, &errOut)
	if errOut.Len() > 0 {
		t.Errorf("completion of %q wrote on stderr: %q", words, errOut.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

func TestDynamicCompletion(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pixcert.db")
	if code, _, stderr := run(t, db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("import: %s", stderr)
	}
	const noFiles, extensions = ":4", ":8"
	tests := []struct {
		words         []string
		want          []string
		wantDirective string
	}{
		{[]string{"status", "--class", ""}, []string{"3E1", "3E2"}, noFiles},
		{[]string{"report", "--class", "3e"}, []string{"3E1", "3E2"}, noFiles},
		{[]string{"status", "--class", "3E2,"}, []string{"3E2,3E1"}, noFiles},
		{[]string{"classes", "--etablissement", "jean", "--class", ""}, []string{"3E1", "3E2"}, noFiles},
		{[]string{"status", "--etablissement", ""}, []string{"Collège Jean Moulin"}, noFiles},
		{[]string{"import", ""}, []string{"csv", "txt", "xlsx", "xml", "zip"}, extensions},
		{[]string{"import", "eleves.csv", ""}, []string{"csv", "txt", "xlsx", "xml", "zip"}, extensions},
		{[]string{"report", "-o", ""}, []string{"csv", "xlsx", "json", "md", "html"}, extensions},
		{[]string{"report", "--output", ""}, []string{"csv", "xlsx", "json", "md", "html"}, extensions},
		{[]string{"status", "--format", ""}, []string{"table", "csv", "json"}, noFiles},
		{[]string{"show", ""}, nil, noFiles},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}, noFiles},
		{[]string{"help", "sta"}, []string{"status\tAffiche la certificabilité des élèves d'après le dernier profil envoyé"}, noFiles},
	}
	for _, tt := range tests {
		words := append([]string{"--db", db}, tt.words...)
		got, directive := complete(t, words...)
		if !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) || directive != tt.wantDirective {
			t.Errorf("pixcert %s<TAB> = %q %s, want %q %s", strings.Join(tt.words, " "), got, directive, tt.want, tt.wantDirective)
		}
	}
}

// Completion reads the store as it is: it creates none where there is
// none, and leaves an existing one and its folder untouched. Names that
// would act on the terminal are not offered.
func TestCompletionCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sous-dossier", "pixcert.db")
	for _, words := range [][]string{{"status", "--class", ""}, {"status", "--etablissement", ""}, {"import", "--etablissement", "c"}} {
		if got, directive := complete(t, append([]string{"--db", db}, words...)...); len(got) > 0 || directive != ":4" {
			t.Errorf("without a store, %q: %q %s", words, got, directive)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Fatalf("completion created %s", entries[0].Name())
	}

	roster := filepath.Join(dir, "eleves.csv")
	if err := os.WriteFile(roster, []byte("NOM;PRENOM;DIVISION;DATE NAISS\nDUPONT;Léa;3E1;14/03/2011\n"+
		"MARTIN;Tom;\x1b[2J3E9;02/11/2011\nBONO;Paul;3E\u202e2;03/11/2011\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, db, "import", roster); code != ExitOK {
		t.Fatalf("import: %s", stderr)
	}
	before := listing(t, filepath.Dir(db))
	if got, _ := complete(t, "--db", db, "status", "--class", ""); !reflect.DeepEqual(got, []string{"3E1"}) {
		t.Errorf("classes offered: %q, want only the one without escapes", got)
	}
	if after := listing(t, filepath.Dir(db)); !reflect.DeepEqual(after, before) {
		t.Errorf("completion changed the store's folder:\nbefore %v\nafter  %v", before, after)
	}
}

func listing(t *testing.T, dir string) map[string]string {
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
		out[e.Name()] = info.ModTime().String() + " " + info.Mode().String()
	}
	return out
}

// BenchmarkCompleteClass is the wait after « pixcert status --class <Tab> »,
// from process start: every class of the store.
func BenchmarkCompleteClass(b *testing.B) {
	benchCommand(b, func(s *school, n int) []string { return []string{"__complete", "status", "--class", ""} })
}

// BenchmarkCompleteClassBegun is « pixcert status --class 3E<Tab> »: the
// classes that begin so.
func BenchmarkCompleteClassBegun(b *testing.B) {
	benchCommand(b, func(s *school, n int) []string {
		return []string{"__complete", "status", "--class", s.ds.Expected[n/2].Class[:2]}
	})
}

// BenchmarkGuide is `pixcert` alone, which counts the students.
func BenchmarkGuide(b *testing.B) {
	benchCommand(b, func(s *school, n int) []string { return nil })
}
