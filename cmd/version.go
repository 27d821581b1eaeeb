package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/buildinfo"
)

// versionTemplate is what `pixcert --version` prints: the same line as
// `pixcert version`, where cobra would say "pixcert version …".
const versionTemplate = "{{.Version}}\n"

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Affiche la version de pixcert, son commit et sa date de construction",
		Long: `Affiche la version de pixcert, le commit dont il est construit, la date de sa construction
et le système pour lequel il l'a été, la même ligne que « pixcert --version ». Donnez-la
quand vous signalez un problème.

Une version publiée dit sa date de construction ; un pixcert construit avec go build ou
go install dit la date de son commit, « modifié » s'il l'a été depuis le commit, et
« version de développement » quand il n'a pas de numéro de version.`,
		Example: `  pixcert version
  pixcert --version`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintln(f.Out, buildinfo.Current())
			return err
		},
	}
}
