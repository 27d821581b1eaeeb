package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"pixcert/internal/output"
	"pixcert/internal/store"
	"pixcert/internal/view"
	"pixcert/internal/visible"
)

var reportFormats = []string{"csv", "xlsx", "json", "md"}

// reportOptions are the flags and dependencies of `pixcert report`.
type reportOptions struct {
	f *Factory
	studentFilter
	Format  string
	Output  string
	ByClass bool
}

func newReportCmd(f *Factory, runF func(*reportOptions) error) *cobra.Command {
	opts := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Écrit le fichier de relance : qui est à relancer, pour quoi",
		Long: `Écrit, pour les élèves choisis (mêmes filtres que status), un fichier de suivi : statut,
compétences certifiables, combien il en manque pour atteindre 5, et ce qui reste à faire —
les compétences les plus proches du niveau 1 pour un élève non certifiable (« 2.2 Partager
et publier (7/8 pix) »), ou rejoindre la collecte et envoyer son profil.

Par défaut : CSV pour Excel en français (UTF-8 avec BOM, « ; », dates jj/mm/aaaa) sur la
sortie standard. -o choisit un fichier, dont l'extension donne le format (.csv, .xlsx,
.json, .md) ; --format l'impose. --by-class fait une feuille (xlsx) ou une section (md)
par classe. Les cellules commençant par = + - @ sont protégées contre les formules.

` + exitCodesHelp,
		Example: `  pixcert report --not-certifiable > relance.csv
  pixcert report --class 3E1,3E2 -o relance.xlsx --by-class
  pixcert report --not-communicated --format md`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return err
			}
			if !cmd.Flags().Changed("format") {
				opts.Format = output.FormatOfFile(opts.Output)
				if opts.Format == "" || opts.Format == "table" {
					opts.Format = "csv"
				}
			}
			if _, err := output.New(opts.Format, reportFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			if opts.Output == "" && output.Binary(opts.Format) && opts.f.IsTerminal(opts.f.Out) {
				return usageErrorf("un classeur %s ne s'affiche pas dans un terminal : écrivez-le dans un fichier avec -o relance.%s", opts.Format, opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return reportRun(cmd, opts)
		},
	}
	opts.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&opts.Format, "format", "csv", "format : "+strings.Join(reportFormats, ", ")+" (par défaut : d'après l'extension de -o, sinon csv)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "fichier à écrire (par défaut : la sortie standard)")
	cmd.Flags().BoolVar(&opts.ByClass, "by-class", false, "une feuille (xlsx) ou une section (md) par classe")
	return cmd
}

func reportRun(cmd *cobra.Command, opts *reportOptions) error {
	ctx := cmd.Context()
	st, _, err := openStoreWithStudents(ctx, opts.f)
	if err != nil {
		return err
	}
	filter := opts.filter()
	if opts.ByClass {
		filter.Sort = store.SortClass
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Close()
	var counts view.Counts
	doc := view.Report(view.Counted(studentsOf(ctx, snap, filter), &counts), opts.ByClass)
	if opts.Output == "" {
		return newWriter(opts.f, opts.Format, reportFormats, opts.f.Out).Write(opts.f.Out, doc)
	}
	w, _ := output.New(opts.Format, reportFormats)
	if err := writeFile(opts.Output, func(out io.Writer) error { return w.Write(out, doc) }); err != nil {
		return err
	}
	fmt.Fprintf(opts.f.Err, "%s écrit : %s.\n", visible.Escape(opts.Output), counts.Line())
	return nil
}

// writeFile writes a file readable by its owner only (student data is
// personal data), and leaves no half-written file behind on failure.
func writeFile(path string, write func(io.Writer) error) error {
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("impossible d'écrire %s : %w", visible.Escape(path), err)
	}
	if err := errors.Join(write(file), file.Close()); err != nil {
		os.Remove(path)
		return fmt.Errorf("écriture de %s : %w", visible.Escape(path), err)
	}
	return nil
}
