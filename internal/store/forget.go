package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/visible"
)

// Forgetting an import removes what it brought. What several exports of
// one campaign brought cannot be told apart (a later export of a campaign
// holds its earlier sendings, stored once), and the students of a roster
// replace those of the one before: so the imports of a campaign are
// forgotten together, and a roster only with its whole establishment
// (a wrong school's files). Anything less would remove what another
// import also brought, or bring back a list nobody kept.

// Forgotten is what forgetting imports removes, or removed.
type Forgotten struct {
	Imports        []ImportRecord
	Establishments []string // removed with all their data
	Campaigns      []string
	Sendings       int
	Participants   int
	Students       int // students of the establishments removed
	Results        int // certification results
	Sessions       int // certification sessions of the establishments removed
}

// ForgetError is a forgetting that cannot be done as asked: an unknown
// import, or imports that cannot go without others. Its message says
// which to add, or what to do instead.
type ForgetError struct{ msg string }

func (e *ForgetError) Error() string { return e.msg }

// PlanForget tells what forgetting the imports ids would remove, without
// removing anything.
func (s *Store) PlanForget(ctx context.Context, ids []int64) (Forgotten, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Forgotten{}, fmt.Errorf("lecture de la base : %w", err)
	}
	defer tx.Rollback()
	f, _, err := planForget(ctx, tx, ids)
	return f, err
}

