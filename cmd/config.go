package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/config"
	"github.com/pixcert/pixcert/internal/visible"
)

func newConfigCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Montre les réglages en vigueur et d'où ils viennent : base, fichier de configuration",
		Long: `Montre chaque réglage en vigueur et d'où il vient, et si ses fichiers existent : la base de
données, et le fichier de configuration. Ne crée ni ne modifie rien.

Par ordre de priorité, un réglage vient de l'option de la commande (--db, --config), sinon
de la variable d'environnement (PIXCERT_DB), sinon du fichier de configuration (une ligne
« db: chemin/vers/pixcert.db » ; un chemin relatif y part du dossier du fichier), sinon de la
valeur par défaut : le dossier pixcert du dossier de configuration de l'utilisateur.`,
		Example: `  pixcert config
  pixcert --db ./essai.db config
  pixcert --config /partage/pixcert.yaml config`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(f.flags, f.configFile)
			if err != nil {
				return err
			}
			writeConfig(f.Out, cfg)
			return nil
		},
	}
}

// writeConfig says each setting, where it comes from and whether its file
// exists.
func writeConfig(w io.Writer, cfg config.Config) {
	e := visible.Escape // a path may come from anywhere
	fmt.Fprintf(w, "Base de données : %s\n", e(cfg.DBPath))
	fmt.Fprintf(w, "  source : %s\n", dbSource(cfg.DBSource))
	fmt.Fprintf(w, "  existe : %s\n", existence(cfg.DBPath, "non, le premier import la crée"))
	if cfg.File == "" {
		fmt.Fprintln(w, "Fichier de configuration : aucun (dossier de configuration de l'utilisateur introuvable)")
	} else {
		fmt.Fprintf(w, "Fichier de configuration : %s\n", e(cfg.File))
		source := "valeur par défaut"
		if cfg.FileSource == config.FromFlag {
			source = "option --config"
		}
		fmt.Fprintf(w, "  source : %s\n", source)
		fmt.Fprintf(w, "  existe : %s\n", existence(cfg.File, "non (il est facultatif)"))
	}
	if len(cfg.UnknownKeys) > 0 {
		keys := make([]string, len(cfg.UnknownKeys))
		for i, k := range cfg.UnknownKeys {
			keys[i] = "« " + visible.Quote(k) + " »"
		}
		fmt.Fprintf(w, "  clé ignorée : %s (pixcert n'y lit que « db »)\n", strings.Join(keys, ", "))
	}
	fmt.Fprintln(w, "\nPriorité : option (--db, --config), puis variable d'environnement ("+config.EnvDB+
		"), puis fichier de configuration, puis valeur par défaut.")
}

func dbSource(s config.Source) string {
	switch s {
	case config.FromFlag:
		return "option --db"
	case config.FromEnv:
		return "variable d'environnement " + config.EnvDB
	case config.FromFile:
		return "fichier de configuration (db:)"
	}
	return "valeur par défaut"
}

// existence says whether path exists, and what it is when it is not a
// file.
func existence(path, absent string) string {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return absent
	case err != nil:
		return "impossible de le savoir (" + frenchMessage(err) + ")"
	case info.IsDir():
		return "c'est un dossier, pas un fichier"
	case !info.Mode().IsRegular():
		return "ce n'est pas un fichier ordinaire"
	}
	return "oui"
}
