package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"pixcert/internal/output"
	"pixcert/internal/view"
)

var statusFormats = []string{"table", "csv", "json"}

// statusOptions are the flags and dependencies of `pixcert status`.
type statusOptions struct {
	f *Factory
	studentFilter
	Format string
}

func newStatusCmd(f *Factory, runF func(*statusOptions) error) *cobra.Command {
	opts := &statusOptions{f: f}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Affiche la certificabilité des élèves, comme Pix Orga",
		Long: `Affiche les élèves de la liste actuelle avec leur certificabilité, telle que Pix Orga la
montre : « Certifiable », « Non Certifiable » ou « Non communiqué », datée du dernier envoi
de profil (c'est le dernier envoi qui compte, pas le meilleur), avec le nombre de
compétences certifiables (niveau 1 ou plus ; il en faut 5).

Les filtres se combinent ; plusieurs statuts demandés = l'un ou l'autre.

` + exitCodesHelp,
		Example: `  pixcert status
  pixcert status --class 3E2 --not-certifiable
  pixcert status --class 3E1,3E2 --not-communicated --sort name
  pixcert status --search lefevre
  pixcert status --certifiable --format json
  pixcert status --format csv > statuts.csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return err
			}
			if _, err := output.New(opts.Format, statusFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd, opts)
		},
	}
	opts.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&opts.Format, "format", "table", "format de sortie : "+strings.Join(statusFormats, ", "))
	return cmd
}

func statusRun(cmd *cobra.Command, opts *statusOptions) error {
	ctx := cmd.Context()
	st, empty, err := openStoreWithStudents(ctx, opts.f)
	if err != nil || (empty && opts.Format == "table") {
		return err
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Close()
	w := newWriter(opts.f, opts.Format, statusFormats, opts.f.Out)
	return w.Write(opts.f.Out, view.Status(studentsOf(ctx, snap, opts.filter())))
}