// Forget removes the imports ids and everything they brought, in one
// transaction, and derives the statuses of the students they touched
// again. It checks again, under the lock, what PlanForget said.
func (s *Store) Forget(ctx context.Context, ids []int64) (Forgotten, error) {
	if err := s.writable(ctx, "l'oubli des imports"); err != nil {
		return Forgotten{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Forgotten{}, s.writeError("l'oubli des imports", err)
	}
	defer tx.Rollback()
	f, plan, err := planForget(ctx, tx, ids)
	if err != nil {
		return f, err
	}
	if err := plan.remove(ctx, tx); err != nil {
		return f, fmt.Errorf("oubli des imports : %w", err)
	}
	if err := tx.Commit(); err != nil {
		return f, s.writeError("l'oubli des imports", err)
	}
	return f, nil
}

// forgetPlan is what planForget found: the rows to remove, by id.
type forgetPlan struct {
	imports        []int64
	campaigns      []int64
	establishments []int64
}

func planForget(ctx context.Context, tx *sql.Tx, ids []int64) (Forgotten, *forgetPlan, error) {
	var f Forgotten
	all, err := importsOf(ctx, tx)
	if err != nil {
		return f, nil, err
	}
	byID := map[int64]importRow{}
	for _, r := range all {
		byID[r.ID] = r
	}
	wanted := map[int64]bool{}
	for _, id := range ids {
		r, ok := byID[id]
		if !ok {
			return f, nil, &ForgetError{fmt.Sprintf("aucun import n° %d dans la base : pixcert imports les liste, avec leur numéro", id)}
		}
		wanted[id] = true
		f.Imports = append(f.Imports, r.ImportRecord)
	}
	plan := &forgetPlan{}
	// The campaigns of each import are those of the rows it brought: an
	// export may hold several, or none.
	campaignsOf, names, err := importCampaigns(ctx, tx)
	if err != nil {
		return f, nil, err
	}
	shares := func(a, b int64) bool {
		for _, c := range campaignsOf[a] {
			if slices.Contains(campaignsOf[b], c) {
				return true
			}
		}
		return false
	}
	sharedResults, err := sharedCertifications(ctx, tx)
	if err != nil {
		return f, nil, err
	}
	// Each import needs its companions: the exports that share a campaign
	// with it, or the whole establishment's imports for a roster.
	var missing []string
	together := slices.Clone(ids)
	for _, id := range ids {
		r := byID[id]
		var companions []int64
		for _, o := range all {
			switch {
			case wanted[o.ID]:
			case r.Kind == KindCollecte && o.Kind == KindCollecte && shares(r.ID, o.ID):
				companions = append(companions, o.ID)
			case r.Kind == KindRoster && o.establishment == r.establishment:
				companions = append(companions, o.ID)
			case r.Kind == KindResults && o.Kind == KindResults && sharedResults[[2]int64{min(r.ID, o.ID), max(r.ID, o.ID)}]:
				companions = append(companions, o.ID)
			}
		}
		if len(companions) == 0 {
			continue
		}
		for _, c := range companions {
			if !slices.Contains(together, c) {
				together = append(together, c)
			}
		}
		var campaigns []string
		for _, c := range campaignsOf[r.ID] {
			campaigns = append(campaigns, names[c])
		}
		why := fmt.Sprintf("l'import n° %d (« %s ») a apporté des envois %s, importée aussi par %s : ce que chacun a apporté "+
			"ne se sépare pas (un export reprend les envois des précédents)", id, r.File, campaignWords(campaigns), numbers(companions))
		if r.Kind == KindResults {
			why = fmt.Sprintf("l'import n° %d (« %s ») a apporté des résultats de certification que %s %s aussi : "+
				"le dernier importé a remplacé les autres, ils ne se séparent pas", id, r.File, numbers(companions),
				french.Pick(len(companions), "tient", "tiennent"))
		}
		if r.Kind == KindRoster {
			why = fmt.Sprintf("l'import n° %d (« %s ») est une liste d'élèves : elle ne s'oublie qu'avec tout son établissement (%s). "+
				"Pour corriger une liste, importez la bonne : elle devient la liste actuelle", id, r.File, numbers(companions))
		}
		missing = append(missing, why)
	}
	if len(missing) > 0 {
		slices.Sort(together)
		var args []string
		for _, id := range together {
			args = append(args, strconv.FormatInt(id, 10))
		}
		return f, nil, &ForgetError{strings.Join(missing, ".\n") + ".\nPour les oublier ensemble : pixcert forget " + strings.Join(args, " ")}
	}
	for _, id := range ids {
		plan.imports = append(plan.imports, id)
		for _, c := range campaignsOf[id] {
			if !slices.Contains(plan.campaigns, c) {
				plan.campaigns = append(plan.campaigns, c)
				f.Campaigns = append(f.Campaigns, names[c])
			}
		}
	}
	// An establishment all of whose imports go, goes.
	for _, o := range all {
		if slices.Contains(plan.establishments, o.establishment) {
			continue
		}
		whole := true
		for _, p := range all {
			if p.establishment == o.establishment && !wanted[p.ID] {
				whole = false
			}
		}
		if whole {
			plan.establishments = append(plan.establishments, o.establishment)
			f.Establishments = append(f.Establishments, o.label)
		}
	}
	count := func(query string, ids []int64) (int, error) {
		if len(ids) == 0 {
			return 0, nil
		}
		var n int
		err := tx.QueryRowContext(ctx, fmt.Sprintf(query, idList(ids))).Scan(&n)
		return n, err
	}
	if f.Sendings, err = count(`SELECT count(*) FROM sendings WHERE participant_id IN (SELECT id FROM participants WHERE campaign_id IN (%s))`, plan.campaigns); err != nil {
		return f, nil, err
	}
	if f.Participants, err = count(`SELECT count(*) FROM participants WHERE campaign_id IN (%s)`, plan.campaigns); err != nil {
		return f, nil, err
	}
	if f.Students, err = count(`SELECT count(*) FROM students WHERE establishment_id IN (%s)`, plan.establishments); err != nil {
		return f, nil, err
	}
	if f.Sessions, err = count(`SELECT count(*) FROM certification_sessions WHERE establishment_id IN (%s)`, plan.establishments); err != nil {
		return f, nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM certification_results WHERE id IN
		(SELECT result_id FROM certification_result_sources WHERE import_id IN (`+idList(plan.imports)+`))
		OR establishment_id IN (`+idList(plan.establishments)+`)`).Scan(&f.Results); err != nil {
		return f, nil, err
	}
	return f, plan, nil
}

// remove deletes what the plan found, children first, and derives again
// the statuses of the students left who had sendings among them.
func (p *forgetPlan) remove(ctx context.Context, tx *sql.Tx) error {
	estabs, imports := idList(p.establishments), idList(p.imports)
	// The campaigns the imports brought, and every campaign of an
	// establishment that goes.
	campaigns := `SELECT id FROM campaigns WHERE id IN (` + idList(p.campaigns) + `) OR establishment_id IN (` + estabs + `)`
	participants := `SELECT id FROM participants WHERE campaign_id IN (` + campaigns + `)`
	students := `SELECT id FROM students WHERE establishment_id IN (` + estabs + `)`
	steps := []string{
		`CREATE TEMP TABLE IF NOT EXISTS affected_students (id INTEGER PRIMARY KEY)`,
		`INSERT OR IGNORE INTO temp.affected_students (id) SELECT DISTINCT student_id FROM participants
			WHERE campaign_id IN (` + campaigns + `) AND student_id IS NOT NULL`,
		// A status points at its sending: it is derived again below.
		`UPDATE statuses SET sending_id = NULL WHERE student_id IN (SELECT id FROM temp.affected_students)`,
		`DELETE FROM decisions WHERE participant_id IN (` + participants + `) OR student_id IN (` + students + `)`,
		`DELETE FROM unsent_participations WHERE participant_id IN (` + participants + `)`,
		`DELETE FROM sendings WHERE participant_id IN (` + participants + `)`,
		`DELETE FROM participants WHERE campaign_id IN (` + campaigns + `)`,
		`DELETE FROM temp.affected_students WHERE id IN (` + students + `)`,
		// The exports that held a result are forgotten together: its
		// sources all go.
		`DELETE FROM certification_result_sources WHERE import_id IN (` + imports + `)
			OR result_id IN (SELECT id FROM certification_results WHERE establishment_id IN (` + estabs + `))`,
		`DELETE FROM certification_results WHERE NOT EXISTS (SELECT 1 FROM certification_result_sources WHERE result_id = certification_results.id)`,
		`DELETE FROM session_candidates WHERE student_id IN (` + students + `)`,
		`DELETE FROM certification_sessions WHERE establishment_id IN (` + estabs + `)`,
		`DELETE FROM statuses WHERE student_id IN (` + students + `)`,
		`DELETE FROM students WHERE establishment_id IN (` + estabs + `)`,
		`DELETE FROM imports WHERE id IN (` + imports + `)`,
		`DELETE FROM campaigns WHERE id IN (` + campaigns + `)`,
		`DELETE FROM establishments WHERE id IN (` + estabs + `)`,
	}
	for _, step := range steps {
		if _, err := tx.ExecContext(ctx, step); err != nil {
			return err
		}
	}
	return recomputeStatuses(ctx, tx)
}

// sharedCertifications are the pairs of results imports, lower id first,
// that held the same certification.
func sharedCertifications(ctx context.Context, q querier) (map[[2]int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT a.import_id, b.import_id FROM certification_result_sources a
		JOIN certification_result_sources b ON b.result_id = a.result_id AND b.import_id > a.import_id`)
	if err != nil {
		return nil, fmt.Errorf("résultats des imports : %w", err)
	}
	defer rows.Close()
	pairs := map[[2]int64]bool{}
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		pairs[[2]int64{a, b}] = true
	}
	return pairs, rows.Err()
}

