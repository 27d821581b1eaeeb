package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/visible"
)

// newHelpCmd is cobra's help command in French: « pixcert help status »
// shows what « pixcert status --help » shows.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [commande]",
		Short: "Affiche l'aide de pixcert, ou celle d'une commande",
		Long: `Affiche l'aide de pixcert, ou celle de la commande nommée : « pixcert help status » montre
la même chose que « pixcert status --help ».`,
		Example: `  pixcert help
  pixcert help report`,
		Args: cobra.ArbitraryArgs,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, c := range cmd.Root().Commands() {
				if c.IsAvailableCommand() && strings.HasPrefix(c.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			target, _, err := root.Find(args)
			if len(args) > 0 && (err != nil || target == nil || target == root) {
				return unknownCommand(root, args[0])
			}
			// The --help flag is root's, shared: shown in the command's help
			// as it is when the command is given --help.
			target.InitDefaultHelpFlag()
			return target.Help()
		},
	}
}

// unknownCommand says that pixcert has no command name, and the one meant
// when the name is close to one.
func unknownCommand(root *cobra.Command, name string) error {
	msg := fmt.Sprintf("commande inconnue « %s »", visible.Quote(name))
	if s := root.SuggestionsFor(name); len(s) > 0 {
		msg += fmt.Sprintf(" : vouliez-vous dire « %s » ?", s[0])
	}
	return &usageError{msg: msg}
}

// useLine is cobra's usage line, which ends in « [flags] », in French.
func useLine(c *cobra.Command) string {
	return strings.Replace(c.UseLine(), "[flags]", "[options]", 1)
}
