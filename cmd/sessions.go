package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/printout"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
	"github.com/pixcert/pixcert/internal/visible"
)

var sessionsFormats = []string{"table", "csv", "xlsx", "json", "md", "html"}

// sessionsOptions are the flags of `pixcert sessions`.
type sessionsOptions struct {
	f *Factory
	establishmentChoice
	Format string
	Output string
	Detail bool
	IDs    []int64
}

func newSessionsCmd(f *Factory) *cobra.Command {
	opts := &sessionsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "sessions [N°...]",
		Short: "Liste les sessions de certification planifiées, et les prépare (sous-commandes)",
		Long: `Liste les sessions de certification planifiées (pixcert sessions plan) : numéro, date,
heure de début et de fin (celle du candidat le plus long, temps majoré compris), site, salle,
places, candidats, classes et surveillants. Avec des numéros, ou --detail, liste aussi les
candidats de chaque session.

-o écrit le planning dans un fichier dont l'extension donne le format : .csv (un candidat par
ligne, avec sa session), .xlsx (les sessions, puis une feuille par session), .json, .md, ou
.html (une page à imprimer : l'occupation de chaque session, puis ses candidats, une page par
session).

Le cycle d'une certification :
  1. pixcert sessions plan     répartit les élèves certifiables dans les salles et créneaux
  2. pixcert sessions move / remove / cancel   corrige le planning
  3. pixcert sessions convocations, emargement   imprime ce qu'il faut le jour J
  4. pixcert sessions inscriptions   liste par classe pour inscrire les candidats dans Pix Certif
     (ou pixcert sessions pix-certif pour l'import en masse des centres qui l'utilisent)
  5. pixcert import 20260316_resultats_3E1.csv, puis pixcert results : qui a obtenu la
     certification, qui était absent ; pixcert report --to-reschedule : qui réinscrire`,
		Example: `  pixcert sessions
  pixcert sessions 2 3
  pixcert sessions --detail -o planning.xlsx
  pixcert sessions -o planning.html`,
		Args: sessionNumbers(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.IDs, err = parseSessionNumbers(args); err != nil {
				return err
			}
			if err := checkDocumentFormat(opts.f, opts.Format, sessionsFormats); err != nil {
				return err
			}
			if opts.Format, err = outputFormat(opts.f, opts.Output, opts.Format, cmd.Flags().Changed("format"), sessionsFormats,
				"la page HTML (-o planning.html)"); err != nil {
				return err
			}
			return sessionsRun(cmd, opts)
		},
	}
	opts.addFlag(cmd.PersistentFlags())
	cmd.Flags().StringVar(&opts.Format, "format", "table", "format : "+strings.Join(sessionsFormats, ", ")+" (par défaut : d'après l'extension de -o, sinon table)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "fichier à écrire (par défaut : la sortie standard)")
	cmd.Flags().BoolVar(&opts.Detail, "detail", false, "liste aussi les candidats de chaque session")
	cmd.AddCommand(newSessionsPlanCmd(f, &opts.establishmentChoice), newSessionsMoveCmd(f, &opts.establishmentChoice),
		newSessionsRemoveCmd(f, &opts.establishmentChoice), newSessionsCancelCmd(f),
		newSessionsPrintCmd(f, &opts.establishmentChoice, "convocations"), newSessionsPrintCmd(f, &opts.establishmentChoice, "emargement"),
		newSessionsInscriptionsCmd(f, &opts.establishmentChoice), newSessionsPixCertifCmd(f, &opts.establishmentChoice))
	return cmd
}

// checkDocumentFormat refuses an unknown format.
func checkDocumentFormat(f *Factory, format string, formats []string) error {
	if _, err := output.New(format, formats); err != nil {
		return &usageError{msg: err.Error()}
	}
	return nil
}

// sessionNumbers accepts session numbers after n other arguments.
func sessionNumbers(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		_, err := parseSessionNumbers(args[min(n, len(args)):])
		return err
	}
}