// importCampaigns finds the campaigns of each import from the rows it
// brought (participants, sendings, started participations) and the one it
// names, with the campaigns' names.
func importCampaigns(ctx context.Context, q querier) (map[int64][]int64, map[int64]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT import_id, campaign_id FROM participants
		UNION SELECT se.import_id, p.campaign_id FROM sendings se JOIN participants p ON p.id = se.participant_id
		UNION SELECT u.import_id, p.campaign_id FROM unsent_participations u JOIN participants p ON p.id = u.participant_id
		UNION SELECT id, campaign_id FROM imports WHERE campaign_id IS NOT NULL`)
	if err != nil {
		return nil, nil, fmt.Errorf("campagnes des imports : %w", err)
	}
	defer rows.Close()
	of := map[int64][]int64{}
	for rows.Next() {
		var imp, campaign int64
		if err := rows.Scan(&imp, &campaign); err != nil {
			return nil, nil, err
		}
		if !slices.Contains(of[imp], campaign) {
			of[imp] = append(of[imp], campaign)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	nameRows, err := q.QueryContext(ctx, `SELECT id, name FROM campaigns`)
	if err != nil {
		return nil, nil, fmt.Errorf("campagnes des imports : %w", err)
	}
	defer nameRows.Close()
	for nameRows.Next() {
		var id int64
		var name string
		if err := nameRows.Scan(&id, &name); err != nil {
			return nil, nil, err
		}
		names[id] = name
	}
	for _, list := range of {
		slices.Sort(list)
	}
	return of, names, nameRows.Err()
}

// campaignWords names campaigns in a sentence: "de la campagne « A »",
// "des campagnes « A », « B »".
func campaignWords(names []string) string {
	var q []string
	for _, n := range names {
		q = append(q, "« "+visible.Quote(n)+" »")
	}
	if len(q) == 1 {
		return "de la campagne " + q[0]
	}
	return "des campagnes " + strings.Join(q, ", ")
}

// importRow is an import with the ids planForget needs.
type importRow struct {
	ImportRecord
	campaign, establishment int64
	label                   string // of its establishment
}

func importsOf(ctx context.Context, q querier) ([]importRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.file_name, i.kind, coalesce(e.name, ''), coalesce(c.name, ''), coalesce(i.campaign_id, 0),
		i.establishment_id, coalesce(e.uai, '') FROM imports i JOIN establishments e ON e.id = i.establishment_id
		LEFT JOIN campaigns c ON c.id = i.campaign_id ORDER BY i.id`)
	if err != nil {
		return nil, fmt.Errorf("lecture des imports : %w", err)
	}
	defer rows.Close()
	var out []importRow
	for rows.Next() {
		var r importRow
		var uai string
		if err := rows.Scan(&r.ID, &r.File, &r.Kind, &r.Establishment, &r.Campaign, &r.campaign, &r.establishment, &uai); err != nil {
			return nil, fmt.Errorf("lecture des imports : %w", err)
		}
		r.label = (&establishment{id: r.establishment, name: r.Establishment, uai: uai}).String()
		out = append(out, r)
	}
	return out, rows.Err()
}

