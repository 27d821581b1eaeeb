package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
	"github.com/pixcert/pixcert/internal/visible"
)

// establishmentChoice is --etablissement, of every command that reads or
// writes students.
type establishmentChoice struct {
	Establishment string
}

func (ec *establishmentChoice) addFlag(fl *pflag.FlagSet) {
	fl.StringVar(&ec.Establishment, "etablissement", "", "un seul établissement, quand la base en tient plusieurs (début de son nom, ou son UAI)")
}

// resolve finds the establishment chosen (ID 0: all of them) and the scope
// of what a command shows: the establishment it names, or several.
func (ec *establishmentChoice) resolve(ctx context.Context, st *store.Store) (store.Establishment, view.Scope, error) {
	list, err := st.Establishments(ctx)
	if err != nil {
		return store.Establishment{}, view.Scope{}, err
	}
	if ec.Establishment != "" {
		chosen, err := store.Choose(list, ec.Establishment)
		return chosen, view.Scope{Establishment: chosen.Name}, err
	}
	var withStudents []store.Establishment
	for _, e := range list {
		if e.HasStudents {
			withStudents = append(withStudents, e)
		}
	}
	switch len(withStudents) {
	case 0:
		return store.Establishment{}, view.Scope{}, nil
	case 1:
		return store.Establishment{}, view.Scope{Establishment: withStudents[0].Name}, nil
	}
	return store.Establishment{}, view.Scope{Several: true}, nil
}

// parseDay reads the day a flag names, jj/mm/aaaa or aaaa-mm-jj, as
// YYYY-MM-DD.
func parseDay(flag, text string, now time.Time) (string, error) {
	day, err := frdate.ParseDate(text, frdate.Pivot(now))
	if err != nil {
		return "", usageErrorf("--%s : « %s » n'est pas une date : écrivez-la jj/mm/aaaa (ou aaaa-mm-jj), par exemple 16/01/2026", flag, visible.Quote(text))
	}
	return day, nil
}

// studentFilter holds the flags that select students, shared by status and
// report.
type studentFilter struct {
	establishmentChoice
	Classes         []string
	Certifiable     bool
	NotCertifiable  bool
	NotCommunicated bool
	Search          string
	Sort            string
}

func (sf *studentFilter) addFlags(fl *pflag.FlagSet) {
	sf.addFlag(fl)
	fl.StringSliceVar(&sf.Classes, "class", nil, "classe(s) : --class 3E1 --class 3E2 ou --class 3E1,3E2")
	fl.BoolVar(&sf.Certifiable, "certifiable", false, "élèves certifiables")
	fl.BoolVar(&sf.NotCertifiable, "not-certifiable", false, "élèves non certifiables")
	fl.BoolVar(&sf.NotCommunicated, "not-communicated", false, "élèves dont aucun profil n'a été envoyé")
	fl.StringVar(&sf.Search, "search", "", "partie du nom ou du prénom (sans tenir compte des accents ni des majuscules)")
	fl.StringVar(&sf.Sort, "sort", store.SortClass, "ordre : "+strings.Join(store.Sorts, ", "))
}

func (sf *studentFilter) validate() error {
	for _, s := range store.Sorts {
		if s == sf.Sort {
			return nil
		}
	}
	return usageErrorf("tri « %s » inconnu : choisissez parmi %s", sf.Sort, strings.Join(store.Sorts, ", "))
}

// filter turns the flags into a store filter, of the establishment chosen
// (0: all).
func (sf *studentFilter) filter(establishment int64) store.Filter {
	f := store.Filter{Establishment: establishment, Classes: sf.Classes, Search: sf.Search, Sort: sf.Sort}
	for _, wanted := range []struct {
		on     bool
		status certif.Status
	}{
		{sf.Certifiable, certif.Certifiable},
		{sf.NotCertifiable, certif.NotCertifiable},
		{sf.NotCommunicated, certif.NotCommunicated},
	} {
		if wanted.on {
			f.Statuses = append(f.Statuses, wanted.status)
		}
	}
	return f
}

// openStoreWithStudents opens the store and says, in French, when it holds
// no student yet; empty tells the caller so.
func openStoreWithStudents(ctx context.Context, f *Factory) (st *store.Store, empty bool, err error) {
	if st, err = f.ExistingStore(ctx); err != nil {
		return nil, false, err
	}
	has, err := st.HasStudents(ctx)
	if err != nil {
		return nil, false, err
	}
	if !has {
		fmt.Fprintln(f.Err, "Aucun élève pour l'instant : importez la liste des élèves (avec les exports "+
			"« Collecte de profils »), par exemple :\n  pixcert import eleves.csv Resultats-*.csv")
	}
	return st, !has, nil
}

