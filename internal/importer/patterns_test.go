package importer

import (
	"errors"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// windowsFolder is a fake Windows disk, as cmd.exe and PowerShell leave a
// pattern to the program: paths with \ separators, names compared without
// case, listed in the disk's order, not sorted.
type windowsFolder struct {
	cwd   string
	files []string // absolute
}

func (w windowsFolder) abs(p string) string {
	if len(p) >= 3 && p[1] == ':' && p[2] == '\\' {
		return p
	}
	return w.cwd + `\` + p
}

func (w windowsFolder) exists(p string) bool {
	for _, f := range w.files {
		if strings.EqualFold(f, w.abs(p)) {
			return true
		}
	}
	return false
}

// glob is filepath.Glob on Windows: each element of the pattern matches
// one of the path, a relative pattern gives relative paths.
func (w windowsFolder) glob(pattern string) ([]string, error) {
	parts := strings.Split(strings.ToLower(w.abs(pattern)), `\`)
	for _, p := range parts {
		if _, err := path.Match(p, ""); err != nil {
			return nil, filepath.ErrBadPattern
		}
	}
	var out []string
	for _, f := range w.files {
		names := strings.Split(strings.ToLower(f), `\`)
		if len(names) != len(parts) {
			continue
		}
		all := true
		for i := range parts {
			if ok, _ := path.Match(parts[i], names[i]); !ok {
				all = false
			}
		}
		switch {
		case !all:
		case w.abs(pattern) == pattern:
			out = append(out, f)
		default:
			out = append(out, strings.TrimPrefix(f, w.cwd+`\`))
		}
	}
	return out, nil
}

func TestExpandPatternsOnWindows(t *testing.T) {
	disk := windowsFolder{cwd: `C:\Users\cpe\Téléchargements`, files: []string{
		`C:\Users\cpe\Téléchargements\Resultats-Collecte-3e-4521-2026-03-14-1042.csv`,
		`C:\Users\cpe\Téléchargements\eleves.csv`,
		`C:\Users\cpe\Téléchargements\Resultats-Collecte-3e-4521-2026-01-16-0915.csv`,
		`C:\Users\cpe\Téléchargements\Resultats-Collecte-4e-4522-2026-01-16-0920.xlsx`,
		`C:\Users\cpe\Téléchargements\Resultats [2].csv`,
		`C:\Users\cpe\Téléchargements\2025\Resultats-Collecte-3e-4400-2025-10-07-1100.csv`,
		`C:\Users\cpe\Documents\ElevesSansAdresses.zip`,
	}}
	const (
		jan   = `Resultats-Collecte-3e-4521-2026-01-16-0915.csv`
		march = `Resultats-Collecte-3e-4521-2026-03-14-1042.csv`
	)
	tests := []struct {
		name       string
		args       []string
		files      []string
		expansions []Expansion
		none, bad  []string
	}{
		{"files as written", []string{"eleves.csv", "-", `..\Documents\ElevesSansAdresses.zip`},
			[]string{"eleves.csv", "-", `..\Documents\ElevesSansAdresses.zip`}, nil, nil, nil},
		{"a missing file is left to the import to tell", []string{"eleve.csv"}, []string{"eleve.csv"}, nil, nil, nil},
		{"a star, sorted", []string{"eleves.csv", "Resultats-*.csv"},
			[]string{"eleves.csv", jan, march},
			[]Expansion{{"Resultats-*.csv", []string{jan, march}}}, nil, nil},
		{"names compared without case", []string{"resultats-*-3E-*.CSV"}, []string{jan, march},
			[]Expansion{{"resultats-*-3E-*.CSV", []string{jan, march}}}, nil, nil},
		{"a question mark", []string{"Resultats-Collecte-?e-*"},
			[]string{jan, march, "Resultats-Collecte-4e-4522-2026-01-16-0920.xlsx"},
			[]Expansion{{"Resultats-Collecte-?e-*", []string{jan, march, "Resultats-Collecte-4e-4522-2026-01-16-0920.xlsx"}}}, nil, nil},
		{"an absolute pattern", []string{`C:\Users\cpe\Téléchargements\*.xlsx`},
			[]string{`C:\Users\cpe\Téléchargements\Resultats-Collecte-4e-4522-2026-01-16-0920.xlsx`},
			[]Expansion{{`C:\Users\cpe\Téléchargements\*.xlsx`, []string{`C:\Users\cpe\Téléchargements\Resultats-Collecte-4e-4522-2026-01-16-0920.xlsx`}}}, nil, nil},
		{"a pattern in a folder", []string{`20*\*.csv`},
			[]string{`2025\Resultats-Collecte-3e-4400-2025-10-07-1100.csv`},
			[]Expansion{{`20*\*.csv`, []string{`2025\Resultats-Collecte-3e-4400-2025-10-07-1100.csv`}}}, nil, nil},
		{"brackets of a file that exists", []string{"Resultats [2].csv"}, []string{"Resultats [2].csv"}, nil, nil, nil},
		{"no match", []string{"eleves.csv", "Resultats-*.ods", "Resultats-*.csv", "Export?.csv"}, nil, nil,
			[]string{"Resultats-*.ods", "Export?.csv"}, nil},
		{"not a pattern", []string{"Resultats [3.csv"}, nil, nil, []string{"Resultats [3.csv"}, []string{"Resultats [3.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, expansions, err := ExpandPatterns(tt.args, disk.exists, disk.glob)
			var none *NoMatchError
			if tt.none != nil {
				if !errors.As(err, &none) || !reflect.DeepEqual(none.Patterns, tt.none) || !reflect.DeepEqual(none.Bad, tt.bad) {
					t.Fatalf("err = %#v, want no match for %q (bad %q)", err, tt.none, tt.bad)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(files, tt.files) || !reflect.DeepEqual(expansions, tt.expansions) {
				t.Errorf("= %q, %q, %v\nwant %q, %q", files, expansions, err, tt.files, tt.expansions)
			}
		})
	}
}

func TestWhatAPatternStoodFor(t *testing.T) {
	e := Expansion{`Resultats-*.csv`, []string{`Resultats-3e1.csv`, "Resultats-\x1b[2J.csv"}}
	if got, want := e.String(), `« Resultats-*.csv » désigne 2 fichiers : Resultats-3e1.csv, Resultats-\x1b[2J.csv`; got != want {
		t.Errorf("%s\nwant %s", got, want)
	}
	err := &NoMatchError{Patterns: []string{"Resultats-*.ods", "Export?.csv"}}
	if got, want := err.Error(), "aucun fichier ne correspond à « Resultats-*.ods », ni à « Export?.csv » : vérifiez le nom et le dossier où la commande est lancée"; got != want {
		t.Errorf("%s\nwant %s", got, want)
	}
}
