package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/printout"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
	"github.com/pixcert/pixcert/internal/visible"
)

func newSessionsMoveCmd(f *Factory, ec *establishmentChoice) *cobra.Command {
	var extra string
	cmd := &cobra.Command{
		Use:   "move ÉLÈVE N°",
		Short: "Change un élève de session",
		Long: `Met l'élève dans la session de ce numéro (pixcert sessions les liste), en le retirant de la
session à venir où il était ; un élève qui n'était dans aucune y est ajouté. La session doit
avoir une place libre. L'élève se désigne comme pour pixcert show : nom et prénom, ou INE.
--temps-majore change son temps majoré (0 pour aucun).`,
		Example: `  pixcert sessions move "DUPONT Léa" 3
  pixcert sessions move 123456789AB 2 --temps-majore 33%`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErrorf("attendu l'élève et le numéro de session, par exemple : pixcert sessions move \"DUPONT Léa\" 3")
			}
			return sessionNumbers(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, _ := parseSessionNumbers(args[1:])
			var extraTime *int
			if cmd.Flags().Changed("temps-majore") {
				x, err := sessions.ParseExtraTime(extra)
				if err != nil {
					return usageErrorf("--temps-majore : %v", err)
				}
				extraTime = &x
			}
			ctx := cmd.Context()
			sc, err := openScoped(ctx, f, ec, nil)
			if err != nil {
				return err
			}
			student, err := oneStudent(ctx, sc.st, args[0], sc.estab.ID)
			if err != nil {
				return err
			}
			from, err := sc.st.MoveCandidate(ctx, student.ID, ids[0], extraTime, f.Now())
			if err != nil {
				return sessionError(err)
			}
			who := visible.Escape(student.LastName + " " + student.FirstName)
			switch {
			case from == ids[0]:
				fmt.Fprintf(f.Err, "%s reste dans la session n° %d, avec un temps majoré de %d %%.\n", who, from, *extraTime)
			case from != 0:
				fmt.Fprintf(f.Err, "%s passe de la session n° %d à la session n° %d.\n", who, from, ids[0])
			default:
				fmt.Fprintf(f.Err, "%s est ajouté(e) à la session n° %d.\n", who, ids[0])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&extra, "temps-majore", "", "temps majoré de l'élève (33%, tiers temps, 0 pour aucun)")
	return cmd
}

func newSessionsRemoveCmd(f *Factory, ec *establishmentChoice) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ÉLÈVE...",
		Short: "Retire des élèves de leur session à venir",
		Long: `Retire chaque élève de la session à venir où il est prévu : il n'est plus dans aucune (pixcert
sessions plan pourra le placer à nouveau). L'élève se désigne comme pour pixcert show : nom
et prénom, ou INE.`,
		Example: `  pixcert sessions remove "DUPONT Léa"
  pixcert sessions remove 123456789AB 223456789AB`,
		Args: minArgs(1, "élève (nom et prénom, ou INE)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			sc, err := openScoped(ctx, f, ec, nil)
			if err != nil {
				return err
			}
			for _, a := range args {
				student, err := oneStudent(ctx, sc.st, a, sc.estab.ID)
				if err != nil {
					return err
				}
				session, err := sc.st.RemoveCandidate(ctx, student.ID, f.Now())
				if err != nil {
					return sessionError(err)
				}
				fmt.Fprintf(f.Err, "%s est retiré(e) de la session n° %d.\n", visible.Escape(student.LastName+" "+student.FirstName), session)
			}
			return nil
		},
	}
}

