package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/view"
)

var showFormats = []string{"table", "json"}

func newShowCmd(f *Factory) *cobra.Command {
	var format string
	var ec establishmentChoice
	cmd := &cobra.Command{
		Use:   "show ÉLÈVE",
		Short: "Montre la fiche d'un élève : ses 16 compétences et ses envois",
		Long: `Montre la fiche d'un élève, désigné par son INE, son numéro étudiant ou une partie de son nom
(sans accents ni majuscules, comme --search) : son statut, ses 16 compétences au dernier
envoi groupées par domaine (✓ : certifiable, niveau 1 ou plus), et tous ses envois. Quand
plusieurs élèves correspondent, pixcert les liste et demande un nom plus précis.`,
		Example: `  pixcert show "martin tom"
  pixcert show 123456789AB
  pixcert show lefevre --format json`,
		Args: exactArgs(1, "nom ou INE de l'élève"),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := output.New(format, showFormats)
			if err != nil {
				return &usageError{msg: err.Error()}
			}
			w = fitted(f, w, showFormats, f.Out)
			ctx := cmd.Context()
			st, empty, err := openStoreWithStudents(ctx, f)
			if err != nil || empty {
				return err
			}
			estab, _, err := ec.resolve(ctx, st)
			if err != nil {
				return err
			}
			student, err := oneStudent(ctx, st, args[0], estab.ID)
			if err != nil {
				return err
			}
			history, err := st.History(ctx, student.ID)
			if err != nil {
				return err
			}
			if format == "table" {
				view.WriteIdentity(f.Out, student, history)
			}
			return w.Write(f.Out, view.Show(student, history))
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "format de sortie : "+strings.Join(showFormats, ", "))
	ec.addFlag(cmd.Flags())
	return cmd
}
