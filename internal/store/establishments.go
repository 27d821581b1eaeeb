package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/visible"
)

// Kind is what a file imported is.
type Kind string

const (
	KindRoster   Kind = "roster"
	KindCollecte Kind = "collecte"
)

// FilePlan is what the importer knows of a file before it reads its rows.
type FilePlan struct {
	Name   string // the file, as messages name it
	Kind   Kind   // "" for a file that is neither: it is left out
	SHA256 string // of the file's bytes, hex; "" when unknown
	// Organization is a collecte's "Nom de l'organisation", from its first
	// row; "" when it has none.
	Organization string
	// UAI is a SIECLE XML roster's PARAMETRES/UAJ.
	UAI string
	// CampaignID is a collecte's "ID Campagne", from its first row.
	CampaignID int64
	// Bytes is the file's size, which sizes what the import keeps in
	// memory.
	Bytes int64
}

// FileDecision is what an import decided for a file, before reading it.
type FileDecision struct {
	Establishment    string // its name; "" while no export has named it
	NewEstablishment bool
	// Already is the import of the same file (same SHA-256): the file
	// brings nothing new and is not read. Zero when it was not imported.
	Already PreviousImport
	// ReadAgain is the earlier import of the same results export, which
	// is read again all the same: the export imported last decides a
	// certification, and reading it again makes it the last.
	ReadAgain PreviousImport
	// Err says why the file cannot be imported.
	Err error
}

// PreviousImport is an earlier import of a file.
type PreviousImport struct {
	File       string
	ImportedAt time.Time // zero: not imported before
	ThisRun    bool      // given twice to this import
}

type establishment struct {
	id        int64
	name, key string // "" while unnamed
	uai       string
	isNew     bool
}