func newSessionsCancelCmd(f *Factory) *cobra.Command {
	var yes, past bool
	cmd := &cobra.Command{
		Use:   "cancel N°...",
		Short: "Supprime des sessions planifiées",
		Long: `Supprime les sessions de ces numéros avec la liste de leurs candidats, qui ne sont alors plus
dans aucune session. Une session qui a eu lieu dit qui y était prévu, et donc qui était
absent : elle ne se supprime qu'avec --passee. Dans un terminal, pixcert demande
confirmation ; --yes la donne d'avance (obligatoire hors d'un terminal).`,
		Example: `  pixcert sessions cancel 3
  pixcert sessions cancel 1 2 --yes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("numéro de session manquant : pixcert sessions les liste, avec leur numéro")
			}
			return sessionNumbers(0)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, _ := parseSessionNumbers(args)
			ctx := cmd.Context()
			st, err := f.ExistingStore(ctx)
			if err != nil {
				return err
			}
			list, err := st.Sessions(ctx, 0, ids)
			if err != nil {
				return err
			}
			// A session held (begun) says who was absent: it goes only when
			// asked.
			for i := range list {
				if list[i].Start.Before(f.Now()) && !past {
					return usageErrorf("la session n° %d a eu lieu le %s : la supprimer effacerait qui y était prévu, et donc qui était absent. "+
						"Pour la supprimer quand même : pixcert sessions cancel %d --passee", list[i].ID,
						frdate.FrenchDateTime(list[i].Start.In(frdate.Paris()).Format("2006-01-02 15:04")), list[i].ID)
				}
			}
			if !yes && len(list) == len(ids) {
				var what []string
				for i := range list {
					what = append(what, view.SessionHeading(&list[i])+" ("+french.Plural(len(list[i].Candidates), "candidat", "candidats")+")")
				}
				if err := confirm(f, "Seront supprimées : "+visible.Escape(strings.Join(what, " ; "))+"."); err != nil {
					return err
				}
			}
			n, err := st.CancelSessions(ctx, ids)
			if err != nil {
				return sessionError(err)
			}
			fmt.Fprintf(f.Err, "%s supprimée%s ; %s sans session.\n", french.Plural(len(ids), "session", "sessions"),
				french.Pick(len(ids), "", "s"), french.Plural(n, "candidat", "candidats"))
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "ne demande pas de confirmation")
	cmd.Flags().BoolVar(&past, "passee", false, "supprime aussi une session qui a eu lieu (ses absents ne seront plus connus)")
	return cmd
}

var inscriptionsFormats = []string{"table", "csv", "xlsx", "json", "md"}

func newSessionsInscriptionsCmd(f *Factory, ec *establishmentChoice) *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "inscriptions [N°...]",
		Short: "Liste, classe par classe, les candidats à inscrire dans Pix Certif",
		Long: `Les collèges et les lycées inscrivent les candidats dans Pix Certif classe par classe, sans
fichier : cette liste se garde à côté de l'écran d'inscription. Pour chaque classe, ses
candidats avec leur date de naissance, la session où ils sont prévus (numéro, date, heure,
salle) et leur temps majoré. Au format xlsx, une feuille par classe.`,
		Example: `  pixcert sessions inscriptions
  pixcert sessions inscriptions -o inscriptions.xlsx`,
		Args: sessionNumbers(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, _ := parseSessionNumbers(args)
			if err := checkDocumentFormat(f, format, inscriptionsFormats); err != nil {
				return err
			}
			var err error
			if format, err = outputFormat(f, out, format, cmd.Flags().Changed("format"), inscriptionsFormats, "un classeur (-o inscriptions.xlsx)"); err != nil {
				return err
			}
			if out == "" && format == "xlsx" && f.IsTerminal(f.Out) {
				return usageErrorf("un classeur xlsx ne s'affiche pas dans un terminal : écrivez-le dans un fichier avec -o inscriptions.xlsx")
			}
			if out != "" {
				if err := checkOutputPath(f, out, format); err != nil {
					return err
				}
			}
			list, sc, err := sessionsOf(cmd.Context(), f, ec, ids, true)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				noSessionsToCome(f)
				if format == "table" {
					return nil
				}
			}
			doc := view.Inscriptions(list, sc.scope)
			doc.Created = f.Now()
			return writeDocument(f, out, format, inscriptionsFormats, doc, func() string { return view.SessionsLine(list) })
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "format : "+strings.Join(inscriptionsFormats, ", ")+" (par défaut : d'après l'extension de -o, sinon table)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "fichier à écrire (par défaut : la sortie standard)")
	return cmd
}

func newSessionsPixCertifCmd(f *Factory, ec *establishmentChoice) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "pix-certif [N°...] -o import-sessions.csv",
		Short: "Écrit le fichier d'import en masse des sessions et candidats de Pix Certif",
		Long: `Écrit le fichier CSV que Pix Certif importe pour créer les sessions et inscrire les
candidats en une fois (« Import en masse »), avec son en-tête exact : une ligne par candidat.
Les collèges et lycées qui inscrivent leurs élèves classe par classe n'en ont pas besoin
(pixcert sessions inscriptions) ; il sert aux centres qui utilisent cet import.

pixcert ne connaît pas le sexe des élèves ni leur lieu de naissance : ces colonnes
obligatoires restent vides, et pixcert dit lesquelles compléter avant l'import.`,
		Example: `  pixcert sessions pix-certif -o import-sessions.csv`,
		Args:    sessionNumbers(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := readPrinted(cmd, f, ec, args, out, "csv", "le fichier CSV (-o import-sessions.csv)")
			if p == nil || err != nil {
				return err
			}
			planned, candidates := p.sessions, p.candidates
			var missing []string
			write := func(w io.Writer) (err error) {
				missing, err = printout.PixCertifCSV(w, planned)
				return err
			}
			if out == "" {
				err = write(f.Out)
			} else if err = writeFile(out, write); err == nil {
				fmt.Fprintf(f.Err, "%s écrit : %s, %s.\n", visible.Escape(out), french.Plural(len(planned), "session", "sessions"),
					french.Plural(candidates, "candidat", "candidats"))
			}
			if err == nil && len(missing) > 0 {
				var columns []string
				for _, c := range missing {
					columns = append(columns, "« "+c+" »")
				}
				fmt.Fprintf(f.Err, "À compléter avant l'import dans Pix Certif (pixcert ne les connaît pas) : %s.\n", strings.Join(columns, ", "))
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "fichier CSV à écrire (par défaut : la sortie standard)")
	return cmd
}

// sessionError is a change of the sessions refused: the person's to fix,
// as a usage error.
func sessionError(err error) error {
	var se *store.SessionError
	if errors.As(err, &se) {
		return &usageError{noHint: true, msg: se.Error(), cause: err}
	}
	return err
}
