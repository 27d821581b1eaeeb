// Package cmd is pixcert's command line: flags, arguments, help and exit
// codes. The work itself is done under internal/.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pixcert/pixcert/internal/buildinfo"
	"github.com/pixcert/pixcert/internal/config"
	"github.com/pixcert/pixcert/internal/crash"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/importer"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/visible"
)

// commandMemoryLimit is the soft limit of the Go heap of a command.
const commandMemoryLimit = 150 << 20

// Exit codes, documented in `pixcert --help` and the README.
const (
	ExitOK           = 0
	ExitInvalidFiles = 1   // an import was refused: a file has errors, nothing was stored
	ExitUsage        = 2   // the command line is wrong, or names no store
	ExitFailure      = 3   // the database or the system failed, or check found a problem
	ExitInternal     = 4   // a bug in pixcert (a panic): nothing was stored
	ExitInterrupted  = 130 // Ctrl-C: the shells' code for a command ended by SIGINT
)

const exitCodesHelp = `Codes de sortie :
  0  succès
  1  import refusé : un fichier contient des erreurs, rien n'a été enregistré
  2  commande mal écrite (option, argument ou valeur inconnus), élève, participant,
     classe ou établissement introuvable ou ambigu, motif de fichiers sans fichier,
     confirmation non donnée, rien d'importé encore, fichier --db qui n'est pas une
     base pixcert
  3  échec de la base de données ou du système, base occupée par un autre pixcert,
     ou base en mauvais état (pixcert check)
  4  erreur interne de pixcert (un défaut du programme, à signaler) : rien n'a été enregistré
  130 interrompu (Ctrl-C) : rien n'a été enregistré`

// Factory holds what commands share: the streams, the clock, and the store,
// opened on first use.
type Factory struct {
	In       io.Reader
	Out, Err io.Writer
	Now      func() time.Time
	// IsTerminal tells whether a stream is a terminal, where a workbook
	// must not be written.
	IsTerminal func(any) bool
	// TerminalWidth is the width of a stream, in cells, when it is a
	// terminal, 0 otherwise: tables fit it.
	TerminalWidth func(any) int
	// Getenv reads the environment (COLUMNS); nil reads nothing.
	Getenv func(string) string

	configFile string
	flags      *pflag.FlagSet
	store      *store.Store
	cleanups   []func() // run once the store is closed
}

// Store opens the store the configuration names, creating it on first
// use: what import needs.
func (f *Factory) Store(ctx context.Context) (*store.Store, error) {
	return f.openStore(ctx, store.Open)
}

// ExistingStore opens the store the configuration names, which must exist:
// a command that reads never creates one.
func (f *Factory) ExistingStore(ctx context.Context) (*store.Store, error) {
	return f.openStore(ctx, store.OpenExisting)
}

func (f *Factory) openStore(ctx context.Context, open func(context.Context, string) (*store.Store, error)) (*store.Store, error) {
	if f.store != nil {
		return f.store, nil
	}
	cfg, err := config.Load(f.flags, f.configFile)
	if err != nil {
		return nil, err
	}
	st, err := open(ctx, cfg.DBPath)
	switch {
	case errors.Is(err, store.ErrNoStore):
		return nil, &usageError{noHint: true, cause: err, msg: fmt.Sprintf("rien n'a encore été importé (pas de base %s). Pour commencer, importez "+
			"la liste des élèves et les exports « Collecte de profils », par exemple :\n  pixcert import eleves.csv Resultats-*.csv", cfg.DBPath)}
	case errors.Is(err, store.ErrNotAStore):
		return nil, &usageError{noHint: true, cause: err, msg: err.Error()}
	case err != nil:
		return nil, err
	}
	warnings := st.Warnings
	if dir, err := config.DefaultDir(); err == nil && filepath.Dir(cfg.DBPath) == dir {
		// pixcert's own folder, which holds the store and the configuration.
		if w := store.ProtectFolder(dir); w != "" {
			warnings = append(warnings, w)
		}
	}
	for _, w := range warnings {
		fmt.Fprintf(f.Err, "pixcert : attention : %s\n", visible.Escape(w))
	}
	f.store = st
	return st, nil
}

func (f *Factory) close() {
	if f.store != nil {
		f.store.Close()
	}
	for _, cleanup := range f.cleanups {
		cleanup()
	}
}

// usageError is a mistake in the command line. A lookup that finds no one
// or several (a student, a participant) is one too, but its message already
// says what to do: noHint leaves out the pointer to --help.
type usageError struct {
	msg    string
	noHint bool
	cause  error // what it comes from, for errors.Is
}

