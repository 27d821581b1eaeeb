package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/config"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
	"github.com/pixcert/pixcert/internal/visible"
)

var reportFormats = []string{"csv", "xlsx", "json", "md", "html"}

// reportOptions are the flags and dependencies of `pixcert report`.
type reportOptions struct {
	f *Factory
	studentFilter
	Format  string
	Output  string
	ByClass bool
	// ToReschedule lists the students to offer another certification
	// session instead of those to remind.
	ToReschedule bool
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
.json, .md, .html) ; une autre extension, ou une qui contredit --format, est refusée.
--by-class fait une feuille (xlsx), une section (md), une page imprimée (html) ou une
liste par classe (json) ; en CSV, un seul tableau, trié par classe. Les cellules commençant par = + - @ sont
protégées contre les formules. Le classeur .xlsx a ses dates en dates, un en-tête figé et
filtrable, et s'imprime en A4 paysage sur la largeur d'une page, l'en-tête répété sur
chaque page.

Le bilan HTML (-o bilan.html) est une page à ouvrir dans un navigateur et à imprimer,
sans connexion : l'établissement, la date, puis pour chaque classe une barre des trois
statuts et la part de certifiables, et enfin les élèves à relancer (non certifiables et
non communiqués), classe par classe, avec ce qu'ils ont à travailler. Les barres comptent
toute la classe ; les filtres choisissent les élèves listés, toujours classe par classe
(--sort n'y change rien). Imprimée en noir et blanc, elle se lit de même (motifs et
libellés). Comme un classeur, elle ne s'écrit pas dans un terminal.

