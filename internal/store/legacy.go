package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/fold"
)

// Stores written by earlier pixcerts are converted to version 3 when they
// are opened, in one transaction. Each earlier layout has a reader
// (legacy_plain.go, legacy_pages.go) written against that layout alone:
// it decodes the old rows with its own frozen code, never with today's,
// so that changing today's code cannot break an old store. The readers
// hand rows to migrateLegacy, which writes them as version 3 was released
// (schema/3.sql). The comparison keys of version 3 are computed by the
// functions that define them (keys.go), and statuses are derived again
// from the sendings: they are derived data, which pixcert check recomputes
// the same way.

// The rows an earlier layout holds, decoded.
type (
	legacyCampaign struct {
		id                       int64
		code, name, organization string
	}
	legacyStudent struct {
		id                             int64
		active                         int64 // 1: in the current roster
		nationalID, studentNumber      string
		lastName, usageName, firstName string
		class, birthdate               string
	}
	legacyParticipant struct {
		id, campaign, student              int64
		method                             string
		lastName, firstName, class         string
		studentNumber, externalID, idLabel string
	}
	legacyParticipation struct {
		id, participant int64
		sentAt          string // "" when not sent
		pixTotal        int64
		profile         []byte // 16 levels then 16 pix, a byte each
	}
	legacyLink struct {
		participant, student int64 // student 0: keep unmatched
		decidedAt            string
	}
)

// legacySource reads the rows of one earlier layout, its tables renamed
// legacy_<name> by migrateLegacy.
type legacySource interface {
	description() string
	campaigns(ctx context.Context, tx *sql.Tx, each func(legacyCampaign) error) error
	students(ctx context.Context, tx *sql.Tx, each func(legacyStudent) error) error
	participants(ctx context.Context, tx *sql.Tx, each func(legacyParticipant) error) error
	participations(ctx context.Context, tx *sql.Tx, each func(legacyParticipation) error) error
	links(ctx context.Context, tx *sql.Tx, each func(legacyLink) error) error
}

func legacySourceOf(l layout) legacySource {
	switch l {
	case layoutV1:
		return plainLayout{version: 1}
	case layoutV2Plain:
		return plainLayout{version: 2}
	}
	return pagesLayout{}
}

// migrateLegacy converts a store of layout l to version 3.
func migrateLegacy(ctx context.Context, tx *sql.Tx, l layout, now time.Time) error {
	src := legacySourceOf(l)
	// The old tables refer to one another: their rows go with them, and
	// what refers to what is checked when the conversion commits.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return err
	}
	legacyTables, err := setLegacyTablesAside(ctx, tx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, schemaV3); err != nil {
		return err
	}
	m := &legacyMigration{ctx: ctx, tx: tx, src: src, now: now.UTC().Format(time.RFC3339),
		studentIDs: map[int64]int64{}, participantIDs: map[int64]int64{}, campaignImport: map[int64]int64{}, campaignOf: map[int64]int64{}}
	steps := []func() error{m.establishmentsAndCampaigns, m.students, m.participants, m.participations, m.links}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	for i := len(legacyTables) - 1; i >= 0; i-- { // the last created first: children before parents
		if _, err := tx.ExecContext(ctx, `DROP TABLE `+legacyTables[i]); err != nil {
			return err
		}
	}
	return recomputeAllStatuses(ctx, tx)
}

