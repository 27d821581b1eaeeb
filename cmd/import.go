package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/importer"
	"github.com/pixcert/pixcert/internal/progress"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/tabfile"
)

// importMemoryLimit is the soft limit of the Go heap during an import:
// above what an académie's import keeps alive (about 190 MB at a million
// students), or the collector would run without end.
const importMemoryLimit = 240 << 20

// importOptions are the flags and dependencies of `pixcert import`.
type importOptions struct {
	f         *Factory
	Files     []string
	DryRun    bool
	Encoding  string
	Separator string
	Sheet     string
	// Establishment is --etablissement.
	Establishment string
}

func newImportCmd(f *Factory, runF func(*importOptions) error) *cobra.Command {
	opts := &importOptions{f: f}
	cmd := &cobra.Command{
		Use:   "import FICHIER...",
		Short: "Importe la liste des élèves et les exports « Collecte de profils »",
		Long: `Importe, en une seule fois, la liste des élèves et les exports des campagnes « Collecte de
profils » téléchargés depuis Pix Orga (onglet Résultats de la campagne).

Chaque fichier est reconnu d'après son contenu :
  - liste d'élèves : format d'import SIECLE ou SUP de Pix Orga, formats générique et ONDE,
    extraction du logiciel de vie scolaire (colonnes nom, prénom, classe ; ou une colonne
    « Élève » avec « NOM Prénom »), export SIECLE ElevesSansAdresses.xml (ou son .zip) ;
  - export « Collecte de profils » : tel que Pix l'écrit, ou réenregistré par Excel.
Fichiers CSV (encodage UTF-8, UTF-16, Windows-1252, Mac Roman ou ISO-8859-15, séparateur
; , ou tabulation, détectés) ou classeurs Excel .xlsx (première feuille reconnue, ou --sheet).
« - » lit l'entrée standard (un tube ou une redirection), reconnue de la même façon.
Un nom avec * ? ou [ qui n'est pas un fichier (Resultats-*.csv sous Windows, ou entre
guillemets) est développé par pixcert, qui dit quels fichiers il désigne ; aucun : refusé.

Un fichier hors normes est refusé avant d'être lu en entier : ligne de plus de 1 Mo, cellule
de plus de 32 767 caractères, nom de plus de 200, classe de plus de 100 ; archive .zip ou
classeur .xlsx trop gros une fois décompressé (256 Mo par fichier d'archive, 512 Mo par
classeur) ou plus de 200 fois plus gros que compressé ; entrée standard de plus de 1 Go.

Une liste d'élèves importée devient la liste actuelle : les élèves absents n'apparaissent
plus, mais leur historique est gardé. Importer deux fois le même export ne change rien.

Établissements : chaque export appartient à l'établissement que nomme sa colonne « Nom de
l'organisation », l'export SIECLE XML à son UAI. Une liste d'élèves d'un autre format va à
l'établissement des exports importés avec elle, ou au seul de la base ; quand la base en
tient plusieurs, --etablissement dit lequel (le début de son nom, ou son UAI).

Tout ou rien : si un fichier contient une erreur, toutes les erreurs sont affichées
(fichier, ligne, colonne) et rien n'est enregistré.`,
		Example: `  pixcert import eleves.csv Resultats-Collecte-3e-4521-2026-03-14-1042.csv
  pixcert import Resultats-*.csv
  pixcert import --dry-run eleves.csv
  pixcert import ElevesSansAdresses.zip Resultats-*.xlsx --sheet Feuil1
  pixcert import - < eleves.csv
  pixcert import --etablissement "Lycée Victor Hugo" eleves-lycee.csv`,
		Args: minArgs(1, "fichier à importer"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if n := stdinArgs(args); n > 1 {
				return usageErrorf("« - » (l'entrée standard) est donné %d fois : elle ne se lit qu'une fois", n)
			}
			if runF != nil {
				return runF(opts)
			}
			return importRun(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "vérifie les fichiers et affiche le bilan sans rien enregistrer")
	cmd.Flags().StringVar(&opts.Encoding, "encoding", "", "impose l'encodage des fichiers (utf-8, utf-16, windows-1252, macroman, iso-8859-1, iso-8859-15)")
	cmd.Flags().StringVar(&opts.Separator, "separator", "", "impose le séparateur des fichiers CSV (« ; », « , » ou « tab »)")
	cmd.Flags().StringVar(&opts.Sheet, "sheet", "", "feuille à lire dans les classeurs Excel (par défaut : la première dont l'en-tête est reconnu)")
	cmd.Flags().StringVar(&opts.Establishment, "etablissement", "", "établissement des listes d'élèves qui ne le disent pas, quand la base en tient plusieurs (début du nom, ou UAI)")
	return cmd
}

func importRun(cmd *cobra.Command, opts *importOptions) error {
	files, expansions, err := importer.ExpandPatterns(opts.Files, fileExists, filepath.Glob)
	if err != nil {
		return &usageError{noHint: true, msg: err.Error(), cause: err}
	}
	for _, e := range expansions {
		fmt.Fprintln(opts.f.Err, e)
	}
	opts.Files = files
	var stdin io.Reader
	if stdinArgs(opts.Files) > 0 {
		if opts.f.IsTerminal(opts.f.In) {
			return usageErrorf("« - » lit l'entrée standard, qui est ici le terminal : donnez le fichier à travers un tube ou une redirection, " +
				"par exemple « pixcert import - < eleves.csv », ou donnez son nom")
		}
		stdin = opts.f.In
	}
	iopts := importer.Options{DryRun: opts.DryRun, Sheet: opts.Sheet, Now: opts.f.Now(), Stdin: stdin, Establishment: opts.Establishment}
	if opts.Encoding != "" {
		enc, err := tabfile.ParseEncoding(opts.Encoding)
		if err != nil {
			return &usageError{msg: err.Error()}
		}
		iopts.Encoding = &enc
	}
	if opts.Separator != "" {
		sep, err := tabfile.ParseSeparator(opts.Separator)
		if err != nil {
			return &usageError{msg: err.Error()}
		}
		iopts.Separator = sep
	}
	st, err := importStore(cmd, opts)
	if err != nil {
		return err
	}
	// An académie's import keeps about two hundred bytes a student in
	// memory: the collector keeps its usual pace, not the slower one of
	// short commands, and works harder near the limit rather than let the
	// heap double.
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(importMemoryLimit)
	bar := startProgressBar(opts.f, &iopts)
	defer bar.Stop() // on a panic too
	res, err := importer.Run(cmd.Context(), st, opts.Files, iopts)
	bar.Stop() // erased before the summary, or the errors, are written
	if errors.Is(err, importer.ErrInvalidFiles) {
		res.WriteErrors(opts.f.Err)
		return err
	}
	if err != nil {
		return err
	}
	res.WriteSummary(opts.f.Err)
	if opts.DryRun || !res.ReadARoster() {
		return nil
	}
	// A roster imported alone is the usual first step: its students are
	// all « Non communiqué » until an export comes, and the summary says why.
	note, err := withoutCollecte(cmd.Context(), scoped{st: st})
	return noted(opts.f, note, err)
}

// Progress bars: drawn once an import has lasted progressDelay, redrawn
// every progressInterval.
const (
	progressDelay    = time.Second
	progressInterval = 100 * time.Millisecond
)

// startProgressBar draws, when stderr is a terminal, how far the import
// is: an académie's import takes a minute, and a silent terminal looks
// stuck. Nothing in a pipe, a file or a test (TerminalWidth is 0 there),
// nothing for an import shorter than progressDelay. Stop erases it.
func startProgressBar(f *Factory, iopts *importer.Options) *progress.Bar {
	if f.TerminalWidth == nil {
		return nil
	}
	width := f.TerminalWidth(f.Err)
	if width <= 0 {
		return nil
	}
	p := &importer.Progress{}
	iopts.Progress = p
	ticks, stopTicks := progress.Every(progressDelay, progressInterval)
	f.cleanups = append(f.cleanups, stopTicks)
	return progress.Start(f.Err, width, ticks, func() (string, int) {
		s := p.Now()
		return "Import : " + s.String(), s.Percent()
	})
}

// fileExists tells whether path names anything, even what cannot be read:
// the import says what is wrong with it.
func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// stdinArgs counts the file arguments that read standard input.
func stdinArgs(args []string) int {
	n := 0
	for _, a := range args {
		if a == "-" {
			n++
		}
	}
	return n
}

// importStore opens the store an import writes to. A dry run into no store
// checks the files against an empty one, made for the run and removed,
// so that checking files never creates the store.
func importStore(cmd *cobra.Command, opts *importOptions) (*store.Store, error) {
	if !opts.DryRun {
		return opts.f.Store(cmd.Context())
	}
	st, err := opts.f.ExistingStore(cmd.Context())
	if !errors.Is(err, store.ErrNoStore) {
		return st, err
	}
	dir, err := os.MkdirTemp("", "pixcert-verification-")
	if err != nil {
		return nil, err
	}
	opts.f.cleanups = append(opts.f.cleanups, func() { os.RemoveAll(dir) })
	st, err = store.Open(cmd.Context(), filepath.Join(dir, "pixcert.db"))
	if err == nil {
		opts.f.store = st
	}
	return st, err
}
