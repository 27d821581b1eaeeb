package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"pixcert/internal/config"
	"pixcert/internal/store"
)

func newForgetCmd(f *Factory) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "forget",
		Short: "Efface toutes les données des élèves de cet ordinateur",
		Long: `Efface la base de pixcert : élèves, participations, décisions. Les données des élèves sont
personnelles (RGPD) : effacez-les quand elles ne servent plus. Sans --yes, pixcert dit seulement
quel fichier serait effacé.

` + exitCodesHelp,
		Example: `  pixcert forget
  pixcert forget --yes`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(f.flags, f.configFile)
			if err != nil {
				return err
			}
			if _, err := os.Stat(cfg.DBPath); errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(f.Err, "Aucune base à effacer : %s n'existe pas.\n", cfg.DBPath)
				return nil
			}
			if !yes {
				fmt.Fprintf(f.Err, "La base %s serait effacée, avec toutes les données des élèves.\n"+
					"Pour l'effacer : pixcert forget --yes\n", cfg.DBPath)
				return nil
			}
			// Only a pixcert store is erased: --db may name any file.
			_, err = store.Remove(cmd.Context(), cfg.DBPath)
			if errors.Is(err, store.ErrNotAStore) {
				return &usageError{noHint: true, cause: err, msg: err.Error()}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(f.Err, "Base %s effacée.\n", cfg.DBPath)
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "efface vraiment")
	return cmd
}