--to-reschedule écrit à la place la liste des élèves à inscrire à une autre session de
certification, avec le motif : absent à la session prévue (pixcert sessions plan), ou
certification rejetée ou annulée d'après les résultats importés (pixcert results), avec le
commentaire du jury. Les filtres s'appliquent ; la colonne « Certificabilité » dit s'il
faut d'abord faire envoyer un nouveau profil.`,
		Example: `  pixcert report --not-certifiable > relance.csv
  pixcert report --class 3E1,3E2 -o relance.xlsx --by-class
  pixcert report -o bilan.html --by-class
  pixcert report --not-communicated --format md
  pixcert report --to-reschedule -o a-reinscrire.xlsx`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return err
			}
			if _, err := output.New(opts.Format, reportFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			if err := opts.formatOfFile(cmd.Flags().Changed("format")); err != nil {
				return err
			}
			if opts.ByClass && strings.EqualFold(opts.Format, "csv") {
				// A CSV file is one table: it has no sheets to split it by.
				return &usageError{noHint: true, msg: "--by-class : une feuille par classe n'existe qu'en xlsx, md ou html (et en json, " +
					"une liste par classe) ; en CSV, triez par classe (c'est l'ordre par défaut) ou utilisez --class"}
			}
			if opts.Output == "" && output.FileOnly(opts.Format) && opts.f.IsTerminal(opts.f.Out) {
				if opts.Format == "html" {
					// Safe to show (every name is escaped) but unreadable as
					// markup: a person wants it in a browser.
					return usageErrorf("une page HTML se lit dans un navigateur, pas dans un terminal : écrivez-la dans un fichier avec -o bilan.html")
				}
				return usageErrorf("un classeur %s ne s'affiche pas dans un terminal : écrivez-le dans un fichier avec -o relance.%s", opts.Format, opts.Format)
			}
			if opts.ToReschedule && (opts.ByClass || opts.Format == "html") {
				return usageErrorf("--to-reschedule écrit une liste (csv, xlsx, json ou md), sans --by-class ni bilan HTML : " +
					"retirez --by-class, ou choisissez un autre format")
			}
			if !opts.ToReschedule && opts.Format == "html" && len(view.ToRemind(opts.filter(0).Statuses)) == 0 {
				return usageErrorf("le bilan HTML liste les élèves à relancer, et un élève certifiable n'a rien à faire : " +
					"retirez --certifiable, ou choisissez un autre format")
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
	cmd.Flags().BoolVar(&opts.ByClass, "by-class", false, "une feuille (xlsx), une section (md) ou une page imprimée (html) par classe")
	cmd.Flags().BoolVar(&opts.ToReschedule, "to-reschedule", false, "élèves à inscrire à une autre session : absents, certification rejetée ou annulée (pixcert results)")
	return cmd
}

// formatOfFile takes the format from the extension of -o (outputFormat).
func (opts *reportOptions) formatOfFile(explicit bool) (err error) {
	opts.Format, err = outputFormat(opts.f, opts.Output, opts.Format, explicit, reportFormats, "le bilan HTML (-o bilan.html)")
	return err
}

// outputFormat is the format of a file to write, output, from its
// extension, which must be one of accepted and agree with format when it
// is given explicitly: a file is opened by the program its extension
// names. Without -o, or without an extension, it is format. printable
// names the HTML page to write instead of a PDF.
func outputFormat(f *Factory, out, format string, explicit bool, accepted []string, printable string) (string, error) {
	if out == "" {
		return format, nil
	}
	fromFile, err := output.FormatOfFile(out, accepted)
	if err != nil {
		if f.flags != nil {
			// The store, its journals or the configuration file: say what
			// the file is, which matters more than its extension.
			if err := checkOutputPath(f, out, strings.ToLower(format)); err != nil {
				return format, err
			}
		}
		msg := fmt.Sprintf("-o %s : %v", visible.Escape(out), err)
		if strings.EqualFold(filepath.Ext(out), ".pdf") {
			msg += ". Pour un document à imprimer ou à envoyer, écrivez " + printable + ", " +
				"puis imprimez-le depuis le navigateur (« Enregistrer au format PDF »)"
		}
		return format, &usageError{msg: msg, noHint: true}
	}
	switch {
	case fromFile == "":
		// No extension: --format, or its default.
	case !explicit:
		return fromFile, nil
	case !strings.EqualFold(fromFile, format):
		return format, &usageError{noHint: true, msg: fmt.Sprintf("-o %s demande le format %s, et --format %s un autre : "+
			"retirez --format (l'extension suffit), ou donnez au fichier l'extension .%s",
			visible.Escape(out), fromFile, visible.Escape(format), strings.ToLower(format))}
	}
	return format, nil
}

func reportRun(cmd *cobra.Command, opts *reportOptions) error {
	ctx := cmd.Context()
	if opts.Output != "" {
		if err := checkOutputPath(opts.f, opts.Output, opts.Format); err != nil {
			return err
		}
	}
	sc, err := openScoped(ctx, opts.f, &opts.establishmentChoice, opts.Classes)
	if err != nil {
		return err
	}
	st, estab, scope, note := sc.st, sc.estab, sc.scope, sc.note
	filter := opts.filter(estab.ID)
	if opts.ByClass {
		filter.Sort = store.SortClass
	}
	var classes []view.DashboardClass
	if opts.Format == "html" {
		if classes, err = dashboardClasses(ctx, st, estab.ID, opts.Classes); err != nil {
			return err
		}
		// The page lists students to remind, class by class.
		filter.Sort, filter.Statuses = store.SortClass, view.ToRemind(filter.Statuses)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer snap.Close()
	var counts view.Counts
	students := view.Counted(studentsOf(ctx, snap, filter), &counts)
	var doc output.Document
	var rescheduled int
	switch {
	case opts.ToReschedule:
		certs, err := snap.Certifications(ctx, estab.ID)
		if err != nil {
			return err
		}
		doc = view.Reschedule(studentsOf(ctx, snap, filter), &certs, scope, &rescheduled)
	case opts.Format == "html":
		doc = view.Dashboard(view.DashboardData{
			Scope: scope, Date: opts.f.Now(), ByClass: opts.ByClass, Classes: classes, Students: students,
			Statuses: filter.Statuses, Search: opts.Search,
		})
	default:
		doc = view.Report(students, opts.ByClass, scope)
	}
	doc.Created = opts.f.Now()
	if opts.Output == "" {
		return noted(opts.f, note, newWriter(opts.f, opts.Format, reportFormats, opts.f.Out).Write(opts.f.Out, doc))
	}
	w, _ := output.New(opts.Format, reportFormats)
	if err := writeFile(opts.Output, func(out io.Writer) error { return w.Write(out, doc) }); err != nil {
		return err
	}
	if opts.ToReschedule {
		fmt.Fprintf(opts.f.Err, "%s écrit : %s.\n", visible.Escape(opts.Output),
			french.Plural(rescheduled, "élève à inscrire à une autre session", "élèves à inscrire à une autre session"))
		return noted(opts.f, note, nil)
	}
	if opts.Format == "html" {
		written := fmt.Sprintf("%d classe", len(classes))
		if len(classes) > 1 {
			written += "s"
		}
		fmt.Fprintf(opts.f.Err, "%s écrit : %s ; à relancer, %s.\n", visible.Escape(opts.Output), written, counts.Line())
		return noted(opts.f, note, nil)
	}
	fmt.Fprintf(opts.f.Err, "%s écrit : %s.\n", visible.Escape(opts.Output), counts.Line())
	return noted(opts.f, note, nil)
}

// dashboardClasses are the classes of the dashboard, each counted whole:
// its bar says how it stands, whichever of its students the filters list.
// They are read before the students' snapshot: an import in between would
// only make a bar and a list of the same page disagree.
func dashboardClasses(ctx context.Context, st *store.Store, establishment int64, classes []string) ([]view.DashboardClass, error) {
	counts, err := st.ClassCounts(ctx, establishment, classes)
	if err != nil {
		return nil, err
	}
	history, err := st.ClassHistory(ctx, establishment, classes)
	if err != nil {
		return nil, err
	}
	// Both name a class by the first of its spellings, per establishment.
	type classKey struct {
		establishment int64
		class         string
	}
	points := map[classKey][]view.RatePoint{}
	for _, h := range history {
		if len(h.Points) < 2 {
			continue // one collecte is no history: the bar says it
		}
		for _, p := range h.Points {
			k := classKey{h.EstablishmentID, h.Class}
			points[k] = append(points[k], view.RatePoint{Date: p.Day, Students: p.Students, Certifiable: p.Certifiable})
		}
	}
	out := make([]view.DashboardClass, len(counts))
	for i, c := range counts {
		out[i] = view.DashboardClass{ClassCount: c, History: points[classKey{c.EstablishmentID, c.Class}]}
	}
	return out, nil
}

// writeFile writes a file readable by its owner only (student data is
// personal data, whatever the mode of a file it replaces), in a temporary
// file of the same folder renamed over path once complete: a failed or
// interrupted writing (Ctrl-C cancels the reading, see Main) leaves the file
// before as it was, and nothing else.
func writeFile(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp") // 0600
	if err != nil {
		return fmt.Errorf("impossible d'écrire %s : %w", visible.Escape(path), err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("écriture de %s : %w ; le fichier n'a pas été modifié", visible.Escape(path), err)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// checkOutputPath refuses a report file that would destroy what pixcert
// or another program keeps: the store, the files SQLite keeps beside it,
// the configuration file, any SQLite file, or a folder.
func checkOutputPath(f *Factory, path, format string) error {
	cfg, err := config.Load(f.flags, f.configFile)
	if err != nil {
		return err
	}
	shown := visible.Escape(path)
	example := "relance." + format
	protected := []struct{ path, what string }{
		{cfg.DBPath, "la base de pixcert"},
		{cfg.DBPath + "-wal", "un fichier de la base de pixcert (journal WAL)"},
		{cfg.DBPath + "-shm", "un fichier de la base de pixcert (mémoire partagée)"},
		{cfg.DBPath + "-journal", "un fichier de la base de pixcert (journal)"},
	}
	if cfg.File != "" {
		protected = append(protected, struct{ path, what string }{cfg.File, "le fichier de configuration de pixcert"})
	}
	for _, p := range protected {
		if samePath(path, p.path) {
			return usageErrorf("« %s » est %s : pixcert ne l'écrase pas. Choisissez un autre fichier, par exemple -o %s", shown, p.what, example)
		}
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("impossible d'écrire %s : %w", shown, err)
	case info.IsDir():
		return usageErrorf("« %s » est un dossier : indiquez un fichier, par exemple -o %s", shown, filepath.Join(path, example))
	case !info.Mode().IsRegular():
		// A device or a pipe would be replaced by a file, not written to.
		return usageErrorf("« %s » n'est pas un fichier ordinaire : pour la sortie standard, n'indiquez pas -o", shown)
	}
	if kind := sqliteFile(path); kind != "" {
		return usageErrorf("« %s » est %s : pixcert ne l'écrase pas. Choisissez un autre fichier, par exemple -o %s", shown, kind, example)
	}
	return nil
}

// samePath tells whether two paths name one file: the same file when both
// exist, else the same absolute path, through the links of its folder, as
// the system compares names.
func samePath(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	ra, rb := resolved(a), resolved(b)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" { // names compare without case there
		return strings.EqualFold(ra, rb)
	}
	return ra == rb
}

// resolved is a path made absolute and clean, its folder's links followed
// when the folder exists.
func resolved(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	dir, name := filepath.Split(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(real, name)
	}
	return abs
}

// The first bytes of SQLite's files: a database, a rollback journal, a
// write-ahead log (either byte order).
var sqliteMagics = []struct {
	magic, what string
}{
	{"SQLite format 3\x00", "une base de données SQLite"},
	{"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7", "un journal de base de données SQLite"},
	{"\x37\x7f\x06\x82", "un journal WAL de base de données SQLite"},
	{"\x37\x7f\x06\x83", "un journal WAL de base de données SQLite"},
}

// sqliteFile says what SQLite file path is, "" when it is none.
func sqliteFile(path string) string {
	file, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer file.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(file, head)
	for _, m := range sqliteMagics {
		if strings.HasPrefix(string(head[:n]), m.magic) {
			return m.what
		}
	}
	return ""
}
