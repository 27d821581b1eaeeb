package cmd

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// englishInHelp are the words cobra and pflag write in help, usage and
// errors when pixcert does not say them in French itself.
var englishInHelp = regexp.MustCompile(`\b(Usage|usage:|Flags|flags?|Global|Available Commands|Additional help topics|Examples|Aliases|` +
	`default|help for|Use "|for more information|Help about|[Aa]utocompletion|shell completion|command|string|strings|stringSlice|bool|` +
	`version for|unknown|invalid|needs|requires|accepts|must be|bad|YAML)\b`)

// commandTree is every command of pixcert, help included, as cobra runs
// them: the root first.
func commandTree(t *testing.T) []*cobra.Command {
	t.Helper()
	root := newRootCmd(&Factory{Out: io.Discard, Err: io.Discard})
	root.InitDefaultHelpCmd()
	var all []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		all = append(all, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return all
}

// mainOut runs pixcert and returns its exit code and outputs.
func mainOut(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Every command's help is French, says how to use it with examples, and
// shows each default once; only the general help has the exit codes.
func TestHelpOfEveryCommandIsFrench(t *testing.T) {
	commands := commandTree(t)
	if len(commands) < 15 {
		t.Fatalf("only %d commands found", len(commands))
	}
	for _, c := range commands {
		path := strings.Fields(c.CommandPath())[1:]
		t.Run(c.CommandPath(), func(t *testing.T) {
			if c.Short == "" || c.Long == "" || c.Example == "" {
				t.Errorf("Short, Long or Example missing")
			}
			code, help, stderr := mainOut(append(path, "--help")...)
			if code != ExitOK || stderr != "" {
				t.Fatalf("--help: exit code %d, stderr %q", code, stderr)
			}
			for _, want := range []string{c.Long, "\nUtilisation :\n  " + c.CommandPath(), "\nExemples :\n" + c.Example + "\n", "\nOptions communes :\n"} {
				if c == commands[0] && want == "\nOptions communes :\n" {
					continue // the root's options are its own
				}
				if !strings.Contains(help, want) {
					t.Errorf("help without %q:\n%s", want, help)
				}
			}
			if m := englishInHelp.FindString(help); m != "" {
				t.Errorf("English in help: %q\n%s", m, help)
			}
			if strings.Contains(help, "[flags]") || !strings.Contains(help, " [options]\n") {
				t.Errorf("usage line without [options]:\n%s", help)
			}
			for _, line := range strings.Split(help, "\n") {
				if strings.Count(line, "par défaut") > 1 {
					t.Errorf("a default said twice: %q", line)
				}
			}
			if exitCodes := strings.Contains(help, "Codes de sortie :"); exitCodes != (c == commands[0]) {
				t.Errorf("exit codes in help: %v, want them in the general help only", exitCodes)
			}
			if c.Name() != "help" {
				_, viaHelp, _ := mainOut(append([]string{"help"}, path...)...)
				if viaHelp != help {
					t.Errorf("pixcert help %s differs from --help:\n%s", strings.Join(path, " "), viaHelp)
				}
			}
		})
	}
}

// Every mistake pflag can find in a command's options is told in French,
// with exit code 2: an unknown option, a value missing or given to an
// option that takes none, quotes misplaced in a list.
func TestOptionMistakesOfEveryCommandAreFrench(t *testing.T) {
	for _, c := range commandTree(t) {
		path := strings.Fields(c.CommandPath())[1:]
		mistakes := [][]string{{"--inconnue"}, {"-Z"}, {"---x"}}
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			switch fl.Value.Type() {
			case "bool":
				mistakes = append(mistakes, []string{"--" + fl.Name + "=peut-être"})
			case "stringSlice":
				mistakes = append(mistakes, []string{"--" + fl.Name + `="3E1`}, []string{"--" + fl.Name})
			default:
				mistakes = append(mistakes, []string{"--" + fl.Name})
			}
			if fl.Shorthand != "" && fl.Value.Type() != "bool" {
				mistakes = append(mistakes, []string{"-" + fl.Shorthand})
			}
		})
		for _, mistake := range mistakes {
			args := append(append([]string{}, path...), mistake...)
			code, stdout, stderr := mainOut(args...)
			if code != ExitUsage || stdout != "" || !strings.HasPrefix(stderr, "pixcert : ") {
				t.Errorf("pixcert %s: exit code %d, stdout %q, stderr %q; want a usage error", strings.Join(args, " "), code, stdout, stderr)
			}
			if m := englishInHelp.FindString(stderr); m != "" {
				t.Errorf("pixcert %s: English in %q", strings.Join(args, " "), stderr)
			}
		}
	}
}
