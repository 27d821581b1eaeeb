package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pixcert/pixcert/internal/config"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/visible"
)

// guideRun is pixcert without a command: what a person needs to begin, not
// the whole help. It reads the store without creating or changing it.
func guideRun(ctx context.Context, f *Factory) error {
	fmt.Fprint(f.Out, `pixcert dit quels élèves sont certifiables Pix (au moins 5 compétences de niveau 1 ou
plus), d'après le dernier profil que chacun a envoyé.

Les trois commandes principales :
  pixcert import eleves.csv Resultats-*.csv
      importe la liste des élèves et les exports « Collecte de profils » de Pix Orga
  pixcert status --class 3E2
      affiche la certificabilité de chaque élève, classe par classe
  pixcert report --not-certifiable -o relance.xlsx
      écrit le fichier des élèves à relancer, et ce qui leur manque

Puis, pour la certification : pixcert sessions plan (salles, créneaux, convocations),
et après la session, pixcert import des résultats et pixcert results.

`)
	writeStoreState(ctx, f.Out, f)
	fmt.Fprintln(f.Out, "\nToutes les commandes et leurs options : pixcert help")
	return nil
}

// writeStoreState says where the store is and what it holds.
func writeStoreState(ctx context.Context, w io.Writer, f *Factory) {
	cfg, err := config.Load(f.flags, f.configFile)
	if err != nil {
		fmt.Fprintf(w, "Base : introuvable : %s\n", visible.Lines(frenchMessage(err)))
		return
	}
	fmt.Fprintf(w, "Base : %s\n", visible.Escape(cfg.DBPath))
	st, err := store.Peek(ctx, cfg.DBPath)
	switch {
	case errors.Is(err, store.ErrNoStore):
		fmt.Fprintln(w, "  pas encore créée : le premier import la crée")
		return
	case errors.Is(err, store.ErrOlderStore):
		fmt.Fprintln(w, "  base d'une version précédente de pixcert : la prochaine commande (par exemple pixcert status) la convertit, sans rien perdre")
		return
	case errors.Is(err, store.ErrNotCurrent):
		fmt.Fprintln(w, "  ce n'est pas une base de cette version de pixcert : pixcert check dit ce qu'elle est")
		return
	case err != nil:
		fmt.Fprintf(w, "  illisible : %s\n", visible.Lines(frenchMessage(err)))
		return
	}
	defer st.Close()
	sum, err := st.Summary(ctx)
	if err != nil {
		fmt.Fprintf(w, "  illisible : %s\n", visible.Lines(frenchMessage(err)))
		return
	}
	students := french.Plural(sum.Students, "élève", "élèves")
	if sum.Students == 0 {
		students = "aucun élève (importez la liste des élèves)"
	}
	if !sum.LastImport.IsZero() {
		students += ", dernier import le " + sum.LastImport.In(frdate.Paris()).Format("02/01/2006 à 15:04")
	}
	fmt.Fprintf(w, "  %s\n", students)
}
