package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// home gives the test a configuration folder of its own, and returns
// pixcert's folder in it.
func home(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	t.Setenv("APPDATA", filepath.Join(dir, "AppData"))
	t.Setenv(EnvDB, "")
	pixcertDir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(pixcertDir, 0o700); err != nil {
		t.Fatal(err)
	}
	return pixcertDir
}

func dbFlag() *pflag.FlagSet {
	flags := pflag.NewFlagSet("pixcert", pflag.ContinueOnError)
	flags.String("db", "", "")
	return flags
}

func TestPrecedence(t *testing.T) {
	dir := home(t)
	write(t, filepath.Join(dir, "config.yaml"), "db: depuis-le-fichier.db\n")
	flagged := filepath.Join(t.TempDir(), "option.db")
	fromEnv := filepath.Join(t.TempDir(), "environnement.db")
	tests := []struct {
		name     string
		env      string
		flag     string
		wantPath string
		want     Source
	}{
		{"the file over the default", "", "", filepath.Join(dir, "depuis-le-fichier.db"), FromFile},
		{"the environment over the file", fromEnv, "", fromEnv, FromEnv},
		{"the option over the environment", fromEnv, flagged, flagged, FromFlag},
		{"the option over the file", "", flagged, flagged, FromFlag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDB, tt.env)
			flags := dbFlag()
			if tt.flag != "" {
				if err := flags.Set("db", tt.flag); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := Load(flags, "")
			if err != nil {
				t.Fatal(err)
			}
			if cfg.DBPath != tt.wantPath || cfg.DBSource != tt.want {
				t.Errorf("db = %s from %d, want %s from %d", cfg.DBPath, cfg.DBSource, tt.wantPath, tt.want)
			}
			if cfg.File != filepath.Join(dir, "config.yaml") || cfg.FileSource != FromDefault {
				t.Errorf("configuration file = %s from %d, want the default one", cfg.File, cfg.FileSource)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	dir := home(t)
	cfg, err := Load(dbFlag(), "")
	if err != nil {
		t.Fatal(err)
	}
	want := Config{DBPath: filepath.Join(dir, "pixcert.db"), DBSource: FromDefault, File: filepath.Join(dir, "config.yaml"), FileSource: FromDefault}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Load = %+v, want %+v", cfg, want)
	}
}

func TestExplicitFileAndUnknownKeys(t *testing.T) {
	home(t)
	file := filepath.Join(t.TempDir(), "reglages.txt") // any name: the file is YAML
	write(t, file, "base: faute-de-frappe.db\ndb: /absolu/pixcert.db\n")
	cfg, err := Load(dbFlag(), file)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.File != file || cfg.FileSource != FromFlag || cfg.DBPath != "/absolu/pixcert.db" || cfg.DBSource != FromFile {
		t.Errorf("Load = %+v, want the db of the file given by --config", cfg)
	}
	if !reflect.DeepEqual(cfg.UnknownKeys, []string{"base"}) {
		t.Errorf("unknown keys = %q, want [base]", cfg.UnknownKeys)
	}
}

func TestMistakesInFrench(t *testing.T) {
	dir := home(t)
	tests := []struct {
		name, file  string
		emptyOption bool
		want        string
	}{
		{"bad syntax", "db: [pas fermé\n", false, "illisible, ligne 1 : il est mal écrit"},
		{"a list for a path", "db: [a, b]\n", false, "« db » ne donne pas de chemin"},
		{"an empty option", "", true, "--db est vide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, filepath.Join(dir, "config.yaml"), tt.file)
			flags := dbFlag()
			if tt.emptyOption {
				if err := flags.Set("db", ""); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(flags, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want %q", err, tt.want)
			}
			if err != nil && (strings.Contains(err.Error(), "yaml:") || strings.Contains(err.Error(), "While")) {
				t.Errorf("Load error = %v: viper's English", err)
			}
		})
	}
	if _, err := Load(dbFlag(), filepath.Join(dir, "absent.yaml")); err == nil || !strings.Contains(err.Error(), "introuvable") {
		t.Errorf("Load of a missing --config: %v, want « introuvable »", err)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