func (e *usageError) Error() string { return e.msg }
func (e *usageError) Unwrap() error { return e.cause }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// clock is the time pixcert lives at: now, or, for end-to-end tests whose
// output depends on the day (sessions to come, dates of a plan), the
// moment PIXCERT_NOW says (RFC 3339, or a day at noon in Paris).
func clock(getenv func(string) string) func() time.Time {
	text := getenv("PIXCERT_NOW")
	if text == "" {
		return time.Now
	}
	at, err := time.Parse(time.RFC3339, text)
	if err != nil {
		day, dayErr := time.ParseInLocation("2006-01-02", text, frdate.Paris())
		if dayErr != nil {
			return time.Now
		}
		at = day.Add(12 * time.Hour)
	}
	return func() time.Time { return at }
}

// Main runs pixcert with args and returns its exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	// A panic is a bug: said as one, with a line to report, and an exit
	// code of its own. By then the store's transaction is rolled back
	// (nothing is committed before a command's last step) and the
	// Factory's deferred close has removed temporary files.
	defer func() {
		if r := recover(); r != nil {
			code = internalError(stderr, crash.Recovered(r))
		}
	}()
	// A command lives a few milliseconds: collecting less often makes a
	// school's commands 20 to 35 % faster (BenchmarkSchoolCommands, with
	// and without GOGC=100: status 52 against 66 ms, report 35 against 52
	// on a loaded machine). The limit bounds what that costs a command
	// that reads an académie: past it the collector runs as often as
	// needed. An import sets its own (importMemoryLimit).
	if os.Getenv("GOGC") == "" { // a developer's setting wins
		debug.SetGCPercent(400)
	}
	debug.SetMemoryLimit(commandMemoryLimit)
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		// The shell asks for completions as one types: its scripts ignore
		// what goes to stderr, cobra's notes in English included, and
		// nothing may appear on the terminal.
		stderr = io.Discard
	}
	f := &Factory{In: stdin, Out: stdout, Err: stderr, Now: clock(os.Getenv), IsTerminal: isTerminal, TerminalWidth: terminalWidth, Getenv: os.Getenv}
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := func() error {
		defer f.close()
		// Ctrl-C cancels the command's context: the store's transaction
		// is rolled back and temporary files removed, as on any failure.
		// A second Ctrl-C ends pixcert at once.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		go func() {
			<-ctx.Done()
			stop()
		}()
		err := root.ExecuteContext(ctx)
		if err != nil && ctx.Err() != nil {
			// SQLite says "interrupted", a reader may say anything else.
			return errInterrupted
		}
		return err
	}()
	if err == nil {
		return ExitOK
	}
	var usage *usageError
	var choice *store.ChoiceError
	switch {
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(stderr, "pixcert : interrompu : rien n'a été enregistré.")
		return ExitInterrupted
	case errors.Is(err, importer.ErrInvalidFiles):
		return ExitInvalidFiles // every problem is already printed
	case errors.As(err, &choice):
		// Its message lists the establishments to choose from.
		fmt.Fprintf(stderr, "pixcert : %s\n", visible.Lines(err.Error()))
		return ExitUsage
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "pixcert : %s\n", visible.Lines(err.Error()))
		if !usage.noHint {
			fmt.Fprintln(stderr, "Aide : pixcert --help")
		}
		return ExitUsage
	default:
		fmt.Fprintf(stderr, "pixcert : %s\n", visible.Lines(frenchMessage(err)))
		return ExitFailure
	}
}

// errInterrupted is a command stopped by Ctrl-C.
var errInterrupted = errors.New("interrompu")

// internalError tells a person that pixcert failed, not them, and what to
// send to have it fixed.
func internalError(stderr io.Writer, p *crash.Panic) int {
	fmt.Fprintf(stderr, "pixcert : erreur interne de pixcert : la commande s'est arrêtée sans rien enregistrer.\n"+
		"Merci de signaler cette ligne à l'équipe de pixcert, avec la commande lancée (sans les noms des élèves) :\n"+
		"  %s : %s\n", buildinfo.Current(), visible.Escape(p.Error()))
	return ExitInternal
}

