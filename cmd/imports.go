package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/view"
)

var importsFormats = []string{"table", "csv", "json"}

func newImportsCmd(f *Factory) *cobra.Command {
	var ec establishmentChoice
	var format string
	cmd := &cobra.Command{
		Use:   "imports",
		Short: "Liste les fichiers importés, du plus ancien au plus récent",
		Long: `Liste les fichiers importés dans la base, du plus ancien au plus récent : numéro, date de
l'import (heure de Paris), fichier, type (liste d'élèves ou collecte), campagne, nombre de
lignes lues ; l'empreinte SHA-256 de chaque fichier en CSV et en JSON.`,
		Example: `  pixcert imports
  pixcert imports --format json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := output.New(format, importsFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			ctx := cmd.Context()
			st, err := f.ExistingStore(ctx)
			if err != nil {
				return err
			}
			estab, scope, err := ec.resolve(ctx, st)
			if err != nil {
				return err
			}
			list, err := st.Imports(ctx, estab.ID)
			if err != nil {
				return err
			}
			return newWriter(f, format, importsFormats, f.Out).Write(f.Out, view.Imports(list, frdate.Paris(), scope))
		},
	}
	ec.addFlag(cmd.Flags())
	cmd.Flags().StringVar(&format, "format", "table", "format de sortie : "+strings.Join(importsFormats, ", "))
	return cmd
}