func parseSessionNumbers(args []string) ([]int64, error) {
	var ids []int64
	for _, a := range args {
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(a), "n°"), 10, 64)
		if err != nil || id <= 0 {
			return nil, usageErrorf("« %s » n'est pas un numéro de session : pixcert sessions les liste, avec leur numéro", visible.Quote(a))
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// sessionsOf opens the store and reads the sessions of the establishment
// chosen (all of them when the store holds one), or those of ids; with
// upcoming and no ids, those from today on: what is printed or enrolled is
// for sessions to come, a session held is printed again only by its number.
func sessionsOf(ctx context.Context, f *Factory, ec *establishmentChoice, ids []int64, upcoming bool) ([]store.StoredSession, scoped, error) {
	sc, err := openScoped(ctx, f, ec, nil)
	if err != nil {
		return nil, sc, err
	}
	var list []store.StoredSession
	if upcoming && len(ids) == 0 {
		list, err = sc.st.SessionsFrom(ctx, sc.estab.ID, f.Now().In(frdate.Paris()).Format("2006-01-02"))
	} else {
		list, err = sc.st.Sessions(ctx, sc.estab.ID, ids)
	}
	if err != nil {
		return nil, sc, err
	}
	if len(ids) > len(list) {
		var missing []string
		for _, id := range ids {
			found := false
			for _, se := range list {
				found = found || se.ID == id
			}
			if !found {
				missing = append(missing, strconv.FormatInt(id, 10))
			}
		}
		return nil, sc, &usageError{noHint: true, msg: fmt.Sprintf("aucune session n° %s%s : pixcert sessions les liste, avec leur numéro",
			strings.Join(missing, ", "), map[bool]string{true: " dans cet établissement", false: ""}[sc.estab.ID != 0])}
	}
	if len(list) > 0 && sc.scope.Establishment == "" && !sc.scope.Several {
		sc.scope.Establishment = list[0].Establishment
	}
	return list, sc, nil
}

// noSessions says there is no session yet, and how to plan them.
func noSessions(f *Factory) {
	fmt.Fprintln(f.Err, "Aucune session planifiée. Pour répartir les élèves certifiables dans des salles et des créneaux :\n"+
		"  pixcert sessions plan --salle CDI:30 --creneau \"16/03/2026 08:30\" --surveillant \"Mme Durand\"\n"+
		"ou avec un fichier de planning : pixcert sessions plan --plan planning.csv (pixcert help sessions plan)")
}

// noSessionsToCome says there is no session from today on.
func noSessionsToCome(f *Factory) {
	fmt.Fprintln(f.Err, "Aucune session à venir (pixcert sessions les liste toutes ; une session passée s'imprime par son numéro, "+
		"par exemple pixcert sessions emargement 2 -o emargement.html). Pour en planifier : pixcert sessions plan")
}

func sessionsRun(cmd *cobra.Command, opts *sessionsOptions) error {
	ctx := cmd.Context()
	if opts.Output == "" && output.FileOnly(opts.Format) && opts.f.IsTerminal(opts.f.Out) {
		return usageErrorf("le format %s ne s'affiche pas dans un terminal : écrivez-le dans un fichier avec -o planning.%s", opts.Format, opts.Format)
	}
	if opts.Output != "" {
		if err := checkOutputPath(opts.f, opts.Output, opts.Format); err != nil {
			return err
		}
	}
	list, sc, err := sessionsOf(ctx, opts.f, &opts.establishmentChoice, opts.IDs, false)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		noSessions(opts.f)
		if opts.Format == "table" {
			return nil
		}
	}
	doc := view.Sessions(list, opts.Detail || len(opts.IDs) > 0 || opts.Format == "xlsx", sc.scope, opts.f.Now())
	if opts.Format == "csv" {
		doc = view.SessionCandidates(list, sc.scope)
	}
	doc.Created = opts.f.Now()
	return writeDocument(opts.f, opts.Output, opts.Format, sessionsFormats, doc, func() string {
		return view.SessionsLine(list)
	})
}

// writeDocument writes doc to out, or to the standard output, and says
// what a file holds.
func writeDocument(f *Factory, out, format string, formats []string, doc output.Document, said func() string) error {
	if out == "" {
		return newWriter(f, format, formats, f.Out).Write(f.Out, doc)
	}
	w, _ := output.New(format, formats)
	if err := writeFile(out, func(file io.Writer) error { return w.Write(file, doc) }); err != nil {
		return err
	}
	fmt.Fprintf(f.Err, "%s écrit : %s.\n", visible.Escape(out), said())
	return nil
}

