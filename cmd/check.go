package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

// errCheckFailed means pixcert check found a problem; it printed them.
var errCheckFailed = errors.New("la vérification a trouvé des problèmes")

func newCheckCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Vérifie la base : fichier, index, statuts, rapprochements",
		Long: `Vérifie la base de pixcert sans la modifier : l'intégrité du fichier SQLite, de ses index et
de ses clés étrangères, l'index de recherche des noms, puis ce que pixcert en déduit — chaque
statut est recalculé à partir des envois, chaque clé de comparaison à partir des noms, chaque
ligne vient d'un import du bon type, chaque décision (link, unlink) est respectée.

Affiche la version du schéma et le nombre de lignes de chaque table. Code de sortie 0 quand
tout est juste, 3 sinon.`,
		Example: `  pixcert check
  pixcert --db /chemin/vers/pixcert.db check`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.ExistingStore(cmd.Context())
			if err != nil {
				return err
			}
			report, err := st.Check(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(f.Out, "Base %s, schéma version %d\n", st.Path, report.SchemaVersion)
			width := 0 // the longest table name: the counts line up
			for _, t := range report.Tables {
				width = max(width, len(t.Table))
			}
			for _, t := range report.Tables {
				fmt.Fprintf(f.Out, "  %-*s %d\n", width, t.Table, t.Rows)
			}
			for _, u := range report.Unverified {
				fmt.Fprintf(f.Out, "%s\n", u)
			}
			if len(report.Problems) == 0 {
				fmt.Fprintln(f.Out, "Tout est juste.")
				return nil
			}
			for _, p := range report.Problems {
				fmt.Fprintf(f.Out, "problème : %s\n", p)
			}
			return fmt.Errorf("%w (%d)", errCheckFailed, len(report.Problems))
		},
	}
}
