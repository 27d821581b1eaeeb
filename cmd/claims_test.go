package cmd

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// pixcert shows the certificability of the last profile each student sent.
// In collèges and lycées Pix Orga recomputes it every night from the live
// profile (pix-formats.md §1): no help or README line may claim that
// pixcert shows what Pix Orga shows, and both must say why they can differ.
var pixOrgaClaim = regexp.MustCompile(`(?i)(comme|que montrerait|telle? que( le montre| la montre| l'affiche)?|identique à|même (statut|certificabilité) que( dans)?)\s+Pix\s+Orga(\s+(la|le)\s+(montre|affiche))?`)

// allHelp is the help of every command, as `pixcert CMD --help` prints it.
func allHelp(t *testing.T) string {
	t.Helper()
	var all strings.Builder
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		var b bytes.Buffer
		c.SetOut(&b)
		if err := c.Help(); err != nil {
			t.Fatal(err)
		}
		all.WriteString(b.String())
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&Factory{}))
	return all.String()
}

func TestNothingClaimsToShowWhatPixOrgaShows(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"the help": allHelp(t), "README.md": string(readme)} {
		if claim := pixOrgaClaim.FindString(text); claim != "" {
			t.Errorf("%s says « %s »: pixcert shows the last profile sent, not Pix Orga's column", name, claim)
		}
		for _, must := range []string{"dernier profil envoyé", "chaque nuit"} {
			if !strings.Contains(text, must) {
				t.Errorf("%s never says « %s »: why Pix Orga can show a more recent status", name, must)
			}
		}
	}
	// The claim the test is there to catch, as pixcert once wrote it.
	for _, old := range []string{"le statut que montrerait Pix Orga", "Affiche la certificabilité des élèves, comme Pix Orga",
		"leur certificabilité, telle que Pix Orga la\nmontre"} {
		if !pixOrgaClaim.MatchString(old) {
			t.Errorf("the test misses « %s »", old)
		}
	}
}
