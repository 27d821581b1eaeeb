package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
)

var resultsFormats = []string{"table", "csv", "json"}

// resultsOptions are the flags and dependencies of `pixcert results`.
type resultsOptions struct {
	f *Factory
	establishmentChoice
	Classes []string
	Format  string
}

func newResultsCmd(f *Factory, runF func(*resultsOptions) error) *cobra.Command {
	opts := &resultsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "results",
		Short: "Affiche qui a passé la certification, qui l'a obtenue, qui était absent",
		Long: `Affiche, pour chaque élève de la liste actuelle, la session où il est prévu (pixcert
sessions plan), s'il a été présenté, et le résultat de sa dernière certification tel que Pix
Orga l'exporte : statut (Validée, Rejetée, Annulée…), score Pix, date et numéro de session.
Puis, par classe : élèves, prévus, présentés, certifiés, absents, rejetés.

Les résultats viennent de l'export de Pix Orga (onglet Certifications, une classe à la fois,
fichier 20260316_resultats_3E1.csv), importé comme les autres fichiers :
  pixcert import 20260316_resultats_3E1.csv
Un élève absent de l'export de sa classe n'a pas été présenté : il est « Absent » s'il était
prévu dans une session de ce jour ou d'avant, « Prévu » tant que les résultats de sa classe
n'en disent rien. Pour lister ceux à inscrire à une autre session : pixcert report
--to-reschedule.`,
		Example: `  pixcert import 20260316_resultats_3E1.csv
  pixcert results
  pixcert results --class 3E1
  pixcert results --format csv > resultats.csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := output.New(opts.Format, resultsFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			if runF != nil {
				return runF(opts)
			}
			return resultsRun(cmd, opts)
		},
	}
	opts.addFlag(cmd.Flags())
	cmd.Flags().StringSliceVar(&opts.Classes, "class", nil, "classe(s) : --class 3E1 --class 3E2 ou --class 3E1,3E2")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "format de sortie : "+strings.Join(resultsFormats, ", "))
	return cmd
}

func resultsRun(cmd *cobra.Command, opts *resultsOptions) error {
	ctx := cmd.Context()
	sc, err := openScoped(ctx, opts.f, &opts.establishmentChoice, opts.Classes)
	if err != nil || (sc.empty && opts.Format == "table") {
		return err
	}
	snap, err := sc.st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Close()
	filter := store.Filter{Establishment: sc.estab.ID, Classes: opts.Classes, Sort: store.SortClass}
	students := studentsOf(ctx, snap, filter)
	certs, err := snap.Certifications(ctx, sc.estab.ID)
	if err != nil {
		return err
	}
	w := newWriter(opts.f, opts.Format, resultsFormats, opts.f.Out)
	return w.Write(opts.f.Out, view.Results(students, &certs, sc.scope))
}
