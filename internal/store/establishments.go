package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"pixcert/internal/fold"
	"pixcert/internal/visible"
)

// Kind is what a file imported is.
type Kind string

const (
	KindRoster   Kind = "roster"
	KindCollecte Kind = "collecte"
)

// FilePlan is what the importer knows of a file before it reads its rows.
type FilePlan struct {
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
	// Err says why the file cannot be imported (ErrWhichEstablishment).
	Err error
}

// PreviousImport is an earlier import of a file.
type PreviousImport struct {
	File       string
	ImportedAt time.Time // zero: not imported before
	ThisRun    bool      // given twice to this import
}

// ErrWhichEstablishment means a file names no establishment and the store
// holds several: which one it belongs to cannot be guessed.
var ErrWhichEstablishment = errors.New("ce fichier ne dit pas de quel établissement il est")

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
func (im *Import) Plan(plans []FilePlan) ([]FileDecision, error) {
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
	for i, p := range plans {
		if p.UAI == "" {
			continue
		}
		uai := strings.ToUpper(strings.TrimSpace(p.UAI))
		e := findEstablishment(estabs, func(e *establishment) bool { return e.uai == uai })
		if e == nil {
			if one := onlyOf(named); one != nil && one.uai == "" {
				e = one
			} else if one := onlyEstablishment(estabs); one != nil && one.uai == "" && len(named) == 0 {
				e = one
			} else {
				e = &establishment{isNew: true}
				estabs = append(estabs, e)
			}
			e.uai = uai
		}
		im.fileEstab[i], named[e] = e, true
	}
	var unplaced []int
	for i, p := range plans {
		if im.fileEstab[i] != nil || p.Kind == "" || problems[i] != nil {
			continue
		}
		e := onlyOf(named)
		if e == nil {
			e = onlyEstablishment(estabs)
		}
		if e == nil && len(estabs) == 0 {
			e = &establishment{isNew: true}
			estabs = append(estabs, e)
		}
		if e == nil {
			unplaced = append(unplaced, i)
			continue
		}
		im.fileEstab[i] = e
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
	for _, i := range unplaced {
		var names []string
		for _, e := range estabs {
			names = append(names, e.String())
		}
		decisions[i].Err = fmt.Errorf("%w : la base en tient plusieurs (%s) et les fichiers de cette commande ne disent pas lequel : "+
			"importez la liste de chaque établissement avec un export « Collecte de profils » de cet établissement, dans sa propre commande",
			ErrWhichEstablishment, strings.Join(names, ", "))
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
		if p.SHA256 == "" {
			continue
		}
		if seen[p.SHA256] {
			out[i].Already = PreviousImport{ThisRun: true}
			continue
		}
		seen[p.SHA256] = true
		prev, err := im.previousImport(`kind = 'collecte' AND sha256 = ?`, p.SHA256)
		if err != nil {
			return nil, err
		}
		out[i].Already = prev
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