// Plan decides, before any row is read, the establishment of each file
// and which files were already imported. A collecte belongs to the
// establishment its organization names, a SIECLE XML roster to its UAI;
// a file that says neither belongs to the one establishment the other
// files of the import name, else to the one establishment of the store.
// chosen, when not "", is the establishment a person named (Choose) among
// those of the store and of this import's exports: files that name no
// establishment are its, files that name another are refused. A file
// whose establishment cannot be told, or a chosen that names none or
// several, is a *ChoiceError: the person must choose.
func (im *Import) Plan(plans []FilePlan, chosen string) ([]FileDecision, error) {
	estabs, err := loadEstablishments(im.ctx, im.tx)
	if err != nil {
		return nil, err
	}
	im.plans = plans
	im.fileEstab = make([]*establishment, len(plans))
	for _, p := range plans {
		switch p.Kind {
		case KindRoster:
			im.rosterBytes += p.Bytes
		case KindCollecte:
			im.exportBytes += p.Bytes
		}
	}
	named := map[*establishment]bool{} // what this import's files name
	problems := map[int]error{}
	// Collectes first: their campaigns and organizations name the
	// establishments. A campaign is one organization's in Pix: a campaign
	// the store holds says whose its export is.
	newOrganizations := map[string]bool{}
	for i, p := range plans {
		key := fold.Key(p.Organization)
		if p.Kind != KindCollecte {
			continue
		}
		held, err := im.campaignEstablishment(estabs, p.CampaignID)
		switch {
		case err != nil:
			return nil, err
		case held != nil && key != "" && held.key != key:
			if other := findEstablishment(estabs, func(e *establishment) bool { return e.key == key }); other != nil {
				problems[i] = fmt.Errorf("la campagne %d est celle de l'établissement %s dans la base, mais ce fichier la dit de %s : "+
					"vérifiez que c'est bien l'export téléchargé depuis Pix Orga, sans modification de la colonne « Nom de l'organisation »", p.CampaignID, held, other)
				continue
			}
			// The organization was renamed in Pix: its establishment too.
			im.renamed = append(im.renamed, Renaming{From: held.String(), To: p.Organization})
			held.name, held.key = p.Organization, key
			fallthrough
		case held != nil:
			im.fileEstab[i], named[held] = held, true
		case key != "" && findEstablishment(estabs, func(e *establishment) bool { return e.key == key }) == nil:
			newOrganizations[key] = true
		}
	}
	// A store whose only establishment was never named (a roster imported
	// first) is that of the organization this import names, when it names
	// one: with several, whose the roster is cannot be told.
	unnamed := onlyEstablishment(estabs)
	if unnamed != nil && unnamed.key != "" {
		unnamed = nil
	}
	for i, p := range plans {
		key := fold.Key(p.Organization)
		if p.Kind != KindCollecte || key == "" || im.fileEstab[i] != nil || problems[i] != nil {
			continue
		}
		e := findEstablishment(estabs, func(e *establishment) bool { return e.key == key })
		switch {
		case e != nil:
		case unnamed != nil && len(newOrganizations) > 1:
			var names []string
			for _, q := range plans {
				if k := fold.Key(q.Organization); q.Kind == KindCollecte && newOrganizations[k] && !slices.Contains(names, "« "+q.Organization+" »") {
					names = append(names, "« "+q.Organization+" »")
				}
			}
			problems[i] = fmt.Errorf("la base tient une liste d'élèves dont l'établissement n'est pas encore nommé, et cette commande importe "+
				"les exports de plusieurs établissements (%s) : importez d'abord, seul, l'export de l'établissement de cette liste", strings.Join(names, ", "))
			continue
		case unnamed != nil:
			e = unnamed
			e.name, e.key = p.Organization, key
		default:
			e = &establishment{isNew: true, name: p.Organization, key: key}
			estabs = append(estabs, e)
		}
		im.fileEstab[i], named[e] = e, true
	}
	var target *establishment
	if chosen != "" {
		labels := make([]string, len(estabs))
		for i, e := range estabs {
			labels[i] = e.String()
		}
		i, err := choose(labels, chosen, func(i int) (string, string) { return estabs[i].name, estabs[i].uai })
		if err != nil {
			return nil, err
		}
		target = estabs[i]
		for i, e := range im.fileEstab {
			if e != nil && e != target && problems[i] == nil {
				problems[i] = fmt.Errorf("ce fichier est l'export de l'établissement %s, et --etablissement choisit %s : "+
					"importez-le sans --etablissement, ou dans une commande à part", e, target)
			}
		}
	}
	for i, p := range plans {
		if p.UAI == "" {
			continue
		}
		uai := strings.ToUpper(strings.TrimSpace(p.UAI))
		e := findEstablishment(estabs, func(e *establishment) bool { return e.uai == uai })
		switch {
		case target != nil && e != nil && e != target:
			problems[i] = fmt.Errorf("ce fichier est la liste de l'établissement %s (UAI %s), et --etablissement choisit %s : "+
				"importez-le sans --etablissement, ou dans une commande à part", e, visible.Quote(uai), target)
			continue
		case target != nil && e == nil && target.uai != "":
			problems[i] = fmt.Errorf("ce fichier est la liste de l'établissement d'UAI %s, et --etablissement choisit %s, d'UAI %s : "+
				"vérifiez que c'est bien l'export SIECLE de cet établissement", visible.Quote(uai), target, visible.Quote(target.uai))
			continue
		case target != nil && e == nil:
			e = target
		case e != nil:
		default:
			if one := onlyOf(named); one != nil && one.uai == "" {
				e = one
			} else if one := onlyEstablishment(estabs); one != nil && one.uai == "" && len(named) == 0 {
				e = one
			} else {
				e = &establishment{isNew: true}
				estabs = append(estabs, e)
			}
		}
		e.uai = uai
		im.fileEstab[i], named[e] = e, true
	}
	var unplaced, unplacedNames []string
	for i, p := range plans {
		if im.fileEstab[i] != nil || p.Kind == "" || problems[i] != nil {
			continue
		}
		e := target
		if e == nil {
			e = onlyOf(named)
		}
		if e == nil {
			e = onlyEstablishment(estabs)
		}
		if e == nil && len(estabs) == 0 {
			e = &establishment{isNew: true}
			estabs = append(estabs, e)
		}
		if e == nil {
			unplaced = append(unplaced, "« "+visible.Quote(p.Name)+" »")
			unplacedNames = append(unplacedNames, visible.Quote(p.Name))
			continue
		}
		im.fileEstab[i] = e
	}
	if len(unplaced) > 0 {
		var names []string
		example := "nom de l'établissement"
		for _, e := range estabs {
			names = append(names, e.String())
			if e.name != "" && example == "nom de l'établissement" {
				example = e.name
			}
		}
		return nil, &ChoiceError{fmt.Sprintf("%s ne dit pas de quel établissement il est, et la base en tient plusieurs : %s. "+
			"Choisissez-le avec --etablissement, par exemple :\n  pixcert import --etablissement \"%s\" %s",
			strings.Join(unplaced, ", "), strings.Join(names, ", "), visible.Quote(example), strings.Join(unplacedNames, " "))}
	}
	for _, e := range estabs {
		if err := im.saveEstablishment(e); err != nil {
			return nil, err
		}
	}
	decisions, err := im.decisions(plans)
	if err != nil {
		return nil, err
	}
	for i, err := range problems {
		decisions[i].Err = err
	}
	return decisions, nil
}

