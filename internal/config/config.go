// Package config decides where pixcert keeps its data, and says where each
// setting comes from. Precedence, highest first: the --db flag, the
// PIXCERT_DB environment variable, `db:` in the configuration file, the
// default in the user's configuration folder.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Config is pixcert's configuration.
type Config struct {
	DBPath   string // the database file
	DBSource Source // where DBPath comes from
	// File is the configuration file read, or the default one, which may
	// not exist; "" when there is none.
	File       string
	FileSource Source // FromFlag for --config, else FromDefault
	// UnknownKeys are the keys of the configuration file that pixcert
	// does not read: a misspelt « db » is ignored, and said by pixcert config.
	UnknownKeys []string
}

// Source is where the value of a setting comes from, by precedence: an
// option beats the environment, which beats the file, which beats the
// default.
type Source int

const (
	FromDefault Source = iota // pixcert's default
	FromFile                  // the configuration file
	FromEnv                   // an environment variable (EnvDB)
	FromFlag                  // an option of the command line
)

// EnvDB is the environment variable that names the database file.
const EnvDB = "PIXCERT_DB"

// DefaultDir is the folder of the database and of the configuration file
// when nothing says otherwise: pixcert under the user's configuration folder
// (%AppData% on Windows, ~/.config on Linux).
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("dossier de configuration de l'utilisateur introuvable (%v) : indiquez la base avec --db ou PIXCERT_DB", err)
	}
	return filepath.Join(dir, "pixcert"), nil
}

// Load reads the configuration. flags may hold the --db flag; configFile is
// the --config flag, "" for the default file, which may be absent.
func Load(flags *pflag.FlagSet, configFile string) (Config, error) {
	v := viper.New()
	v.SetEnvPrefix("PIXCERT")
	if err := v.BindEnv("db"); err != nil {
		return Config{}, err
	}
	if f := flags.Lookup("db"); f != nil {
		if err := v.BindPFlag("db", f); err != nil {
			return Config{}, err
		}
	}
	dir, dirErr := DefaultDir()
	if dirErr == nil {
		v.SetDefault("db", filepath.Join(dir, "pixcert.db"))
	}

	explicit := configFile != ""
	if !explicit && dirErr == nil {
		configFile = filepath.Join(dir, "config.yaml")
	}
	if configFile != "" {
		if err := checkConfigFile(configFile, explicit); err != nil {
			return Config{}, err
		}
		v.SetConfigFile(configFile)
		// Whatever its name ends with: viper would take a .txt for an
		// unknown format.
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			var notFound viper.ConfigFileNotFoundError
			missing := errors.Is(err, fs.ErrNotExist) || errors.As(err, &notFound)
			if explicit || !missing {
				return Config{}, unreadable(configFile, err)
			}
		}
	}
	cfg := Config{DBPath: v.GetString("db"), File: configFile, FileSource: FromDefault}
	if explicit {
		cfg.FileSource = FromFlag
	}
	switch {
	case flagSet(flags, "db"):
		cfg.DBSource = FromFlag
	case os.Getenv(EnvDB) != "":
		cfg.DBSource = FromEnv
	case v.InConfig("db"):
		cfg.DBSource = FromFile
	}
	for _, key := range v.AllKeys() {
		if key != "db" {
			cfg.UnknownKeys = append(cfg.UnknownKeys, key)
		}
	}
	if cfg.DBPath == "" {
		switch cfg.DBSource {
		case FromFlag:
			return Config{}, errors.New("--db est vide : indiquez le fichier de la base, par exemple --db pixcert.db")
		case FromFile:
			return Config{}, fmt.Errorf("fichier de configuration %s : « db » ne donne pas de chemin : écrivez par exemple « db: pixcert.db », ou retirez la ligne", configFile)
		}
		return Config{}, dirErr
	}
	// A relative path written in a configuration file is relative to that
	// file, wherever the command is run from.
	if cfg.DBSource == FromFile && !filepath.IsAbs(cfg.DBPath) {
		cfg.DBPath = filepath.Join(filepath.Dir(configFile), cfg.DBPath)
	}
	return cfg, nil
}

// unreadable says why a configuration file could not be read, in French:
// viper and its YAML reader say it in English.
func unreadable(path string, err error) error {
	var parse viper.ConfigParseError
	if !errors.As(err, &parse) {
		return fmt.Errorf("fichier de configuration %s illisible : %w", path, err)
	}
	where := ""
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		where = ", ligne " + m[1]
	}
	return fmt.Errorf("fichier de configuration %s illisible%s : il est mal écrit (pixcert y attend une ligne comme « db: chemin/vers/pixcert.db »)", path, where)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// maxConfigSize bounds the configuration file, which holds a few lines:
// viper reads it whole, and --config /dev/zero must not fill the memory.
const maxConfigSize = 64 << 10

// checkConfigFile refuses, before viper reads it, a configuration file
// that is not a small regular file. An absent default file is fine.
func checkConfigFile(path string, explicit bool) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("fichier de configuration %s introuvable (option --config) : vérifiez son nom et le dossier où la commande est lancée", path)
	case err != nil:
		return unreadable(path, err)
	case !info.Mode().IsRegular():
		return fmt.Errorf("fichier de configuration %s illisible : ce n'est pas un fichier ordinaire (dossier, tube ou périphérique) ; indiquez un fichier texte, qui contient par exemple « db: chemin/vers/pixcert.db »", path)
	case info.Size() > maxConfigSize:
		return fmt.Errorf("fichier de configuration %s trop grand (%d octets, %d au plus) : ce n'est pas une configuration de pixcert", path, info.Size(), maxConfigSize)
	}
	return nil
}

func flagSet(flags *pflag.FlagSet, name string) bool {
	f := flags.Lookup(name)
	return f != nil && f.Changed
}
