package cmd

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/match"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/view"
	"github.com/pixcert/pixcert/internal/visible"
)

var planFormats = []string{"table", "json", "md"}

// sessionsPlanOptions are the flags of `pixcert sessions plan`.
type sessionsPlanOptions struct {
	f  *Factory
	ec *establishmentChoice
	// Who.
	Classes    []string
	Students   []string // --eleve: students added by name or INE
	Candidates string   // --candidates: a file of students
	ExtraTime  []string // --temps-majore "NOM Prénom=33%"
	// Where and when: a plan file, or options.
	PlanFile         string
	Site             string
	Rooms, Slots     []string
	Supervisors      []string
	Duration, Margin string
	DryRun           bool
	Format           string
}

func newSessionsPlanCmd(f *Factory, ec *establishmentChoice) *cobra.Command {
	opts := &sessionsPlanOptions{f: f, ec: ec}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Répartit les élèves à présenter dans des sessions (salles, créneaux, surveillants)",
		Long: `Répartit les élèves à présenter dans les salles et créneaux donnés, et enregistre les
sessions (pixcert sessions les liste).

Qui : par défaut les élèves certifiables (d'après le dernier profil envoyé) des classes de
--class, ou de tout l'établissement ; plus ceux de --eleve (nom et prénom, ou INE) et ceux
d'un fichier --candidates (colonnes INE, ou Nom et Prénom, avec Classe, Date de naissance et
Temps majoré facultatifs), quel que soit leur statut. Les non certifiables des classes
choisies sont listés à part : Pix Certif vérifie la certificabilité à l'inscription, et leur
profil a pu progresser depuis leur dernier envoi. Un élève déjà prévu dans une session à
venir, ou dont la certification est « Validée », n'est pas replanifié.

Où et quand : un fichier de planning (--plan, .csv ou .yaml), ou les options --salle (nom et
places : CDI:30), --creneau (date et heure : "16/03/2026 08:30", chaque créneau dans chaque
salle) et --surveillant (partagés entre les sessions, jamais deux salles à la fois), avec
--site. Le fichier CSV a une ligne par salle et créneau, colonnes Site, Salle, Places, Date,
Heure, Surveillants (plusieurs séparés par des virgules) et Observations :
  Site;Salle;Places;Date;Heure;Surveillants
  Collège Jean Moulin;CDI;30;16/03/2026;08:30;Mme Durand
  Collège Jean Moulin;Salle 12;24;16/03/2026;08:30;M. Petit
  Collège Jean Moulin;CDI;30;16/03/2026;10:45;Mme Durand, M. Petit
Le README montre un fichier .yaml équivalent.

Durée : l'épreuve dure 1h45 (--duree), avec 15 min (--marge) pour installer les candidats
avant et libérer la salle après : deux créneaux d'une même salle sont espacés d'au moins
2h15. Un élève avec un temps majoré (--temps-majore "NOM Prénom=33%", ou la colonne du
fichier --candidates) a une épreuve plus longue : il va dans une session qui peut durer
autant.

Comment : une classe reste ensemble quand une salle peut la contenir, jamais plus
d'élèves que de places, aucun élève deux fois, aucun surveillant dans deux salles à la
fois. Le même appel donne le même plan. Ce qui ne tient pas est dit : quels élèves, et
pourquoi. --dry-run montre le plan sans l'enregistrer.`,
		Example: `  pixcert sessions plan --class 3E1,3E2,3E3 --salle CDI:30 --salle "Salle 12:24" \
      --creneau "16/03/2026 08:30" --creneau "16/03/2026 10:45" \
      --surveillant "Mme Durand" --surveillant "M. Petit" --temps-majore "LEFÈVRE Hugo=33%"
  pixcert sessions plan --plan planning.csv --class 3E1 --dry-run
  pixcert sessions plan --plan planning.yaml --candidates candidats.csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkDocumentFormat(f, opts.Format, planFormats); err != nil {
				return err
			}
			return sessionsPlanRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Classes, "class", nil, "classe(s) dont présenter les élèves certifiables : --class 3E1,3E2")
	fl.StringArrayVar(&opts.Students, "eleve", nil, "élève à présenter en plus, quel que soit son statut (nom et prénom, ou INE)")
	fl.StringVar(&opts.Candidates, "candidates", "", "fichier des élèves à présenter en plus (CSV : INE, ou Nom et Prénom ; Temps majoré)")
	fl.StringArrayVar(&opts.ExtraTime, "temps-majore", nil, "temps majoré d'un élève : \"NOM Prénom=33%\" (33 % sans valeur)")
	fl.StringVar(&opts.PlanFile, "plan", "", "fichier de planning : salles, places, dates, heures, surveillants (.csv ou .yaml)")
	fl.StringVar(&opts.Site, "site", "", "nom du site (par défaut : l'établissement)")
	fl.StringArrayVar(&opts.Rooms, "salle", nil, "salle et places : CDI:30")
	fl.StringArrayVar(&opts.Slots, "creneau", nil, "date et heure de début : \"16/03/2026 08:30\"")
	fl.StringArrayVar(&opts.Supervisors, "surveillant", nil, "surveillant, partagé entre les sessions")
	fl.StringVar(&opts.Duration, "duree", "", "durée de l'épreuve (par défaut : 1h45)")
	fl.StringVar(&opts.Margin, "marge", "", "temps d'installation avant et après l'épreuve (par défaut : 15min)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "montre le plan sans l'enregistrer")
	fl.StringVar(&opts.Format, "format", "table", "format : "+strings.Join(planFormats, ", "))
	return cmd
}

func sessionsPlanRun(cmd *cobra.Command, opts *sessionsPlanOptions) error {
	ctx := cmd.Context()
	f := opts.f
	sc, err := openScoped(ctx, f, opts.ec, opts.Classes)
	if err != nil {
		return err
	}
	if sc.empty {
		return usageErrorf("la base ne tient aucun élève : importez d'abord la liste des élèves et les exports des collectes (pixcert import)")
	}
	estab := sc.estab
	if estab.ID == 0 {
		list, err := sc.st.Establishments(ctx)
		if err != nil {
			return err
		}
		for _, e := range list {
			if e.HasStudents {
				if estab.ID != 0 {
					return usageErrorf("la base tient plusieurs établissements : choisissez celui des sessions avec --etablissement")
				}
				estab = e
			}
		}
	}
	spec, err := opts.spec(estab, sc.scope.Establishment)
	if err != nil {
		return err
	}
	candidates, apart, err := opts.candidates(ctx, sc.st, estab.ID)
	if err != nil {
		return err
	}
	if len(candidates) == 0 {
		return usageErrorf("aucun élève à présenter : aucun élève certifiable dans %s, et aucun ajouté avec --eleve ou --candidates",
			map[bool]string{true: "les classes choisies", false: "l'établissement"}[len(opts.Classes) > 0])
	}
	plan, err := sessions.Make(spec, candidates)
	if err != nil {
		return &usageError{noHint: true, msg: "le planning ne convient pas :\n" + err.Error(), cause: err}
	}
	// The sessions stored before keep their rooms and supervisors: a new
	// one may not share them at the same time.
	found, err := sc.st.Clashes(ctx, estab.ID, plan.Sessions, f.Now())
	if err != nil {
		return err
	}
	var clashes []string
	for i := range plan.Sessions {
		for _, c := range found[i] {
			clashes = append(clashes, fmt.Sprintf("le %s à %s, %s", plan.Sessions[i].Start.In(frdate.Paris()).Format("02/01/2006"),
				plan.Sessions[i].Start.In(frdate.Paris()).Format("15:04"), c))
		}
	}
	if len(clashes) > 0 {
		return &usageError{noHint: true, msg: "ce planning empiète sur des sessions déjà enregistrées :\n  " + strings.Join(clashes, "\n  ") +
			"\nChoisissez d'autres créneaux, salles ou surveillants, ou supprimez d'abord ces sessions (pixcert sessions cancel N°)."}
	}
	outcome := view.PlanOutcome{Left: plan.Left, NotCertifiable: apart, DryRun: opts.DryRun}
	if opts.DryRun {
		for _, se := range plan.Sessions {
			outcome.Sessions = append(outcome.Sessions, store.StoredSession{Session: se, Establishment: sc.scope.Establishment})
		}
	} else {
		ids, err := sc.st.SaveSessions(ctx, estab.ID, plan.Sessions, f.Now())
		if err != nil {
			return sessionError(err)
		}
		if outcome.Sessions, err = sc.st.Sessions(ctx, estab.ID, ids); err != nil {
			return err
		}
	}
	w := newWriter(f, opts.Format, planFormats, f.Out)
	if err := w.Write(f.Out, view.Plan(outcome, sc.scope)); err != nil {
		return err
	}
	placed := 0
	for _, se := range plan.Sessions {
		placed += len(se.Candidates)
	}
	switch {
	case opts.DryRun:
		fmt.Fprintf(f.Err, "Essai : %s, %s, rien n'est enregistré.\n", french.Plural(len(plan.Sessions), "session", "sessions"),
			french.Plural(placed, "élève placé", "élèves placés"))
	default:
		fmt.Fprintf(f.Err, "%s enregistrée%s, %s. Ensuite : pixcert sessions convocations -o convocations.html, "+
			"pixcert sessions emargement -o emargement.html, pixcert sessions inscriptions.\n",
			french.Plural(len(plan.Sessions), "session", "sessions"), french.Pick(len(plan.Sessions), "", "s"), french.Plural(placed, "élève placé", "élèves placés"))
	}
	if len(plan.Left) > 0 {
		where := "voir « Élèves non placés » ci-dessus, avec la raison"
		if opts.Format == "json" {
			where = "voir « left », avec la raison"
		}
		fmt.Fprintf(f.Err, "%s : %s.\n", french.Plural(len(plan.Left), "élève n'a pas de place", "élèves n'ont pas de place"), where)
	}
	return nil
}

// spec is where and when, from the plan file or the options.
func (opts *sessionsPlanOptions) spec(estab store.Establishment, name string) (sessions.Spec, error) {
	byOptions := len(opts.Rooms) > 0 || len(opts.Slots) > 0 || len(opts.Supervisors) > 0
	switch {
	case opts.PlanFile != "" && byOptions:
		return sessions.Spec{}, usageErrorf("donnez les salles et créneaux par un fichier (--plan) ou par les options --salle, --creneau et --surveillant, pas les deux")
	case opts.PlanFile == "" && !byOptions:
		return sessions.Spec{}, usageErrorf("où et quand ? Donnez les salles, créneaux et surveillants, par exemple :\n" +
			"  pixcert sessions plan --salle CDI:30 --creneau \"16/03/2026 08:30\" --surveillant \"Mme Durand\"\n" +
			"ou un fichier de planning : pixcert sessions plan --plan planning.csv (pixcert help sessions plan)")
	}
	if opts.PlanFile == "" {
		site := opts.Site
		if site == "" {
			site = name
		}
		spec, err := sessions.SpecFromOptions(site, opts.Rooms, opts.Slots, opts.Supervisors, opts.Duration, opts.Margin, opts.f.Now())
		if err != nil {
			return spec, &usageError{noHint: true, msg: err.Error(), cause: err}
		}
		return spec, nil
	}
	file, err := os.Open(opts.PlanFile)
	if err != nil {
		return sessions.Spec{}, usageErrorf("--plan : %s", visible.Lines(frenchMessage(err)))
	}
	defer file.Close()
	spec, err := sessions.ReadSpec(opts.PlanFile, file, opts.f.Now())
	if err != nil {
		return spec, &usageError{noHint: true, msg: err.Error(), cause: err}
	}
	for i := range spec.Slots {
		if spec.Slots[i].Site == "" {
			spec.Slots[i].Site = cmp.Or(opts.Site, name)
		}
	}
	if opts.Duration != "" || opts.Margin != "" {
		return spec, usageErrorf("--duree et --marge vont avec --salle et --creneau ; avec --plan, écrivez-les dans le fichier")
	}
	return spec, nil
}

// candidates are the students to present: the certifiable ones of the
// classes chosen (of the establishment when none), those added by name or
// by file; without the students already in a session to come, or already
// certified. apart are the others of the classes, not certifiable.
func (opts *sessionsPlanOptions) candidates(ctx context.Context, st *store.Store, estab int64) (list []sessions.Candidate, apart []store.StudentStatus, err error) {
	certs, err := st.Certifications(ctx, estab)
	if err != nil {
		return nil, nil, err
	}
	planned, err := st.PlannedToCome(ctx, estab, opts.f.Now())
	if err != nil {
		return nil, nil, err
	}
	skip := func(s *store.StudentStatus) bool {
		if _, ok := planned[s.ID]; ok {
			return true
		}
		r := certs.Students[s.ID].Result
		return r != nil && sessions.Certified(r.Status)
	}
	seen := map[int64]int{} // index in list
	add := func(s *store.StudentStatus, extra int) {
		if i, ok := seen[s.ID]; ok {
			list[i].ExtraTime = max(list[i].ExtraTime, extra)
			return
		}
		seen[s.ID] = len(list)
		list = append(list, sessions.Candidate{StudentID: s.ID, LastName: s.LastName, FirstName: s.FirstName, Birthdate: s.Birthdate,
			Class: s.Class, NationalID: s.NationalID, ExtraTime: extra})
	}
	var skipped int
	if len(opts.Classes) > 0 || (len(opts.Students) == 0 && opts.Candidates == "") {
		students, err := st.Students(ctx, store.Filter{Establishment: estab, Classes: opts.Classes, Sort: store.SortClass})
		if err != nil {
			return nil, nil, err
		}
		for i := range students {
			s := &students[i]
			switch {
			case skip(s):
				skipped++
			case s.Status == certif.Certifiable:
				add(s, 0)
			default:
				apart = append(apart, *s)
			}
		}
	}
	for _, text := range opts.Students {
		s, err := oneStudent(ctx, st, text, estab)
		if err != nil {
			return nil, nil, fmt.Errorf("--eleve : %w", err)
		}
		add(&s, 0)
	}
	if opts.Candidates != "" {
		refs, err := readCandidatesFile(opts.Candidates, opts.f)
		if err != nil {
			return nil, nil, err
		}
		var problems []string
		for _, ref := range refs {
			s, problem, err := findCandidate(ctx, st, estab, ref)
			if err != nil {
				return nil, nil, err
			}
			if problem != "" {
				problems = append(problems, fmt.Sprintf("%s, ligne %d : %s", visible.Escape(opts.Candidates), ref.Line, problem))
				continue
			}
			add(&s, ref.ExtraTime)
		}
		if len(problems) > 0 {
			return nil, nil, &usageError{noHint: true, msg: strings.Join(problems, "\n") +
				"\nCorrigez le fichier (INE, ou nom, prénom et classe tels que la liste d'élèves les écrit), puis relancez."}
		}
	}
	for _, text := range opts.ExtraTime {
		who, rate, _ := strings.Cut(text, "=")
		extra := sessions.DefaultExtraTime
		if strings.TrimSpace(rate) != "" {
			if extra, err = sessions.ParseExtraTime(rate); err != nil {
				return nil, nil, usageErrorf("--temps-majore « %s » : %v", visible.Quote(text), err)
			}
		}
		s, err := oneStudent(ctx, st, who, estab)
		if err != nil {
			return nil, nil, fmt.Errorf("--temps-majore : %w", err)
		}
		i, ok := seen[s.ID]
		if !ok {
			return nil, nil, usageErrorf("--temps-majore : %s n'est pas parmi les élèves à présenter (certifiable d'une classe de --class, "+
				"ou ajouté par --eleve ou --candidates)", visible.Escape(s.LastName+" "+s.FirstName))
		}
		list[i].ExtraTime = extra
	}
	// Those already planned or certified are said, not silently dropped.
	list = slices.DeleteFunc(list, func(c sessions.Candidate) bool {
		s := &store.StudentStatus{ID: c.StudentID}
		if skip(s) {
			skipped++
			return true
		}
		return false
	})
	// A student of the classes added by name or by file is planned, not
	// apart.
	apart = slices.DeleteFunc(apart, func(s store.StudentStatus) bool { _, added := seen[s.ID]; return added })
	if skipped > 0 {
		fmt.Fprintf(opts.f.Err, "%s : déjà prévus dans une session à venir, ou déjà certifiés (« Validée »).\n",
			french.Plural(skipped, "élève non replanifié", "élèves non replanifiés"))
	}
	return list, apart, nil
}

// findCandidate finds the student a row of a candidates file names: by
// INE, else by name, the class and birth date telling namesakes apart.
func findCandidate(ctx context.Context, st *store.Store, estab int64, ref sessions.CandidateRef) (store.StudentStatus, string, error) {
	named := func(s store.StudentStatus) bool {
		m := match.Student{LastName: s.LastName, FirstNames: s.FirstName}
		return slices.Contains(m.NameKeys(), match.NameKey(ref.LastName, ref.FirstName))
	}
	if ref.NationalID != "" {
		found, err := st.StudentsWithID(ctx, ref.NationalID, estab)
		switch {
		case err != nil:
			return store.StudentStatus{}, "", err
		case len(found) == 0:
			return store.StudentStatus{}, fmt.Sprintf("aucun élève de la liste actuelle n'a l'INE « %s »", visible.Quote(ref.NationalID)), nil
		case ref.LastName != "" && !named(found[0]):
			// The INE and the names say two students: which one is meant
			// is the person's to say.
			return store.StudentStatus{}, fmt.Sprintf("l'INE « %s » est celui de %s, pas de %s : corrigez l'INE ou le nom",
				visible.Quote(ref.NationalID), visible.Quote(found[0].LastName+" "+found[0].FirstName),
				visible.Quote(strings.TrimSpace(ref.LastName+" "+ref.FirstName))), nil
		}
		return found[0], "", nil
	}
	found, err := st.FindStudents(ctx, ref.LastName+" "+ref.FirstName, estab)
	if err != nil {
		return store.StudentStatus{}, "", err
	}
	found = slices.DeleteFunc(found, func(s store.StudentStatus) bool {
		return !named(s) ||
			(ref.Class != "" && fold.Key(ref.Class) != fold.Key(s.Class)) ||
			(ref.Birthdate != "" && s.Birthdate != "" && ref.Birthdate != s.Birthdate)
	})
	who := visible.Quote(strings.TrimSpace(ref.LastName + " " + ref.FirstName))
	switch len(found) {
	case 1:
		return found[0], "", nil
	case 0:
		return store.StudentStatus{}, fmt.Sprintf("aucun élève de la liste actuelle ne s'appelle « %s »%s", who,
			map[bool]string{true: " en " + visible.Quote(ref.Class), false: ""}[ref.Class != ""]), nil
	}
	return store.StudentStatus{}, fmt.Sprintf("%d élèves s'appellent « %s » : ajoutez la classe, la date de naissance ou l'INE", len(found), who), nil
}

// readCandidatesFile reads a --candidates file.
func readCandidatesFile(path string, f *Factory) ([]sessions.CandidateRef, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, usageErrorf("--candidates : %s", visible.Lines(frenchMessage(err)))
	}
	defer file.Close()
	refs, err := sessions.ReadCandidates(path, file, f.Now())
	if err != nil {
		return nil, &usageError{noHint: true, msg: err.Error(), cause: err}
	}
	return refs, nil
}