// idList is ids as SQL: numbers only, "0" for none (no row has id 0).
func idList(ids []int64) string {
	if len(ids) == 0 {
		return "0"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// numbers names imports for a message: "l'import n° 4", "les imports n° 4, 6".
func numbers(ids []int64) string {
	if len(ids) == 1 {
		return fmt.Sprintf("l'import n° %d", ids[0])
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "les imports n° " + strings.Join(parts, ", ")
}

// Purged is what a purge of the sendings before a day removes.
type Purged struct {
	Sendings, Participants, Students, Imports int
	Results, Sessions                         int // certifications passed, sessions held, before the day
}

// PurgeBefore removes, in one transaction, the sendings dated before day
// (YYYY-MM-DD), the certifications passed and sessions held before it,
// and the imports made before it, with what is then of no
// use: participants with nothing left, students who left the list and
// have nothing left, campaigns and establishments that hold nothing. The
// students of the current lists stay, their statuses derived again from
// the sendings left: the end of a school year, data kept no longer than
// needed. dryRun counts what would go and leaves the store as it was.
func (s *Store) PurgeBefore(ctx context.Context, day string, dryRun bool) (Purged, error) {
	var p Purged
	if err := s.writable(ctx, "la purge"); err != nil {
		return p, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return p, s.writeError("la purge", err)
	}
	defer tx.Rollback()
	const (
		old       = `substr(sent_at, 1, 10) < ?1`
		oldImport = `substr(imported_at, 1, 10) < ?1`
		leftEmpty = `NOT EXISTS (SELECT 1 FROM sendings WHERE participant_id = p.id)
			AND NOT EXISTS (SELECT 1 FROM unsent_participations WHERE participant_id = p.id)`
		goneStudent = `s.current = 0 AND NOT EXISTS (SELECT 1 FROM participants WHERE student_id = s.id)
			AND NOT EXISTS (SELECT 1 FROM certification_results WHERE student_id = s.id)
			AND NOT EXISTS (SELECT 1 FROM session_candidates WHERE student_id = s.id)`
	)
	steps := []struct {
		query string
		n     *int
	}{
		{`CREATE TEMP TABLE IF NOT EXISTS affected_students (id INTEGER PRIMARY KEY)`, nil},
		{`INSERT OR IGNORE INTO temp.affected_students (id) SELECT DISTINCT p.student_id FROM participants p JOIN sendings se
			ON se.participant_id = p.id WHERE substr(se.sent_at, 1, 10) < ?1 AND p.student_id IS NOT NULL`, nil},
		// A status points at its sending: it is derived again below.
		{`UPDATE statuses SET sending_id = NULL WHERE student_id IN (SELECT id FROM temp.affected_students)`, nil},
		{`DELETE FROM sendings WHERE ` + old, &p.Sendings},
		// Certifications passed, and sessions held, before the day.
		{`DELETE FROM certification_result_sources WHERE result_id IN (SELECT id FROM certification_results WHERE coalesce(passed_on, '') < ?1)`, nil},
		{`DELETE FROM certification_results WHERE coalesce(passed_on, '') < ?1`, &p.Results},
		{`DELETE FROM session_candidates WHERE session_id IN (SELECT id FROM certification_sessions WHERE substr(starts_at, 1, 10) < ?1)`, nil},
		{`DELETE FROM certification_sessions WHERE substr(starts_at, 1, 10) < ?1`, &p.Sessions},
		{`DELETE FROM unsent_participations WHERE import_id IN (SELECT id FROM imports WHERE ` + oldImport + `)`, nil},
		{`DELETE FROM decisions WHERE participant_id IN (SELECT id FROM participants p WHERE ` + leftEmpty + `)`, nil},
		{`DELETE FROM participants AS p WHERE ` + leftEmpty, &p.Participants},
		// A decision about a student who goes goes with all the decisions
		// about its participant: the one before it (a mistake it
		// corrected) must not stand again.
		{`DELETE FROM decisions WHERE participant_id IN (SELECT participant_id FROM decisions
			WHERE student_id IN (SELECT id FROM students s WHERE ` + goneStudent + `))`, nil},
		{`DELETE FROM statuses WHERE student_id IN (SELECT id FROM students s WHERE ` + goneStudent + `)`, nil},
		{`DELETE FROM temp.affected_students WHERE id NOT IN (SELECT student_id FROM statuses)`, nil},
		{`DELETE FROM students AS s WHERE ` + goneStudent, &p.Students},
		{`DELETE FROM imports WHERE ` + oldImport + `
			AND NOT EXISTS (SELECT 1 FROM participants WHERE import_id = imports.id)
			AND NOT EXISTS (SELECT 1 FROM sendings WHERE import_id = imports.id)
			AND NOT EXISTS (SELECT 1 FROM unsent_participations WHERE import_id = imports.id)
			AND NOT EXISTS (SELECT 1 FROM students WHERE roster_import_id = imports.id)
			AND NOT EXISTS (SELECT 1 FROM certification_result_sources WHERE import_id = imports.id)`, &p.Imports},
		{`DELETE FROM campaigns WHERE NOT EXISTS (SELECT 1 FROM participants WHERE campaign_id = campaigns.id)
			AND NOT EXISTS (SELECT 1 FROM imports WHERE campaign_id = campaigns.id)`, nil},
		{`DELETE FROM establishments WHERE NOT EXISTS (SELECT 1 FROM students WHERE establishment_id = establishments.id)
			AND NOT EXISTS (SELECT 1 FROM campaigns WHERE establishment_id = establishments.id)
			AND NOT EXISTS (SELECT 1 FROM imports WHERE establishment_id = establishments.id)
			AND NOT EXISTS (SELECT 1 FROM certification_sessions WHERE establishment_id = establishments.id)`, nil},
	}
	for _, step := range steps {
		var args []any
		if strings.Contains(step.query, "?1") {
			args = []any{day}
		}
		res, err := tx.ExecContext(ctx, step.query, args...)
		if err != nil {
			return p, fmt.Errorf("purge : %w", err)
		}
		if step.n != nil {
			n, _ := res.RowsAffected()
			*step.n = int(n)
		}
	}
	if err := recomputeStatuses(ctx, tx); err != nil {
		return p, err
	}
	if dryRun {
		return p, nil // rolled back
	}
	if err := tx.Commit(); err != nil {
		return p, s.writeError("la purge", err)
	}
	return p, nil
}