// setLegacyTablesAside renames the tables of the old layout legacy_<name>
// and drops its indexes, whose names version 3 uses again.
func setLegacyTablesAside(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' AND sql IS NOT NULL ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	var tables, others []string
	for rows.Next() {
		var kind, name string
		if err := rows.Scan(&kind, &name); err != nil {
			rows.Close()
			return nil, err
		}
		if kind == "table" {
			tables = append(tables, name)
		} else {
			others = append(others, "DROP "+strings.ToUpper(kind)+" "+quoteIdent(name))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, drop := range others {
		if _, err := tx.ExecContext(ctx, drop); err != nil {
			return nil, err
		}
	}
	var renamed []string
	for _, table := range tables {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteIdent(table)+` RENAME TO `+quoteIdent("legacy_"+table)); err != nil {
			return nil, err
		}
		renamed = append(renamed, quoteIdent("legacy_"+table))
	}
	return renamed, nil
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// legacyMigration writes the rows of an old store as version 3. Ids of
// students, participants and sendings are kept: a participant's reference
// (P12) means the same after the conversion.
type legacyMigration struct {
	ctx context.Context
	tx  *sql.Tx
	src legacySource
	now string

	mainEstablishment int64
	campaignEstab     map[int64]int64
	campaignImport    map[int64]int64 // the import standing for each campaign's exports
	rosterImport      int64
	campaignOf        map[int64]int64 // old participant id → campaign
	// Rows an old store held twice under version 3's identities are
	// merged: old id → id kept.
	studentIDs, participantIDs map[int64]int64
	merged                     []int64 // participants that took another's rows
}

// establishmentsAndCampaigns makes an establishment of each organization
// the campaigns name, the one with the most participants holding the
// students (the roster said no establishment), and an import standing for
// the old store's roster and one for each campaign's exports.
func (m *legacyMigration) establishmentsAndCampaigns() error {
	var campaigns []legacyCampaign
	if err := m.src.campaigns(m.ctx, m.tx, func(c legacyCampaign) error { campaigns = append(campaigns, c); return nil }); err != nil {
		return err
	}
	participantsOf := map[int64]int{}
	if err := m.src.participants(m.ctx, m.tx, func(p legacyParticipant) error { participantsOf[p.campaign]++; return nil }); err != nil {
		return err
	}
	estab := map[string]int64{} // organization key → establishment
	weight := map[int64]int{}
	m.campaignEstab = map[int64]int64{}
	for _, c := range campaigns {
		key := fold.Key(c.organization)
		if key == "" {
			continue
		}
		id, ok := estab[key]
		if !ok {
			res, err := m.tx.ExecContext(m.ctx, `INSERT INTO establishments (name, name_key) VALUES (?, ?)`, c.organization, key)
			if err != nil {
				return err
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			estab[key] = id
		}
		m.campaignEstab[c.id] = id
		weight[id] += participantsOf[c.id] + 1
	}
	for id, w := range weight {
		if m.mainEstablishment == 0 || w > weight[m.mainEstablishment] || (w == weight[m.mainEstablishment] && id < m.mainEstablishment) {
			m.mainEstablishment = id
		}
	}
	if m.mainEstablishment == 0 {
		res, err := m.tx.ExecContext(m.ctx, `INSERT INTO establishments (name) VALUES (NULL)`)
		if err != nil {
			return err
		}
		if m.mainEstablishment, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	fileName := "(base pixcert précédente)"
	for _, c := range campaigns {
		if m.campaignEstab[c.id] == 0 {
			m.campaignEstab[c.id] = m.mainEstablishment
		}
		if _, err := m.tx.ExecContext(m.ctx, `INSERT INTO campaigns (id, establishment_id, code, name) VALUES (?, ?, ?, ?)`,
			c.id, m.campaignEstab[c.id], nullIfEmpty(c.code), c.name); err != nil {
			return err
		}
		id, err := m.insertImport(m.campaignEstab[c.id], "collecte", fileName, "export « Collecte de profils » repris de la "+m.src.description(), c.id)
		if err != nil {
			return err
		}
		m.campaignImport[c.id] = id
	}
	var err error
	m.rosterImport, err = m.insertImport(m.mainEstablishment, "roster", fileName, "liste d'élèves reprise de la "+m.src.description(), 0)
	return err
}

func (m *legacyMigration) insertImport(establishment int64, kind, fileName, format string, campaign int64) (int64, error) {
	res, err := m.tx.ExecContext(m.ctx, `INSERT INTO imports (run, establishment_id, kind, file_name, imported_at, row_count, format, campaign_id)
		VALUES (1, ?, ?, ?, ?, 0, ?, ?)`, establishment, kind, fileName, m.now, format, nullIfZero(campaign))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (m *legacyMigration) students() error {
	insert, err := m.tx.PrepareContext(m.ctx, `INSERT INTO students (id, establishment_id, national_id, student_number, last_name, usage_name,
		first_names, birthdate, class, current, roster_import_id, name_key, class_key, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	rows := 0
	err = m.src.students(m.ctx, m.tx, func(s legacyStudent) error {
		k := studentKeysOf(s.lastName, s.usageName, s.firstName, s.class)
		nationalID, number := strings.ToUpper(s.nationalID), strings.ToUpper(s.studentNumber)
		current := int64(0)
		if s.active == 1 {
			current = 1
		}
		existing, err := m.existingStudent(nationalID, number, k.name, s.birthdate)
		if err != nil || existing != 0 {
			// Two rows of one student: in the current list if either was.
			m.studentIDs[s.id] = existing
			if err == nil && current == 1 {
				_, err = m.tx.ExecContext(m.ctx, `UPDATE students SET current = 1 WHERE id = ?`, existing)
			}
			return err
		}
		if _, err := insert.ExecContext(m.ctx, s.id, m.mainEstablishment, nullIfEmpty(nationalID), nullIfEmpty(number), s.lastName,
			nullIfEmpty(s.usageName), s.firstName, nullIfEmpty(s.birthdate), nullIfEmpty(s.class), current, m.rosterImport,
			k.name, k.class, k.search); err != nil {
			return fmt.Errorf("élève n° %d : %w", s.id, err)
		}
		m.studentIDs[s.id] = s.id
		rows++
		return nil
	})
	if err != nil {
		return err
	}
	_, err = m.tx.ExecContext(m.ctx, `UPDATE imports SET row_count = ? WHERE id = ?`, rows, m.rosterImport)
	return err
}

// existingStudent finds a student already written with one of version 3's
// identities: an old store could hold two.
func (m *legacyMigration) existingStudent(nationalID, number, nameKey, birthdate string) (int64, error) {
	var query string
	var args []any
	switch {
	case nationalID != "":
		query, args = `SELECT id FROM students WHERE national_id = ? AND establishment_id = ?`, []any{nationalID, m.mainEstablishment}
	case number != "":
		query, args = `SELECT id FROM students WHERE student_number = ? AND establishment_id = ?`, []any{number, m.mainEstablishment}
	default:
		query = `SELECT id FROM students WHERE establishment_id = ? AND name_key = ? AND coalesce(birthdate, '') = ?
			AND national_id IS NULL AND student_number IS NULL`
		args = []any{m.mainEstablishment, nameKey, birthdate}
	}
	var id int64
	err := m.tx.QueryRowContext(m.ctx, query, args...).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

func (m *legacyMigration) participants() error {
	insert, err := m.tx.PrepareContext(m.ctx, `INSERT INTO participants (id, campaign_id, import_id, last_name, first_name, class,
		student_number, external_id, name_key, class_key, match_id, student_id, matched_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	labels := map[int64]string{}
	err = m.src.participants(m.ctx, m.tx, func(p legacyParticipant) error {
		named := collecte.Participation{LastName: p.lastName, FirstName: p.firstName, Class: p.class, StudentNumber: p.studentNumber, ExternalID: p.externalID}
		k := participantKeysOf(named)
		m.campaignOf[p.id] = p.campaign
		var existing int64
		err := m.tx.QueryRowContext(m.ctx, `SELECT id FROM participants WHERE campaign_id = ? AND name_key = ? AND match_id = ? AND class_key = ?`,
			p.campaign, k.name, k.matchID, k.class).Scan(&existing)
		switch {
		case err == nil:
			m.participantIDs[p.id] = existing
			m.merged = append(m.merged, existing)
			return nil
		case err != sql.ErrNoRows:
			return err
		}
		student, method := m.studentIDs[p.student], any(nil)
		if student != 0 && validMethods[p.method] {
			method = p.method
		} else {
			student = 0
		}
		if _, err := insert.ExecContext(m.ctx, p.id, p.campaign, m.campaignImport[p.campaign], p.lastName, p.firstName, nullIfEmpty(p.class),
			nullIfEmpty(p.studentNumber), nullIfEmpty(p.externalID), k.name, k.class, k.matchID, nullIfZero(student), method); err != nil {
			return fmt.Errorf("participant P%d : %w", p.id, err)
		}
		m.participantIDs[p.id] = p.id
		if p.idLabel != "" {
			labels[p.campaign] = p.idLabel
		}
		return nil
	})
	if err != nil {
		return err
	}
	for campaign, label := range labels {
		if _, err := m.tx.ExecContext(m.ctx, `UPDATE campaigns SET external_id_label = ? WHERE id = ?`, label, campaign); err != nil {
			return err
		}
	}
	return nil
}

var validMethods = map[string]bool{"id": true, "name_class": true, "name": true, "manual": true}

func (m *legacyMigration) participations() error {
	sending, err := m.tx.PrepareContext(m.ctx, `INSERT INTO sendings (id, participant_id, import_id, sent_at, pix_total,
		certifiable_competences, levels, pix) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer sending.Close()
	unsent, err := m.tx.PrepareContext(m.ctx, `INSERT OR IGNORE INTO unsent_participations (participant_id, import_id) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer unsent.Close()
	rowsOf := map[int64]int{}
	err = m.src.participations(m.ctx, m.tx, func(p legacyParticipation) error {
		participant, ok := m.participantIDs[p.participant]
		if !ok {
			return nil // a row of a participant the old store lost: nothing to tie it to
		}
		imp := m.campaignImport[m.campaignOf[p.participant]]
		rowsOf[imp]++
		if p.sentAt == "" {
			_, err := unsent.ExecContext(m.ctx, participant, imp)
			return err
		}
		if len(p.profile) != 32 {
			return fmt.Errorf("participation n° %d : profil illisible (%d octets)", p.id, len(p.profile))
		}
		levels, pix := make([]int, 16), make([]int, 16)
		certifiable := 0
		for i := range 16 {
			levels[i], pix[i] = int(p.profile[i]), int(p.profile[16+i])
			if levels[i] >= 1 {
				certifiable++
			}
		}
		levelsJSON, _ := json.Marshal(levels)
		pixJSON, _ := json.Marshal(pix)
		_, err := sending.ExecContext(m.ctx, p.id, participant, imp, p.sentAt, p.pixTotal, certifiable, string(levelsJSON), string(pixJSON))
		return err
	})
	if err != nil {
		return err
	}
	for imp, rows := range rowsOf {
		if _, err := m.tx.ExecContext(m.ctx, `UPDATE imports SET row_count = ? WHERE id = ?`, rows, imp); err != nil {
			return err
		}
	}
	return nil
}

func (m *legacyMigration) links() error {
	err := m.src.links(m.ctx, m.tx, func(l legacyLink) error {
		participant, ok := m.participantIDs[l.participant]
		if !ok {
			return nil
		}
		_, err := m.tx.ExecContext(m.ctx, `INSERT INTO decisions (participant_id, student_id, decided_at) VALUES (?, ?, ?)`,
			participant, nullIfZero(m.studentIDs[l.student]), l.decidedAt)
		return err
	})
	if err != nil {
		return err
	}
	// A participant that took another's rows follows the latest decision
	// about either, as the old store applied decisions: to a student still
	// in the list.
	for _, id := range m.merged {
		_, err := m.tx.ExecContext(m.ctx, `UPDATE participants SET
			student_id = (SELECT s.id FROM decisions d JOIN students s ON s.id = d.student_id AND s.current = 1
				WHERE d.participant_id = ?1 ORDER BY d.id DESC LIMIT 1),
			matched_by = CASE WHEN (SELECT s.id FROM decisions d JOIN students s ON s.id = d.student_id AND s.current = 1
				WHERE d.participant_id = ?1 ORDER BY d.id DESC LIMIT 1) IS NULL THEN NULL ELSE 'manual' END
			WHERE id = ?1 AND EXISTS (SELECT 1 FROM decisions WHERE participant_id = ?1)`, id)
		if err != nil {
			return err
		}
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