// Renaming is an establishment that an import renamed: its organization
// changed its name in Pix.
type Renaming struct{ From, To string }

// Renamed lists the establishments the import renamed.
func (im *Import) Renamed() []Renaming { return im.renamed }

// campaignEstablishment is the establishment of a campaign the store
// holds, nil when it holds none of that id.
func (im *Import) campaignEstablishment(estabs []*establishment, campaign int64) (*establishment, error) {
	if campaign == 0 {
		return nil, nil
	}
	var id int64
	err := im.tx.QueryRowContext(im.ctx, `SELECT establishment_id FROM campaigns WHERE id = ?`, campaign).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return findEstablishment(estabs, func(e *establishment) bool { return e.id == id }), nil
}

// decisions tells, for each file, its establishment and whether it was
// already imported: a collecte whose bytes were imported before adds
// nothing; rosters make the current list, so they are skipped only when
// they are exactly the files of the establishment's latest list.
func (im *Import) decisions(plans []FilePlan) ([]FileDecision, error) {
	out := make([]FileDecision, len(plans))
	seen := map[string]bool{}
	rosterSHAs := map[int64][]string{}
	for i, p := range plans {
		e := im.fileEstab[i]
		if e == nil {
			continue
		}
		out[i] = FileDecision{Establishment: e.name, NewEstablishment: e.isNew}
		if p.Kind == KindRoster {
			rosterSHAs[e.id] = append(rosterSHAs[e.id], p.SHA256)
			continue
		}
		if p.SHA256 == "" {
			continue
		}
		if seen[p.SHA256] {
			out[i].Already = PreviousImport{ThisRun: true}
			continue
		}
		seen[p.SHA256] = true
		// An export read before brings nothing new: its rows are stored,
		// and matched again whenever a list changes.
		prev, err := im.previousImport(`kind = ? AND sha256 = ?`, string(p.Kind), p.SHA256)
		if err != nil {
			return nil, err
		}
		if p.Kind == KindResults {
			out[i].ReadAgain = prev
		} else {
			out[i].Already = prev
		}
	}
	for estab, shas := range rosterSHAs {
		latest, err := im.latestRosterSHAs(estab)
		if err != nil {
			return nil, err
		}
		slices.Sort(shas)
		if len(latest) == 0 || !slices.Equal(shas, latest) || slices.Contains(shas, "") {
			continue
		}
		for i, p := range plans {
			if p.Kind == KindRoster && im.fileEstab[i] != nil && im.fileEstab[i].id == estab {
				prev, err := im.previousImport(`kind = 'roster' AND sha256 = ? AND establishment_id = ?`, p.SHA256, estab)
				if err != nil {
					return nil, err
				}
				out[i].Already = prev
			}
		}
	}
	return out, nil
}

