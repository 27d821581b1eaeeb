package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/view"
)

var statusFormats = []string{"table", "csv", "json"}

// statusOptions are the flags and dependencies of `pixcert status`.
type statusOptions struct {
	f *Factory
	studentFilter
	Format string
	AsOf   string // --as-of, as given
}

func newStatusCmd(f *Factory, runF func(*statusOptions) error) *cobra.Command {
	opts := &statusOptions{f: f}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Affiche la certificabilité des élèves d'après le dernier profil envoyé",
		Long: `Affiche les élèves de la liste actuelle avec leur certificabilité d'après le dernier
profil envoyé : « Certifiable », « Non Certifiable » ou « Non communiqué », avec la date de
cet envoi (c'est le dernier envoi qui compte, pas le meilleur) et le nombre de compétences
certifiables (niveau 1 ou plus ; il en faut 5). « Envoyé avant la dernière collecte » marque
un élève dont le dernier profil date d'avant la plus récente collecte de sa classe : il
faut lui demander de l'envoyer à nouveau.

Pourquoi Pix Orga peut montrer autre chose : pixcert ne connaît que les profils envoyés
dans les collectes importées, figés au moment de l'envoi. Dans un collège ou un lycée,
Pix Orga recalcule aussi chaque nuit la certificabilité des élèves qui se sont connectés,
d'après leur profil du moment, et affiche la plus récente des deux ; aucun export ne donne
ce calcul. Un élève qui a progressé depuis son dernier envoi peut donc être « Certifiable »
dans Pix Orga et « Non Certifiable » ici. Pour mettre pixcert à jour : importez l'export
d'une nouvelle collecte, ou l'export de la même campagne après que l'élève a envoyé son
profil à nouveau (quand la campagne permet plusieurs envois).

Les filtres se combinent ; plusieurs statuts demandés = l'un ou l'autre. --as-of montre les
statuts tels qu'ils étaient à la fin d'un jour passé (heure de Paris), d'après les envois
datés jusqu'à ce jour, pour les élèves de la liste actuelle.`,
		Example: `  pixcert status
  pixcert status --class 3E2 --not-certifiable
  pixcert status --class 3E1,3E2 --not-communicated --sort name
  pixcert status --search lefevre
  pixcert status --certifiable --format json
  pixcert status --format csv > statuts.csv
  pixcert status --etablissement "victor hugo"
  pixcert status --as-of 16/01/2026 --class 3E2`,
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
	cmd.Flags().StringVar(&opts.AsOf, "as-of", "", "statuts à la fin de ce jour (jj/mm/aaaa), d'après les envois datés jusque-là")
	return cmd
}

func statusRun(cmd *cobra.Command, opts *statusOptions) error {
	ctx := cmd.Context()
	sc, err := openScoped(ctx, opts.f, &opts.establishmentChoice, opts.Classes)
	if err != nil || (sc.empty && opts.Format == "table") {
		return err
	}
	st, estab, scope, note := sc.st, sc.estab, sc.scope, sc.note
	if opts.AsOf != "" {
		if scope.AsOf, err = parseDay("as-of", opts.AsOf, opts.f.Now()); err != nil {
			return err
		}
	}
	if scope.Certification, err = st.HasResults(ctx, estab.ID, scope.AsOf); err != nil {
		return err
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Close()
	if opts.AsOf != "" {
		if err := snap.AsOf(ctx, scope.AsOf); err != nil {
			return err
		}
	}
	w := newWriter(opts.f, opts.Format, statusFormats, opts.f.Out)
	return noted(opts.f, note, w.Write(opts.f.Out, view.Status(studentsOf(ctx, snap, opts.filter(estab.ID)), scope)))
}
