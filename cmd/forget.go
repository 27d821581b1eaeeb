package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/config"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/visible"
)

func newForgetCmd(f *Factory) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "forget N°...",
		Short: "Oublie un import (un mauvais fichier) et ce qu'il a apporté",
		Long: `Retire de la base les imports désignés par leur numéro (pixcert imports les liste) et tout ce
qu'ils ont apporté, en une fois : par exemple l'export d'un autre établissement importé par
erreur. Les statuts des élèves concernés sont recalculés.

Les exports d'une même campagne s'oublient ensemble (un export reprend les envois des
précédents : ce que chacun a apporté ne se sépare pas) ; une liste d'élèves ne s'oublie
qu'avec tout son établissement (pour corriger une liste, importez la bonne : elle devient la
liste actuelle). Sinon pixcert dit lesquels ajouter.

Dans un terminal, pixcert montre ce qui sera retiré et demande confirmation ; --yes la donne
d'avance (obligatoire hors d'un terminal). Pour tout effacer : pixcert purge.`,
		Example: `  pixcert imports
  pixcert forget 6
  pixcert forget 5 6 --yes`,
		Args: minArgs(1, "numéro d'import (pixcert imports les liste ; pour tout effacer : pixcert purge)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ids []int64
			for _, a := range args {
				id, err := strconv.ParseInt(a, 10, 64)
				if err != nil || id <= 0 {
					return usageErrorf("« %s » n'est pas un numéro d'import : pixcert imports les liste", visible.Quote(a))
				}
				ids = append(ids, id)
			}
			ctx := cmd.Context()
			st, err := f.ExistingStore(ctx)
			if err != nil {
				return err
			}
			plan, err := st.PlanForget(ctx, ids)
			if err != nil {
				return forgetError(err)
			}
			what := describeForget(plan)
			if !yes {
				if err := confirm(f, what+"\nOublier ces imports ?"); err != nil {
					return err
				}
			}
			if _, err := st.Forget(ctx, ids); err != nil {
				return forgetError(err)
			}
			fmt.Fprintf(f.Err, "Oublié : %s\n", strings.TrimPrefix(what, "Seront retirés : "))
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "ne demande pas de confirmation")
	return cmd
}

func forgetError(err error) error {
	var fe *store.ForgetError
	if errors.As(err, &fe) {
		return &usageError{noHint: true, cause: err, msg: err.Error()}
	}
	return err
}

// describeForget says what forgetting will remove.
func describeForget(p store.Forgotten) string {
	var files []string
	for _, i := range p.Imports {
		files = append(files, fmt.Sprintf("n° %d (« %s »)", i.ID, visible.Escape(i.File)))
	}
	s := fmt.Sprintf("Seront retirés : %s %s", french.Pick(len(files), "l'import", "les imports"), strings.Join(files, ", "))
	if len(p.Campaigns) > 0 {
		s += fmt.Sprintf(", avec %s et %s %s %s", french.Plural(p.Participants, "participant", "participants"),
			french.Plural(p.Sendings, "envoi", "envois"), french.Pick(len(p.Campaigns), "de la campagne", "des campagnes"), quoteAll(p.Campaigns))
	}
	if len(p.Establishments) > 0 {
		s += fmt.Sprintf(", et l'établissement %s avec ses %s", strings.Join(p.Establishments, ", "), french.Plural(p.Students, "élève", "élèves"))
		if p.Sessions > 0 {
			s += " et ses " + french.Plural(p.Sessions, "session planifiée", "sessions planifiées")
		}
	}
	if p.Results > 0 {
		s += fmt.Sprintf(", %s", french.Plural(p.Results, "résultat de certification", "résultats de certification"))
	}
	return s + "."
}

func quoteAll(list []string) string {
	var q []string
	for _, s := range list {
		q = append(q, "« "+visible.Quote(s)+" »")
	}
	return strings.Join(q, ", ")
}

