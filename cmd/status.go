package cmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"pixcert/internal/certif"
	"pixcert/internal/output"
	"pixcert/internal/store"
	"pixcert/internal/view"
)

var statusFormats = []string{"table", "csv", "json"}

// statusOptions are the flags and dependencies of `pixcert status`.
type statusOptions struct {
	f               *Factory
	Classes         []string
	Certifiable     bool
	NotCertifiable  bool
	NotCommunicated bool
	Search          string
	Sort            string
	Format          string
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
			if !slices.Contains(store.Sorts, opts.Sort) {
				return usageErrorf("tri « %s » inconnu : choisissez parmi %s", opts.Sort, strings.Join(store.Sorts, ", "))
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
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Classes, "class", nil, "classe(s) à afficher : --class 3E1 --class 3E2 ou --class 3E1,3E2")
	fl.BoolVar(&opts.Certifiable, "certifiable", false, "élèves certifiables")
	fl.BoolVar(&opts.NotCertifiable, "not-certifiable", false, "élèves non certifiables")
	fl.BoolVar(&opts.NotCommunicated, "not-communicated", false, "élèves dont aucun profil n'a été envoyé")
	fl.StringVar(&opts.Search, "search", "", "partie du nom ou du prénom (sans tenir compte des accents ni des majuscules)")
	fl.StringVar(&opts.Sort, "sort", store.SortClass, "ordre : "+strings.Join(store.Sorts, ", "))
	fl.StringVar(&opts.Format, "format", "table", "format de sortie : "+strings.Join(statusFormats, ", "))
	return cmd
}

// filter turns the flags into a store filter.
func (opts *statusOptions) filter() store.Filter {
	f := store.Filter{Classes: opts.Classes, Search: opts.Search, Sort: opts.Sort}
	for _, wanted := range []struct {
		on     bool
		status certif.Status
	}{
		{opts.Certifiable, certif.Certifiable},
		{opts.NotCertifiable, certif.NotCertifiable},
		{opts.NotCommunicated, certif.NotCommunicated},
	} {
		if wanted.on {
			f.Statuses = append(f.Statuses, wanted.status)
		}
	}
	return f
}

func statusRun(cmd *cobra.Command, opts *statusOptions) error {
	ctx := cmd.Context()
	st, err := opts.f.Store(ctx)
	if err != nil {
		return err
	}
	w, err := output.New(opts.Format, statusFormats)
	if err != nil {
		return err
	}
	total, err := st.CountStudents(ctx)
	if err != nil {
		return err
	}
	if total == 0 {
		fmt.Fprintln(opts.f.Err, "Aucun élève pour l'instant : importez d'abord la liste des élèves et les exports "+
			"« Collecte de profils », par exemple :\n  pixcert import eleves.csv Resultats-*.csv")
		if opts.Format == "table" {
			return nil
		}
	}
	students, err := st.Students(ctx, opts.filter())
	if err != nil {
		return err
	}
	return w.Write(opts.f.Out, view.Status(students))
}