// scoped is a store opened for a command that reads students, with the
// establishment --etablissement chose (ID 0: all) and what is shown.
type scoped struct {
	st    *store.Store
	estab store.Establishment
	scope view.Scope
	// empty: the store holds no student yet (openStoreWithStudents said
	// so), a table has nothing more to show.
	empty bool
	// note is what a person should know of the establishments shown
	// (withoutCollecte), written under the list.
	note string
}

// openScoped opens the store for a command that lists students, resolves
// --etablissement and checks the classes asked for (checkClasses).
func openScoped(ctx context.Context, f *Factory, ec *establishmentChoice, classes []string) (s scoped, err error) {
	if s.st, s.empty, err = openStoreWithStudents(ctx, f); err != nil {
		return s, err
	}
	if s.estab, s.scope, err = ec.resolve(ctx, s.st); err != nil || s.empty {
		return s, err
	}
	if err := checkClasses(ctx, s, classes); err != nil {
		return s, err
	}
	s.note, err = withoutCollecte(ctx, s)
	return s, err
}

// noted writes note on stderr, under what the command wrote, when it
// wrote it.
func noted(f *Factory, note string, err error) error {
	if err == nil && note != "" {
		fmt.Fprintln(f.Err, note)
	}
	return err
}

// withoutCollecte says, when an establishment of a list has students and
// no export « Collecte de profils » yet, that its students are all « Non
// communiqué » for that reason, and what to import: "" otherwise. A
// roster imported alone is the usual first step, and its table of blank
// statuses looks like a fault without it.
func withoutCollecte(ctx context.Context, sc scoped) (string, error) {
	list, err := sc.st.Establishments(ctx)
	if err != nil {
		return "", err
	}
	var without []string
	withStudents := 0
	for _, e := range list {
		if !e.HasStudents || (sc.estab.ID != 0 && e.ID != sc.estab.ID) {
			continue
		}
		withStudents++
		if !e.HasCollectes {
			without = append(without, visible.Escape(e.Label()))
		}
	}
	if len(without) == 0 {
		return "", nil
	}
	what := "Aucun export « Collecte de profils » importé pour l'instant : tous les élèves sont « Non communiqué »."
	if withStudents > 1 {
		what = fmt.Sprintf("Aucun export « Collecte de profils » importé pour l'instant pour %s : ses élèves sont tous « Non communiqué ».",
			strings.Join(without, ", "))
		if len(without) > 1 {
			what = fmt.Sprintf("Aucun export « Collecte de profils » importé pour l'instant pour %s : leurs élèves sont tous « Non communiqué ».",
				strings.Join(without, ", "))
		}
	}
	return what + "\nImportez les exports des campagnes « Collecte de profils » (Pix Orga, la campagne, onglet Résultats, " +
		"« Exporter les résultats »), par exemple :\n  pixcert import Resultats-*.csv", nil
}

// shownClasses is how many known classes a message about an unknown one
// lists: the closest, enough to spot a typo; classes lists them all.
const shownClasses = 15

// checkClasses refuses the --class values that no student of the current
// roster (of the establishment chosen) is in: a mistyped class would show
// an empty list, as if the class had nobody. The message lists the known
// classes, the closest first.
func checkClasses(ctx context.Context, sc scoped, classes []string) error {
	if len(classes) == 0 {
		return nil
	}
	unknown, err := sc.st.UnknownClasses(ctx, sc.estab.ID, classes)
	if err != nil || len(unknown) == 0 {
		return err
	}
	known, err := sc.st.Classes(ctx, sc.estab.ID)
	if err != nil {
		return err
	}
	quoted := make([]string, len(unknown))
	for i, c := range unknown {
		quoted[i] = "« " + visible.Quote(c) + " »"
	}
	var b strings.Builder
	if len(unknown) == 1 {
		fmt.Fprintf(&b, "classe %s inconnue", quoted[0])
	} else {
		fmt.Fprintf(&b, "classes %s et %s inconnues", strings.Join(quoted[:len(quoted)-1], ", "), quoted[len(quoted)-1])
	}
	where := "la liste actuelle"
	if sc.estab.ID != 0 {
		where += " de " + visible.Escape(sc.estab.Label())
	}
	switch {
	case len(known) == 0:
		fmt.Fprintf(&b, " : aucun élève de %s n'a de classe.", where)
		return &usageError{noHint: true, msg: b.String()}
	case len(known) == 1:
		fmt.Fprintf(&b, " : %s n'a qu'une classe, %s.", where, visible.Escape(known[0]))
		return &usageError{noHint: true, msg: b.String()}
	}
	closest := fold.ByCloseness(known, unknown...)
	fmt.Fprintf(&b, " dans %s. Classes connues, de la plus proche à la plus éloignée :\n  ", where)
	for i, c := range closest[:min(len(closest), shownClasses)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(visible.Escape(c))
	}
	if more := len(closest) - shownClasses; more > 0 {
		fmt.Fprintf(&b, "… et %d autres (pixcert classes les liste toutes)", more)
	}
	return &usageError{noHint: true, msg: b.String()}
}