func (im *Import) previousImport(where string, args ...any) (PreviousImport, error) {
	var prev PreviousImport
	var at string
	err := im.tx.QueryRowContext(im.ctx, `SELECT file_name, imported_at FROM imports WHERE `+where+` ORDER BY id DESC LIMIT 1`, args...).Scan(&prev.File, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return PreviousImport{}, nil
	}
	if err != nil {
		return prev, err
	}
	prev.ImportedAt, err = time.Parse(time.RFC3339, at)
	return prev, err
}

// latestRosterSHAs are the SHA-256 of the files of the establishment's
// latest roster, sorted.
func (im *Import) latestRosterSHAs(estab int64) ([]string, error) {
	rows, err := im.tx.QueryContext(im.ctx, `SELECT coalesce(sha256, '') FROM imports WHERE kind = 'roster' AND establishment_id = ?1
		AND run = (SELECT max(run) FROM imports WHERE kind = 'roster' AND establishment_id = ?1) ORDER BY 1`, estab)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var shas []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, err
		}
		shas = append(shas, sha)
	}
	return shas, rows.Err()
}

func (e *establishment) String() string {
	switch {
	case e.name != "" && e.uai != "":
		return fmt.Sprintf("« %s » (UAI %s)", visible.Quote(e.name), visible.Quote(e.uai))
	case e.name != "":
		return fmt.Sprintf("« %s »", visible.Quote(e.name))
	case e.uai != "":
		return "UAI " + visible.Quote(e.uai)
	}
	return fmt.Sprintf("établissement sans nom n° %d", e.id)
}