// newSessionsPrintCmd is `pixcert sessions convocations` and `pixcert
// sessions emargement`: an HTML page to print, from the plan.
func newSessionsPrintCmd(f *Factory, ec *establishmentChoice, what string) *cobra.Command {
	var out string
	cmd := &cobra.Command{Args: sessionNumbers(0)}
	example := "emargement.html"
	switch what {
	case "convocations":
		example = "convocations.html"
		cmd.Use = "convocations [N°...] -o convocations.html"
		cmd.Short = "Écrit les convocations des candidats, une par page, à imprimer"
		cmd.Long = `Écrit une page HTML à ouvrir dans un navigateur et à imprimer (ou « Enregistrer au format
PDF ») : une convocation par candidat et par page, session après session — nom, classe, date,
heure d'arrivée et de début, fin prévue (temps majoré compris), site et salle, ce qu'il faut
apporter, et le rappel de se connecter à Pix avant le jour J. Sans numéro, toutes les
sessions planifiées ; avec des numéros, celles-là.`
		cmd.Example = `  pixcert sessions convocations -o convocations.html
  pixcert sessions convocations 2 -o convocations-session-2.html`
	default:
		cmd.Use = "emargement [N°...] -o emargement.html"
		cmd.Aliases = []string{"émargement"}
		cmd.Short = "Écrit les feuilles d'émargement des sessions, à imprimer"
		cmd.Long = `Écrit une page HTML à imprimer : pour chaque session, les feuilles d'émargement comme celles
de Pix — site, salle, date, heure et surveillants en tête, puis « Nom de naissance »,
« Prénom », « Date de naissance », « Classe » et « Signature », 20 candidats par page ; un
candidat avec un temps majoré est signalé. Sans numéro, toutes les sessions planifiées.`
		cmd.Example = `  pixcert sessions emargement -o emargement.html
  pixcert sessions emargement 1 2 -o emargement.html`
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if out == "" && f.IsTerminal(f.Out) {
			return usageErrorf("une page HTML se lit dans un navigateur, pas dans un terminal : écrivez-la dans un fichier avec -o %s", example)
		}
		p, err := readPrinted(cmd, f, ec, args, out, "html", example)
		if p == nil || err != nil {
			return err
		}
		planned, sc, candidates := p.sessions, p.sc, p.candidates
		write := func(w io.Writer) error {
			if what == "convocations" {
				return printout.Convocations(w, printout.ConvocationDoc{Establishment: sc.scope.Establishment, Sessions: planned, Created: f.Now()})
			}
			return printout.AttendanceSheets(w, printout.AttendanceDoc{Establishment: sc.scope.Establishment, Sessions: planned, Created: f.Now()})
		}
		if out == "" {
			return write(f.Out)
		}
		if err := writeFile(out, write); err != nil {
			return err
		}
		said := french.Plural(candidates, "convocation", "convocations")
		if what != "convocations" {
			said = french.Plural(len(planned), "session", "sessions") + ", " + french.Plural(candidates, "candidat", "candidats")
		}
		fmt.Fprintf(f.Err, "%s écrit : %s. Ouvrez-le dans un navigateur pour l'imprimer.\n", visible.Escape(out), said)
		return nil
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "fichier HTML à écrire")
	return cmd
}

// printed is what a printed document, or a file for Pix Certif, is made
// of: the sessions chosen, with their candidates.
type printed struct {
	sessions   []sessions.Session
	sc         scoped
	candidates int
}

// readPrinted checks -o (out, of format; example names a good one), then
// reads the sessions numbered in args, all of them when none. It returns
// nil, having said so, when there is no session.
func readPrinted(cmd *cobra.Command, f *Factory, ec *establishmentChoice, args []string, out, format, example string) (*printed, error) {
	ids, err := parseSessionNumbers(args)
	if err != nil {
		return nil, err
	}
	if _, err := outputFormat(f, out, format, false, []string{format}, example); err != nil {
		return nil, err
	}
	if out != "" {
		if err := checkOutputPath(f, out, format); err != nil {
			return nil, err
		}
	}
	list, sc, err := sessionsOf(cmd.Context(), f, ec, ids, true)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		noSessionsToCome(f)
		return nil, nil
	}
	p := &printed{sc: sc}
	for i := range list {
		p.sessions = append(p.sessions, list[i].Session)
		p.candidates += len(list[i].Candidates)
	}
	return p, nil
}
