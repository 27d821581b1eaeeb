package cmd

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/config"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/visible"
)

var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// The extensions of the files import reads and report writes, offered by
// completion.
var (
	importExtensions = []string{"csv", "txt", "xlsx", "xml", "zip"}
	reportExtensions = []string{"csv", "xlsx", "json", "md", "html"}
)

func newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Écrit le script qui complète les commandes de pixcert avec la touche Tab",
		Long: `Écrit sur la sortie standard le script qui apprend au shell (l'interpréteur de commandes)
à compléter les commandes de pixcert avec la touche Tab : les commandes et leurs options, les
formats, les classes et les établissements de la base (lue sans être modifiée ni créée), les
fichiers à importer (.csv, .txt, .xlsx, .xml, .zip) et ceux à écrire avec report -o (.csv,
.xlsx, .json, .md, .html).

À installer une fois, puis ouvrir un nouveau terminal :
  bash        mkdir -p ~/.local/share/bash-completion/completions
              pixcert completion bash > ~/.local/share/bash-completion/completions/pixcert
              (il faut le paquet bash-completion)
  zsh         mkdir -p ~/.zfunc && pixcert completion zsh > ~/.zfunc/_pixcert
              puis dans ~/.zshrc, avant compinit : fpath=(~/.zfunc $fpath)
  fish        pixcert completion fish > ~/.config/fish/completions/pixcert.fish
  PowerShell  Add-Content $PROFILE 'pixcert completion powershell | Out-String | Invoke-Expression'
              (sans profil, le créer d'abord : if (!(Test-Path $PROFILE)) { New-Item -Type File -Force $PROFILE })`,
		Example: `  pixcert completion bash > ~/.local/share/bash-completion/completions/pixcert
  pixcert completion fish > ~/.config/fish/completions/pixcert.fish
  pixcert completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: completionShells,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return usageErrorf("shell manquant : pixcert completion %s", strings.Join(completionShells, "|"))
			case len(args) > 1:
				return usageErrorf("argument en trop « %s » : pixcert completion ne prend qu'un shell", visible.Quote(args[1]))
			}
			for _, s := range completionShells {
				if args[0] == s {
					return nil
				}
			}
			return usageErrorf("shell « %s » inconnu : choisissez parmi %s", visible.Quote(args[0]), strings.Join(completionShells, ", "))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			}
			return root.GenPowerShellCompletionWithDesc(out)
		},
	}
}

// addCompletions says what shell completion offers for each command's
// arguments and options, once the commands are all there: only what each
// expects, and never a file where none is expected.
func addCompletions(root *cobra.Command, f *Factory) {
	noFiles := cobra.ShellCompDirectiveNoFileComp
	root.CompletionOptions.DefaultShellCompDirective = &noFiles
	files := func(extensions ...string) cobra.CompletionFunc {
		return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(extensions) == 0 {
				return nil, cobra.ShellCompDirectiveDefault
			}
			return extensions, cobra.ShellCompDirectiveFilterFileExt
		}
	}
	register(root, "db", files())
	register(root, "config", files("yaml", "yml"))
	formats := map[string][]string{
		"status": statusFormats, "report": reportFormats, "classes": classesFormats, "unmatched": unmatchedFormats,
		"show": showFormats, "changes": changesFormats, "imports": importsFormats, "results": resultsFormats,
		"sessions": sessionsFormats, "plan": planFormats, "inscriptions": inscriptionsFormats,
	}
	var all []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			all = append(all, sub)
			walk(sub)
		}
	}
	walk(root)
	for _, c := range all {
		fl := c.LocalFlags()
		if fl.Lookup("class") != nil {
			register(c, "class", f.completeClasses)
		}
		if fl.Lookup("etablissement") != nil {
			register(c, "etablissement", f.completeEstablishments)
		}
		if list, ok := formats[c.Name()]; ok && fl.Lookup("format") != nil {
			register(c, "format", cobra.FixedCompletions(list, noFiles))
		}
		if fl.Lookup("sort") != nil {
			register(c, "sort", cobra.FixedCompletions(store.Sorts, noFiles))
		}
		switch c.Name() {
		case "import":
			c.ValidArgsFunction = files(importExtensions...)
			register(c, "encoding", cobra.FixedCompletions(
				[]string{"utf-8", "utf-16", "windows-1252", "macroman", "iso-8859-1", "iso-8859-15"}, noFiles))
			register(c, "separator", cobra.FixedCompletions([]string{"point-virgule", "virgule", "tab"}, noFiles))
		case "report":
			register(c, "output", files(reportExtensions...))
		case "sessions":
			register(c, "output", files("csv", "xlsx", "json", "md", "html", "htm"))
		case "inscriptions":
			register(c, "output", files("csv", "xlsx", "json", "md"))
		case "convocations", "emargement":
			register(c, "output", files("html", "htm"))
		case "pix-certif":
			register(c, "output", files("csv"))
		case "plan":
			register(c, "plan", files("csv", "txt", "yaml", "yml"))
			register(c, "candidates", files("csv", "txt"))
		}
	}
}

// register gives a flag its completion. It fails only on a flag that does
// not exist or has one already: a mistake in pixcert.
func register(c *cobra.Command, flag string, complete cobra.CompletionFunc) {
	if err := c.RegisterFlagCompletionFunc(flag, complete); err != nil {
		panic(err)
	}
}

// peek opens the store the command line names to read it, changing
// nothing: nil when there is none, or it cannot be read. Completion then
// offers nothing, and says nothing.
func (f *Factory) peek(ctx context.Context) *store.Store {
	cfg, err := config.Load(f.flags, f.configFile)
	if err != nil {
		return nil
	}
	st, err := store.Peek(ctx, cfg.DBPath)
	if err != nil {
		return nil
	}
	return st
}

// completeClasses offers the classes of the store, of the establishment
// --etablissement names when it names one. In « --class 3E1,3E », the
// classes before the last comma stay as typed, and are not offered again.
func (f *Factory) completeClasses(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	ctx := completionContext(cmd)
	st := f.peek(ctx)
	if st == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer st.Close()
	var establishment int64
	if text, _ := cmd.Flags().GetString("etablissement"); text != "" {
		if list, err := st.EstablishmentNames(ctx); err == nil {
			if chosen, err := store.Choose(list, text); err == nil {
				establishment = chosen.ID
			}
		}
	}
	typed, last := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		typed, last = toComplete[:i+1], toComplete[i+1:]
	}
	classes, err := st.ClassNames(ctx, establishment, last)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	already := map[string]bool{}
	for _, c := range strings.Split(typed, ",") {
		already[fold.Key(c)] = true
	}
	var out []cobra.Completion
	for _, c := range classes {
		if shown(c) && !already[fold.Key(c)] && strings.HasPrefix(strings.ToLower(c), strings.ToLower(last)) {
			out = append(out, typed+c)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeEstablishments offers the names of the establishments of the
// store, with their UAI; the UAI alone for one no export named.
func (f *Factory) completeEstablishments(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	ctx := completionContext(cmd)
	st := f.peek(ctx)
	if st == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer st.Close()
	list, err := st.EstablishmentNames(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, e := range list {
		name, desc := e.Name, ""
		if e.UAI != "" {
			desc = "UAI " + e.UAI
		}
		if name == "" {
			name, desc = e.UAI, ""
		}
		if name != "" && shown(name) && strings.HasPrefix(strings.ToLower(name), strings.ToLower(toComplete)) {
			out = append(out, cobra.CompletionWithDesc(name, desc))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// shown tells whether a name read from a file can be offered to the shell
// as it is: one holding a control or an invisible character would act on
// the terminal, or break the completion's lines.
func shown(name string) bool {
	return name == visible.Escape(name) && !strings.ContainsAny(name, "\t\n")
}

func completionContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
