package importer

import (
	"fmt"
	"io"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/visible"
)

// ShownPerFile is how many problems of one file are printed before a count
// of the others, as Pix Orga does for a bad student file.
const ShownPerFile = 20

// WriteSummary writes, in French, what became of each file.
func (r *Result) WriteSummary(w io.Writer) {
	named := map[string]bool{} // establishments already named
	for _, f := range r.Files {
		if !f.Already.ImportedAt.IsZero() || f.Already.ThisRun {
			writeAlready(w, f)
			continue
		}
		fmt.Fprintf(w, "%s : %s", f.Name, f.Kind)
		if f.Format != "" {
			fmt.Fprintf(w, ", %s", f.Format)
		}
		fmt.Fprintf(w, " (%s)\n", f.Source)
		if f.Establishment != "" && !named[f.Establishment] {
			named[f.Establishment] = true
			if f.NewEstablishment {
				fmt.Fprintf(w, "  établissement « %s » : nouvel établissement dans la base\n", visible.Quote(f.Establishment))
			} else {
				fmt.Fprintf(w, "  établissement « %s »\n", visible.Quote(f.Establishment))
			}
		}
		switch f.Kind {
		case KindRoster:
			fmt.Fprintf(w, "  %s : %s, %s, %s\n", french.Plural(f.Rows, "élève", "élèves"),
				french.Plural(f.Added, "ajouté", "ajoutés"), french.Plural(f.Updated, "mis à jour", "mis à jour"), french.Plural(f.Unchanged, "inchangé", "inchangés"))
		case KindCollecte:
			fmt.Fprintf(w, "  %s (%s), %s, %s\n",
				french.Plural(f.Rows, "participation", "participations"), french.Plural(f.NewRows, "nouvelle", "nouvelles"),
				french.Plural(f.Sendings, "envoi", "envois"), french.Plural(f.Participants, "participant", "participants"))
			if f.Unmatched > 0 {
				fmt.Fprintf(w, "  %s dans la liste d'élèves (conservés, rapprochés dès qu'une liste les contient)\n",
					french.Plural(f.Unmatched, "participant non trouvé", "participants non trouvés"))
			}
		case KindResults:
			fmt.Fprintf(w, "  %s (%s), %s\n", french.Plural(f.Rows, "résultat", "résultats"), french.Plural(f.NewRows, "nouveau", "nouveaux"),
				french.Plural(f.Rows-f.Unmatched, "rapproché d'un élève", "rapprochés d'un élève"))
			if f.Unmatched > 0 {
				fmt.Fprintf(w, "  %s dans la liste d'élèves (conservés, rapprochés dès qu'une liste les contient ; voir pixcert unmatched)\n",
					french.Plural(f.Unmatched, "résultat dont l'élève n'est pas trouvé", "résultats dont l'élève n'est pas trouvé"))
			}
		}
		for _, note := range f.Notes {
			fmt.Fprintf(w, "  %s\n", note)
		}
		writeProblems(w, "avertissement", f.Warnings)
	}
	for _, rn := range r.Renamed {
		fmt.Fprintf(w, "L'établissement %s a changé de nom dans Pix : il s'appelle désormais « %s ».\n", visible.Escape(rn.From), visible.Quote(rn.To))
	}
	if r.LeftRoster > 0 {
		fmt.Fprintf(w, "%s de la liste précédente absents de la nouvelle : retirés de l'affichage, leur historique est conservé.\n",
			french.Plural(r.LeftRoster, "élève", "élèves"))
	}
	if r.DryRun {
		fmt.Fprintln(w, "Vérification seule (--dry-run) : rien n'a été enregistré.")
	}
}

// ReadARoster tells whether the import read a roster, rather than
// recognised one imported before.
func (r *Result) ReadARoster() bool {
	for _, f := range r.Files {
		if f.Kind == KindRoster && f.Already.ImportedAt.IsZero() && !f.Already.ThisRun {
			return true
		}
	}
	return false
}

// writeAlready says that a file was recognised, by its bytes, as one
// imported before, and not read again.
func writeAlready(w io.Writer, f *FileResult) {
	what, done := "export « Collecte de profils » déjà importé", "il n'apporte rien de nouveau et n'est pas relu"
	switch f.Kind {
	case KindRoster:
		what, done = "liste d'élèves déjà importée", "c'est déjà la liste actuelle, elle n'est pas relue"
	case KindResults:
		what = "export des résultats de certification déjà importé"
	}
	if f.Already.ThisRun {
		fmt.Fprintf(w, "%s : même contenu qu'un fichier déjà donné à cette commande : ignoré.\n", f.Name)
		return
	}
	fmt.Fprintf(w, "%s : %s le %s", f.Name, what, f.Already.ImportedAt.Local().Format("02/01/2006"))
	if f.Already.File != f.Name {
		fmt.Fprintf(w, " (sous le nom %s)", f.Already.File)
	}
	fmt.Fprintf(w, " : %s.\n", done)
}

// WriteErrors writes every file's problems, grouped by file, the first
// ShownPerFile of each, then how many more there are.
func (r *Result) WriteErrors(w io.Writer) {
	for _, f := range r.Files {
		writeProblems(w, "erreur", f.Errors)
	}
	files, total := 0, 0
	for _, f := range r.Files {
		if f.Errors.Total > 0 {
			files++
			total += f.Errors.Total
		}
	}
	fmt.Fprintf(w, "%s dans %s : rien n'a été importé, la base est inchangée. Corrigez et relancez la même commande.\n",
		french.Plural(total, "erreur", "erreurs"), french.Plural(files, "fichier", "fichiers"))
}

func writeProblems(w io.Writer, label string, c fileerr.Collector) {
	for i, e := range c.Kept {
		if i == ShownPerFile {
			break
		}
		fmt.Fprintf(w, "%s : %s\n", label, e)
	}
	if more := c.Total - min(len(c.Kept), ShownPerFile); more > 0 && len(c.Kept) > 0 {
		fmt.Fprintf(w, "%s : %s, … et %s de plus dans ce fichier.\n", label, c.Kept[0].File, french.Plural(more, label, label+"s"))
	}
}