// confirm asks a person on a terminal to confirm; elsewhere --yes must.
func confirm(f *Factory, question string) error {
	if f.IsTerminal == nil || !f.IsTerminal(f.In) {
		return &usageError{noHint: true, msg: question + "\nConfirmez avec --yes : pixcert ne pose la question que dans un terminal."}
	}
	fmt.Fprintf(f.Err, "%s Tapez « oui » pour confirmer : ", question)
	line, _ := bufio.NewReader(f.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "oui", "o", "yes", "y":
		return nil
	}
	return &usageError{noHint: true, msg: "rien n'a été retiré : confirmation non donnée"}
}

func newPurgeCmd(f *Factory) *cobra.Command {
	var yes bool
	var before string
	cmd := &cobra.Command{
		Use:   "purge",
		Short: "Efface les données des élèves : toutes, ou celles d'avant une date",
		Long: `Les données des élèves sont personnelles (RGPD) : ne les gardez que le temps utile, en général
l'année scolaire de la certification.

Sans option, efface toute la base de pixcert : élèves, participations, décisions, sessions et
résultats de certification.

Avec --before jj/mm/aaaa, efface les envois datés d'avant ce jour, les certifications passées
et les sessions tenues avant lui, les imports faits avant lui, puis ce qui ne sert plus :
participants sans envoi, élèves sortis de la liste sans rien d'autre, campagnes vides. Les élèves des listes actuelles restent, leurs statuts recalculés
avec les envois qui restent. Par exemple, à la rentrée : pixcert purge --before 01/09/2026.

Dans un terminal, pixcert dit ce qui sera effacé et demande confirmation ; --yes la donne
d'avance (obligatoire hors d'un terminal).`,
		Example: `  pixcert purge
  pixcert purge --before 01/09/2026 --yes`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if before != "" {
				return purgeBefore(cmd, f, before, yes)
			}
			cfg, err := config.Load(f.flags, f.configFile)
			if err != nil {
				return err
			}
			if _, err := os.Stat(cfg.DBPath); errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(f.Err, "Aucune base à effacer : %s n'existe pas.\n", cfg.DBPath)
				return nil
			}
			if !yes {
				if err := confirm(f, fmt.Sprintf("La base %s sera effacée, avec toutes les données des élèves.", cfg.DBPath)); err != nil {
					return err
				}
			}
			// Only a pixcert store is erased: --db may name any file.
			_, err = store.Remove(cmd.Context(), cfg.DBPath)
			if errors.Is(err, store.ErrNotAStore) {
				return &usageError{noHint: true, cause: err, msg: err.Error()}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(f.Err, "Base %s effacée.\n", cfg.DBPath)
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "ne demande pas de confirmation")
	cmd.Flags().StringVar(&before, "before", "", "n'efface que les envois et imports d'avant ce jour (jj/mm/aaaa)")
	return cmd
}

func purgeBefore(cmd *cobra.Command, f *Factory, text string, yes bool) error {
	day, err := parseDay("before", text, f.Now())
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	st, err := f.ExistingStore(ctx)
	if err != nil {
		return err
	}
	say := func(p store.Purged) string {
		s := fmt.Sprintf("%s d'avant le %s, %s sans envoi, %s de la liste sans rien d'autre, %s",
			french.Plural(p.Sendings, "envoi daté", "envois datés"), frdate.French(day), french.Plural(p.Participants, "participant", "participants"),
			french.Plural(p.Students, "élève sorti", "élèves sortis"), french.Plural(p.Imports, "import", "imports"))
		if p.Results > 0 || p.Sessions > 0 {
			s += fmt.Sprintf(", %s et %s d'avant ce jour", french.Plural(p.Results, "résultat de certification", "résultats de certification"),
				french.Plural(p.Sessions, "session", "sessions"))
		}
		return s
	}
	if !yes {
		plan, err := st.PurgeBefore(ctx, day, true)
		if err != nil {
			return err
		}
		if err := confirm(f, "Seront effacés : "+say(plan)+"."); err != nil {
			return err
		}
	}
	done, err := st.PurgeBefore(ctx, day, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.Err, "Effacés : %s.\n", say(done))
	return nil
}
