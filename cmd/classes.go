package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/view"
)

var classesFormats = []string{"table", "csv", "json"}

// classesOptions are the flags and dependencies of `pixcert classes`.
type classesOptions struct {
	f *Factory
	establishmentChoice
	Classes []string
	Format  string
	History bool
}

func newClassesCmd(f *Factory, runF func(*classesOptions) error) *cobra.Command {
	opts := &classesOptions{f: f}
	cmd := &cobra.Command{
		Use:   "classes",
		Short: "Fait le point classe par classe",
		Long: `Une ligne par classe : effectif, certifiables, non certifiables, non communiqués et part
de certifiables (d'après le dernier profil envoyé par chaque élève), puis le total de
l'établissement. C'est la vue pour décider quelles classes relancer. Quand la base tient
plusieurs établissements, les classes sont groupées par établissement, chacun avec son
total, puis vient le total de tous ; --etablissement n'en montre qu'un.

--history donne, pour chaque classe, où elle en était à chaque collecte importée : à la
date du dernier envoi que contenait chaque export, les élèves de la liste actuelle comptés
d'après leurs envois jusqu'à ce jour, avec l'évolution du nombre de certifiables.`,
		Example: `  pixcert classes
  pixcert classes --class 3E1,3E2
  pixcert classes --format csv > classes.csv
  pixcert classes --history`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := output.New(opts.Format, classesFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			if runF != nil {
				return runF(opts)
			}
			return classesRun(cmd, opts)
		},
	}
	opts.addFlag(cmd.Flags())
	cmd.Flags().StringSliceVar(&opts.Classes, "class", nil, "classe(s) : --class 3E1 --class 3E2 ou --class 3E1,3E2")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "format de sortie : "+strings.Join(classesFormats, ", "))
	cmd.Flags().BoolVar(&opts.History, "history", false, "la part de certifiables de chaque classe à chaque collecte importée")
	return cmd
}

func classesRun(cmd *cobra.Command, opts *classesOptions) error {
	ctx := cmd.Context()
	sc, err := openScoped(ctx, opts.f, &opts.establishmentChoice, opts.Classes)
	if err != nil || (sc.empty && opts.Format == "table") {
		return err
	}
	st, estab, scope, note := sc.st, sc.estab, sc.scope, sc.note
	w := newWriter(opts.f, opts.Format, classesFormats, opts.f.Out)
	if opts.History {
		history, err := st.ClassHistory(ctx, estab.ID, opts.Classes)
		if err != nil {
			return err
		}
		return noted(opts.f, note, w.Write(opts.f.Out, view.ClassesHistory(history, scope)))
	}
	counts, err := st.ClassCounts(ctx, estab.ID, opts.Classes)
	if err != nil {
		return err
	}
	return noted(opts.f, note, w.Write(opts.f.Out, view.Classes(counts, scope)))
}
