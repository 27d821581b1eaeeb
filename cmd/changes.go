package cmd

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
)

var changesFormats = []string{"table", "csv", "json"}

// changesOptions are the flags and dependencies of `pixcert changes`.
type changesOptions struct {
	f *Factory
	establishmentChoice
	Since   string
	Classes []string
	All     bool
	Format  string
}

func newChangesCmd(f *Factory) *cobra.Command {
	opts := &changesOptions{f: f}
	cmd := &cobra.Command{
		Use:   "changes",
		Short: "Ce qui a changé depuis la collecte précédente : qui est devenu certifiable, qui ne l'est plus",
		Long: `Compare la certificabilité de chaque élève (d'après le dernier profil envoyé) à ce qu'elle était
à la fin d'un jour passé : par défaut, le jour de la collecte importée avant la dernière (la date
du dernier envoi que contenait son export) ; --since choisit le jour.

Les élèves sont groupés par changement, avec leur nombre : devenus certifiables, qui ne le
sont plus (des compétences remises à zéro), qui ont envoyé un profil pour la première fois.
Suit le nombre des élèves sans changement et de ceux toujours non communiqués, que --all
liste aussi.`,
		Example: `  pixcert changes
  pixcert changes --since 01/12/2025 --class 3E1,3E2
  pixcert changes --all --format csv > changements.csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := output.New(opts.Format, changesFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			return changesRun(cmd, opts)
		},
	}
	opts.addFlag(cmd.Flags())
	cmd.Flags().StringVar(&opts.Since, "since", "", "jour à comparer (jj/mm/aaaa) ; par défaut, celui de la collecte précédente")
	cmd.Flags().StringSliceVar(&opts.Classes, "class", nil, "classe(s) : --class 3E1 --class 3E2 ou --class 3E1,3E2")
	cmd.Flags().BoolVar(&opts.All, "all", false, "liste aussi les élèves sans changement et ceux toujours non communiqués")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "format de sortie : "+strings.Join(changesFormats, ", "))
	return cmd
}

func changesRun(cmd *cobra.Command, opts *changesOptions) error {
	ctx := cmd.Context()
	sc, err := openScoped(ctx, opts.f, &opts.establishmentChoice, opts.Classes)
	if err != nil || (sc.empty && opts.Format == "table") {
		return err
	}
	st, estab, scope, note := sc.st, sc.estab, sc.scope, sc.note
	since := ""
	if opts.Since != "" {
		if since, err = parseDay("since", opts.Since, opts.f.Now()); err != nil {
			return err
		}
	} else {
		// The collecte before the latest: what the latest changed. Each
		// establishment has its own days: a day of one is not another's.
		ids := []int64{estab.ID}
		if estab.ID == 0 {
			estabs, err := st.Establishments(ctx)
			if err != nil {
				return err
			}
			ids = nil
			for _, e := range estabs {
				ids = append(ids, e.ID)
			}
		}
		var previous []string
		for _, id := range ids {
			days, err := st.CollecteDays(ctx, id)
			if err != nil {
				return err
			}
			day := "" // a first collecte: since the beginning
			if len(days) >= 2 {
				day = days[len(days)-2]
			}
			if len(days) > 0 && !slices.Contains(previous, day) {
				previous = append(previous, day)
			}
		}
		switch len(previous) {
		case 0:
		case 1:
			since = previous[0]
		default:
			return usageErrorf("les établissements n'ont pas fait leurs collectes les mêmes jours : choisissez-en un avec --etablissement, " +
				"ou le jour à comparer avec --since jj/mm/aaaa")
		}
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Close()
	if err := snap.CompareWith(ctx, since); err != nil {
		return err
	}
	filter := store.Filter{Establishment: estab.ID, Classes: opts.Classes, Sort: store.SortClass}
	w := newWriter(opts.f, opts.Format, changesFormats, opts.f.Out)
	return noted(opts.f, note, w.Write(opts.f.Out, view.Changes(studentsOf(ctx, snap, filter), since, opts.All, scope)))
}