// oneStudent finds the one student a person means by text (an INE, a
// student number or part of a name), in an establishment (0: any), or
// says who matches when it is not one.
func oneStudent(ctx context.Context, st *store.Store, text string, establishment int64) (store.StudentStatus, error) {
	found, err := st.FindStudents(ctx, text, establishment)
	if err != nil {
		return store.StudentStatus{}, err
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		where := "de la liste actuelle"
		if establishment != 0 {
			where = "de la liste actuelle de l'établissement du participant"
		}
		return store.StudentStatus{}, &usageError{noHint: true, msg: fmt.Sprintf(
			"aucun élève %s ne correspond à « %s » : vérifiez l'orthographe, ou cherchez avec pixcert status --search", where, visible.Quote(text))}
	}
	var b strings.Builder
	several := slices.ContainsFunc(found, func(s store.StudentStatus) bool { return s.EstablishmentID != found[0].EstablishmentID })
	hint := "précisez le nom et le prénom, ou donnez l'INE"
	if several {
		hint = "précisez le nom et le prénom, l'établissement (--etablissement), ou donnez l'INE"
	}
	fmt.Fprintf(&b, "%d élèves correspondent à « %s » : %s.", len(found), visible.Quote(text), hint)
	e := visible.Escape // names come from files
	for i, s := range found {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … et %d autres", len(found)-20)
			break
		}
		id := s.NationalID + s.StudentNumber
		if id == "" {
			id = "né(e) le " + frdate.French(s.Birthdate)
		}
		where := e(s.Class)
		if several {
			where += ", " + e(s.Establishment)
		}
		fmt.Fprintf(&b, "\n  %s %s (%s) — %s", e(s.LastName), e(s.FirstName), where, e(id))
	}
	return store.StudentStatus{}, &usageError{msg: b.String(), noHint: true}
}

// isTerminal tells whether w is a terminal, where binary output is refused.
func isTerminal(w any) bool {
	file, ok := w.(*os.File)
	// /dev/null is a character device too: only a terminal answers the
	// terminal's own question.
	return ok && term.IsTerminal(int(file.Fd()))
}

// studentsOf reads the students filter selects, in a snapshot of the store.
func studentsOf(ctx context.Context, snap *store.Snapshot, filter store.Filter) view.Students {
	return func(each func(*store.StudentStatus) error) error {
		return snap.EachStudent(ctx, filter, each)
	}
}

// newWriter returns the writer of format, one of allowed, for out: when
// out is a terminal, one that shows escaped what the terminal would act on;
// a table fitted to the width of out (tableWidth).
func newWriter(f *Factory, format string, allowed []string, out io.Writer) output.Writer {
	w, _ := output.New(format, allowed)
	w = fitted(f, w, allowed, out)
	if f.IsTerminal != nil && f.IsTerminal(out) {
		w = output.ForTerminal(w)
	}
	return w
}

// fitted is w, when it draws tables, drawing them to the width of out.
func fitted(f *Factory, w output.Writer, allowed []string, out io.Writer) output.Writer {
	hint := " Pour tout voir : une fenêtre plus large, ou COLUMNS=0"
	if slices.Contains(allowed, "csv") {
		hint = " Pour tout voir : une fenêtre plus large, COLUMNS=0 ou --format csv"
	}
	return output.Fit(w, tableWidth(f, out), hint+".")
}

// Widths of the tables drawn for people, in the cells of a terminal.
const (
	// defaultTableWidth is the width of a table written to a file or a
	// pipe: that of the smallest terminal, which a mail or a printed page
	// holds too.
	defaultTableWidth = 80
	// minTableWidth is the least width COLUMNS may ask for: below, a
	// table is letters in columns.
	minTableWidth = 20
)

// tableWidth is the width, in the cells of a terminal, the tables written
// to out are fitted to: COLUMNS when it is set to a number (0: no limit),
// as ls and most tools read it, else the terminal's when out is one, else
// defaultTableWidth. A COLUMNS that is not a number is ignored.
func tableWidth(f *Factory, out io.Writer) int {
	if f.Getenv != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(f.Getenv("COLUMNS"))); err == nil && n >= 0 {
			if n == 0 {
				return 0
			}
			return max(n, minTableWidth)
		}
	}
	if f.TerminalWidth != nil {
		if n := f.TerminalWidth(out); n > 0 {
			return max(n, minTableWidth)
		}
	}
	return defaultTableWidth
}

// terminalWidth is the width of w, in cells, when it is a terminal; 0
// otherwise.
func terminalWidth(w any) int {
	file, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(file.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(file.Fd()))
	if err != nil {
		return 0
	}
	return width
}