func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "pixcert",
		Short: "Suivi de la certificabilité Pix des élèves d'un établissement",
		Long: `pixcert importe la liste des élèves et les exports des campagnes « Collecte de profils »
de Pix Orga, puis dit pour chaque élève s'il est certifiable (au moins 5 compétences de
niveau 1 ou plus) d'après le dernier profil qu'il a envoyé, et à quelle date, classe par
classe. Les données restent sur cet ordinateur.

Les tableaux tiennent dans la largeur du terminal, et dans 80 colonnes dans un fichier ou
un tube ; la variable COLUMNS impose une largeur (COLUMNS=0 : sans limite).

` + exitCodesHelp,
		Example: `  pixcert import eleves.csv Resultats-Collecte-3e-4521-2026-03-14-1042.csv
  pixcert status --class 3E2 --not-certifiable
  pixcert classes
  pixcert report --not-certifiable -o relance.xlsx --by-class
  pixcert unmatched
  pixcert show "martin tom"`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return guideRun(cmd.Context(), f) },
	}
	root.CompletionOptions.DisableDefaultCmd = true // its help is English: pixcert has its own
	root.SuggestionsMinimumDistance = 2
	pf := root.PersistentFlags()
	pf.String("db", "", "fichier de la base de données (par défaut : dossier de configuration/pixcert/pixcert.db ; variable PIXCERT_DB)")
	pf.StringVar(&f.configFile, "config", "", "fichier de configuration (par défaut : dossier de configuration/pixcert/config.yaml ; pixcert config le montre)")
	pf.BoolP("help", "h", false, "affiche cette aide")
	f.flags = pf

	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{msg: frenchFlagError(err)}
	})
	cobra.AddTemplateFunc("frenchFlagUsages", frenchFlagUsages)
	cobra.AddTemplateFunc("useLine", useLine)
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpCommand(newHelpCmd())
	root.AddCommand(newConfigCmd(f), newCompletionCmd())
	root.AddCommand(newImportCmd(f, nil), newStatusCmd(f, nil), newReportCmd(f, nil), newClassesCmd(f, nil),
		newUnmatchedCmd(f, nil), newLinkCmd(f), newUnlinkCmd(f), newShowCmd(f), newCheckCmd(f), newForgetCmd(f), newPurgeCmd(f), newChangesCmd(f), newImportsCmd(f))
	root.AddCommand(newResultsCmd(f, nil), newSessionsCmd(f))
	root.AddCommand(newVersionCmd(f))
	// --version says what `pixcert version` does. No -v: cobra's default
	// would take the letter a --verbose may want.
	root.Version = buildinfo.Current().String()
	root.SetVersionTemplate(versionTemplate)
	root.Flags().Bool("version", false, "affiche la version de pixcert, son commit et sa date de construction")
	addCompletions(root, f) // after every command and flag it completes
	return root
}

// minArgs, exactArgs and noArgs are cobra's validators with French messages.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("%s manquant : pixcert %s", what, cmd.Use)
		}
		return nil
	}
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < n:
			return usageErrorf("%s manquant : pixcert %s", what, cmd.Use)
		case len(args) > n:
			return usageErrorf("argument en trop « %s » : pixcert %s (mettez un nom composé entre guillemets)", args[n], cmd.Use)
		}
		return nil
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("argument inattendu « %s » : pixcert %s ne prend que des options", args[0], cmd.Name())
	}
	return nil
}

// frenchFlagUsages lists flags as pflag does, in French: a value's type is
// named, a default is said « par défaut ».
func frenchFlagUsages(flags *pflag.FlagSet) string {
	type line struct{ left, usage string }
	var lines []line
	width := 0
	flags.VisitAll(func(fl *pflag.Flag) {
		if fl.Hidden {
			return
		}
		left := "      --" + fl.Name
		if fl.Shorthand != "" {
			left = "  -" + fl.Shorthand + ", --" + fl.Name
		}
		switch fl.Value.Type() {
		case "bool":
		case "stringSlice":
			left += " VALEUR,..."
		default:
			left += " TEXTE"
		}
		usage := fl.Usage
		// A description that says its default says more than the value
		// (« d'après l'extension de -o, sinon csv »): said once.
		if def := fl.DefValue; def != "" && def != "false" && def != "[]" && !strings.Contains(usage, "par défaut") {
			usage += fmt.Sprintf(" (par défaut : %s)", def)
		}
		lines = append(lines, line{left, usage})
		width = max(width, len([]rune(left)))
	})
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.left + strings.Repeat(" ", width-len([]rune(l.left))+3) + l.usage)
	}
	return b.String()
}

const usageTemplate = `Utilisation :{{if .Runnable}}
  {{useLine .}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [commande]{{end}}{{if gt (len .Aliases) 0}}

Alias :
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Exemples :
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Commandes :{{range .Commands}}{{if .IsAvailableCommand}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Options :
{{frenchFlagUsages .LocalFlags}}{{end}}{{if .HasAvailableInheritedFlags}}

Options communes :
{{frenchFlagUsages .InheritedFlags}}{{end}}{{if .HasAvailableSubCommands}}

« pixcert help [commande] » ou « {{.CommandPath}} [commande] --help » décrit chaque commande.{{end}}
`