func loadEstablishments(ctx context.Context, q querier) ([]*establishment, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(name, ''), coalesce(name_key, ''), coalesce(uai, '') FROM establishments ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("lecture des établissements : %w", err)
	}
	defer rows.Close()
	var out []*establishment
	for rows.Next() {
		e := &establishment{}
		if err := rows.Scan(&e.id, &e.name, &e.key, &e.uai); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// saveEstablishment writes an establishment the plan created or named.
func (im *Import) saveEstablishment(e *establishment) error {
	if e.id == 0 {
		res, err := im.tx.ExecContext(im.ctx, `INSERT INTO establishments (name, name_key, uai) VALUES (?, ?, ?)`,
			nullIfEmpty(e.name), nullIfEmpty(e.key), nullIfEmpty(e.uai))
		if err != nil {
			return fmt.Errorf("enregistrement de l'établissement %s : %w", e, err)
		}
		e.id, err = res.LastInsertId()
		return err
	}
	_, err := im.tx.ExecContext(im.ctx, `UPDATE establishments SET name = ?, name_key = ?, uai = ? WHERE id = ?`,
		nullIfEmpty(e.name), nullIfEmpty(e.key), nullIfEmpty(e.uai), e.id)
	return err
}

func findEstablishment(estabs []*establishment, ok func(*establishment) bool) *establishment {
	for _, e := range estabs {
		if ok(e) {
			return e
		}
	}
	return nil
}

func onlyEstablishment(estabs []*establishment) *establishment {
	if len(estabs) == 1 {
		return estabs[0]
	}
	return nil
}

func onlyOf(set map[*establishment]bool) *establishment {
	if len(set) != 1 {
		return nil
	}
	for e := range set {
		return e
	}
	return nil
}

// Establishment is a school, or any Pix organization, the store holds.
type Establishment struct {
	ID   int64
	Name string // the organization's name in Pix; "" while no export named it
	UAI  string
	// HasStudents: its current roster is not empty.
	HasStudents bool
	// HasCollectes: an export « Collecte de profils » of it was imported
	// (and not forgotten); without one, every student is not communicated.
	HasCollectes bool
}

// Label is how messages and titles name the establishment.
func (e Establishment) Label() string {
	return (&establishment{id: e.ID, name: e.Name, uai: e.UAI}).String()
}

// Establishments lists the establishments of the store, in the order they
// came, and whether their current roster holds anyone (found by the index
// of identities: an académie's million students are not counted).
func (s *Store) Establishments(ctx context.Context) ([]Establishment, error) {
	return s.establishments(ctx, true)
}

// establishments lists the establishments, and, when asked, whether they
// hold students and collectes.
func (s *Store) establishments(ctx context.Context, holdings bool) ([]Establishment, error) {
	held := "0, 0"
	if holdings {
		held = `EXISTS (SELECT 1 FROM students s WHERE s.establishment_id = e.id AND s.current = 1),
			EXISTS (SELECT 1 FROM campaigns c WHERE c.establishment_id = e.id)`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, coalesce(e.name, ''), coalesce(e.uai, ''), `+held+` FROM establishments e ORDER BY e.id`)
	if err != nil {
		return nil, fmt.Errorf("lecture des établissements : %w", err)
	}
	defer rows.Close()
	var out []Establishment
	for rows.Next() {
		var e Establishment
		if err := rows.Scan(&e.ID, &e.Name, &e.UAI, &e.HasStudents, &e.HasCollectes); err != nil {
			return nil, fmt.Errorf("lecture des établissements : %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChoiceError is an establishment a person named that is none of those
// known, or several of them, or a choice a file needed and nobody made.
// Its message lists the establishments to choose from.
type ChoiceError struct{ msg string }

func (e *ChoiceError) Error() string { return e.msg }

// Choose finds the establishment a person means by text: the one whose
// name, or a part of it from a word on, begins like text (compared
// folded: "jean moulin" is « Collège Jean-Moulin »), or whose UAI it is.
// A name equal to text wins over names it only begins.
func Choose(estabs []Establishment, text string) (Establishment, error) {
	labels := make([]string, len(estabs))
	for i, e := range estabs {
		labels[i] = e.Label()
	}
	i, err := choose(labels, text, func(i int) (string, string) { return estabs[i].Name, estabs[i].UAI })
	if err != nil {
		return Establishment{}, err
	}
	return estabs[i], nil
}

// choose is Choose over n establishments, named by labels in messages,
// and whose name and UAI are nameOf(i).
func choose(labels []string, text string, nameOf func(i int) (name, uai string)) (int, error) {
	key := fold.Key(text)
	var exact, begun []int
	for i := range labels {
		name, uai := nameOf(i)
		switch {
		case key == "":
		case fold.Key(name) == key || strings.EqualFold(strings.TrimSpace(text), uai):
			exact = append(exact, i)
		case beginsAWord(name, key):
			begun = append(begun, i)
		}
	}
	found := exact
	if len(found) == 0 {
		found = begun
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(labels) == 0:
		return 0, &ChoiceError{fmt.Sprintf("la base ne connaît encore aucun établissement (« %s » demandé) : "+
			"un établissement est nommé par ses exports « Collecte de profils » ; importez-en un, ou retirez --etablissement", visible.Quote(text))}
	case len(found) == 0:
		return 0, &ChoiceError{fmt.Sprintf("aucun établissement ne correspond à « %s » : choisissez parmi %s", visible.Quote(text), listOf(labels, nil))}
	}
	return 0, &ChoiceError{fmt.Sprintf("« %s » désigne plusieurs établissements (%s) : précisez le nom", visible.Quote(text), listOf(labels, found))}
}

// beginsAWord tells whether a word of name, with the words after it,
// begins with key, compared folded.
func beginsAWord(name, key string) bool {
	words := strings.FieldsFunc(name, func(r rune) bool { return fold.Key(string(r)) == "" })
	for i := range words {
		if strings.HasPrefix(fold.Key(strings.Join(words[i:], " ")), key) {
			return true
		}
	}
	return false
}

// listOf joins the labels, those of only when it is not nil.
func listOf(labels []string, only []int) string {
	var out []string
	for i, l := range labels {
		if only == nil || slices.Contains(only, i) {
			out = append(out, l)
		}
	}
	return strings.Join(out, ", ")
}
