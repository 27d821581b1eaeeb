package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
	"github.com/pixcert/pixcert/internal/visible"
)

var unmatchedFormats = []string{"table", "csv", "json"}

// unmatchedOptions are the flags and dependencies of `pixcert unmatched`.
type unmatchedOptions struct {
	f *Factory
	establishmentChoice
	Format string
}

func newUnmatchedCmd(f *Factory, runF func(*unmatchedOptions) error) *cobra.Command {
	opts := &unmatchedOptions{f: f}
	cmd := &cobra.Command{
		Use:   "unmatched",
		Short: "Liste les participants qu'aucun élève de la liste ne reconnaît",
		Long: `Liste les participants des exports importés qui ne correspondent à aucun élève de la liste
actuelle (faute de frappe, élève absent de la liste, homonymes que pixcert ne départage pas),
avec leur campagne, leur classe dans l'export, leur dernier statut, et les élèves de la liste
les plus proches (même classe ou nom voisin) pour décider.

Chaque participant a une référence (P12…) : « pixcert link P12 ÉLÈVE » le rattache à un élève,
« pixcert unlink P12 » l'écarte. Ces décisions sont gardées lors des imports suivants.

Suivent les résultats de certification importés qu'aucun élève ne reconnaît (ni par l'INE,
ni par le nom et la date de naissance), avec une référence R3… qui se rattache de même :
« pixcert link R3 ÉLÈVE ».`,
		Example: `  pixcert unmatched
  pixcert link P12 123456789AB
  pixcert link P12 "DUPONT Léa"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := output.New(opts.Format, unmatchedFormats); err != nil {
				return &usageError{msg: err.Error()}
			}
			if runF != nil {
				return runF(opts)
			}
			return unmatchedRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "table", "format de sortie : "+strings.Join(unmatchedFormats, ", "))
	opts.addFlag(cmd.Flags())
	return cmd
}

func unmatchedRun(cmd *cobra.Command, opts *unmatchedOptions) error {
	ctx := cmd.Context()
	st, err := opts.f.ExistingStore(ctx)
	if err != nil {
		return err
	}
	estab, _, err := opts.resolve(ctx, st)
	if err != nil {
		return err
	}
	list, err := st.Unmatched(ctx, estab.ID)
	if err != nil {
		return err
	}
	results, err := st.UnmatchedResults(ctx, estab.ID)
	if err != nil {
		return err
	}
	if err := newWriter(opts.f, opts.Format, unmatchedFormats, opts.f.Out).Write(opts.f.Out, view.Unmatched(list, results)); err != nil {
		return err
	}
	if len(results) > 0 && opts.Format == "csv" {
		// A CSV file is one table, that of the participants: the results
		// are said where they are listed.
		fmt.Fprintf(opts.f.Err, "%s : pixcert unmatched les liste en tableau, ou en JSON (--format json).\n",
			french.Plural(len(results), "résultat de certification sans élève, absent de ce CSV", "résultats de certification sans élève, absents de ce CSV"))
	}
	return nil
}

func newLinkCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "link RÉF ÉLÈVE",
		Short: "Rattache un participant à un élève de la liste",
		Long: `Rattache le participant RÉF (la référence que donne pixcert unmatched ou show) à l'élève
désigné par son INE, son numéro étudiant ou son nom. La décision est gardée : les imports
suivants la respectent. Un résultat de certification sans élève (R3…, dans pixcert
unmatched) se rattache de même.`,
		Example: `  pixcert link P12 123456789AB
  pixcert link P12 "DUPONT Léa"
  pixcert link R3 "N'DIAYE Inès"`,
		Args: exactArgs(2, "référence du participant et élève"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if store.IsResultRef(args[0]) {
				return decideResult(cmd, f, args[0], args[1])
			}
			p, student, err := decide(cmd, f, args[0], args[1])
			if err != nil {
				return err
			}
			fmt.Fprintf(f.Err, "%s rattaché à %s %s (%s).\n", describe(p),
				visible.Escape(student.LastName), visible.Escape(student.FirstName), visible.Escape(student.Class))
			view.WriteIdentity(f.Err, *student, nil)
			return nil
		},
	}
}

func newUnlinkCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "unlink RÉF",
		Short: "Écarte un participant : il ne sera rapproché d'aucun élève",
		Long: `Détache le participant RÉF de l'élève auquel il est rattaché (par pixcert ou à la main) et
l'écarte : ni cet import ni les suivants ne le rapprocheront d'un élève. Pour le rattacher
ensuite : pixcert link RÉF ÉLÈVE.`,
		Example: `  pixcert unlink P12`,
		Args:    exactArgs(1, "référence du participant"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if store.IsResultRef(args[0]) {
				return decideResult(cmd, f, args[0], "")
			}
			p, _, err := decide(cmd, f, args[0], "")
			if err != nil {
				return err
			}
			fmt.Fprintf(f.Err, "%s écarté : il n'est rapproché d'aucun élève, même après un nouvel import.\n"+
				"Pour le rattacher : pixcert link %s ÉLÈVE\n", describe(p), p.Ref)
			return nil
		},
	}
}

// decide records a person's decision about participant ref: that it is
// the student studentText designates, or, with "", no student. It returns
// the participant and the student as they stand after it.
func decide(cmd *cobra.Command, f *Factory, ref, studentText string) (store.Participant, *store.StudentStatus, error) {
	ctx := cmd.Context()
	st, err := f.ExistingStore(ctx)
	if err != nil {
		return store.Participant{}, nil, err
	}
	p, err := st.ParticipantByRef(ctx, ref)
	if errors.Is(err, store.ErrUnknownRef) {
		return p, nil, &usageError{msg: err.Error(), noHint: true}
	}
	if err != nil {
		return p, nil, err
	}
	var studentID int64
	if studentText != "" {
		s, err := oneStudent(ctx, st, studentText, p.Establishment)
		if err != nil {
			return p, nil, err
		}
		studentID = s.ID
	}
	if err := st.Link(ctx, p, studentID, f.Now()); err != nil || studentID == 0 {
		if errors.Is(err, store.ErrOtherEstablishment) {
			return p, nil, &usageError{noHint: true, cause: err, msg: fmt.Sprintf("%s : %s", describe(p), err)}
		}
		return p, nil, err
	}
	after, err := st.Students(ctx, store.Filter{IDs: []int64{studentID}})
	if err != nil {
		return p, nil, err
	}
	if len(after) != 1 {
		return p, nil, fmt.Errorf("l'élève n° %d n'est plus dans la liste actuelle", studentID)
	}
	return p, &after[0], nil
}

// describe names a participant for messages: « P6 (=BONO Paul, 3E2, « Collecte de profils 3e ») »,
// its names shown escaped: they come from a file.
func describe(p store.Participant) string {
	e := visible.Escape
	return fmt.Sprintf("%s (%s %s, %s, « %s »)", p.Ref, e(p.LastName), e(p.FirstName), e(p.Class), e(p.Campaign))
}

// decideResult records a person's decision about a certification result:
// that it is the student studentText designates, or, with "", none.
func decideResult(cmd *cobra.Command, f *Factory, ref, studentText string) error {
	ctx := cmd.Context()
	st, err := f.ExistingStore(ctx)
	if err != nil {
		return err
	}
	r, err := st.ResultByRef(ctx, ref)
	if errors.Is(err, store.ErrUnknownRef) {
		return &usageError{msg: err.Error(), noHint: true}
	}
	if err != nil {
		return err
	}
	e := visible.Escape
	what := fmt.Sprintf("%s (%s %s, %s du %s)", r.Ref, e(r.LastName), e(r.FirstName), e(r.Status), frdate.French(r.Date))
	var student store.StudentStatus
	if studentText != "" {
		if student, err = oneStudent(ctx, st, studentText, r.Establishment); err != nil {
			return err
		}
	}
	if err := st.LinkResult(ctx, r, student.ID); err != nil {
		if errors.Is(err, store.ErrOtherEstablishment) {
			return &usageError{noHint: true, cause: err, msg: fmt.Sprintf("%s : %s", what, err)}
		}
		return err
	}
	if studentText == "" {
		fmt.Fprintf(f.Err, "%s écarté : il n'est rapproché d'aucun élève, même après un nouvel import.\n", what)
		return nil
	}
	fmt.Fprintf(f.Err, "%s rattaché à %s %s (%s).\n", what, e(student.LastName), e(student.FirstName), e(student.Class))
	return nil
}
