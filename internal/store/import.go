package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"pixcert/internal/certif"
	"pixcert/internal/collecte"
	"pixcert/internal/fold"
	"pixcert/internal/roster"
)

// Import is one import: everything it writes is one transaction, committed
// by Commit only, so a failed import leaves the store as it was.
type Import struct {
	ctx          context.Context
	tx           *sql.Tx
	rosterBegun  bool
	campaignSeen map[int64]bool
	stmt         struct {
		studentByNationalID, studentByNumber, studentsByIdentity *sql.Stmt
		insertStudent, updateStudent, activateStudent            *sql.Stmt
		deleteNames, insertName                                  *sql.Stmt
		upsertCampaign                                           *sql.Stmt
		insertParticipation, participationByKey, insertImportRow *sql.Stmt
	}
}

// StudentChange says what a roster row did to the store.
type StudentChange int

const (
	StudentAdded StudentChange = iota
	StudentUpdated
	StudentUnchanged
)

// BeginImport starts an import.
func (s *Store) BeginImport(ctx context.Context) (*Import, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("début de l'import : %w", err)
	}
	im := &Import{ctx: ctx, tx: tx, campaignSeen: map[int64]bool{}}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS import_rows (file_no INTEGER NOT NULL, participation_id INTEGER NOT NULL);
		DELETE FROM import_rows;`); err != nil {
		tx.Rollback()
		return nil, err
	}
	prepare := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&im.stmt.studentByNationalID, `SELECT id FROM students WHERE national_id = ?`},
		{&im.stmt.studentByNumber, `SELECT id FROM students WHERE student_number = ?`},
		{&im.stmt.studentsByIdentity, `SELECT id, coalesce(national_id, ''), coalesce(student_number, '') FROM students WHERE identity_key = ?`},
		{&im.stmt.insertStudent, `INSERT INTO students
			(national_id, student_number, last_name, usage_name, first_name, class, birthdate, identity_key, class_key, class_sort_key, sort_key, search_key, active)
			VALUES (nullif(?1, ''), nullif(?2, ''), ?3, ?4, ?5, ?6, nullif(?7, ''), ?8, ?9, ?10, ?11, ?12, 1)`},
		// Ids and birth date a roster lacks are kept from an earlier one.
		// The WHERE clause makes RowsAffected say whether anything changed.
		{&im.stmt.updateStudent, `UPDATE students SET
			national_id = coalesce(nullif(?2, ''), national_id), student_number = coalesce(nullif(?3, ''), student_number),
			last_name = ?4, usage_name = ?5, first_name = ?6, class = ?7, birthdate = coalesce(nullif(?8, ''), birthdate),
			identity_key = ?9, class_key = ?10, class_sort_key = ?11, sort_key = ?12, search_key = ?13
			WHERE id = ?1 AND (
				national_id IS NOT coalesce(nullif(?2, ''), national_id) OR student_number IS NOT coalesce(nullif(?3, ''), student_number)
				OR last_name <> ?4 OR usage_name <> ?5 OR first_name <> ?6 OR class <> ?7
				OR birthdate IS NOT coalesce(nullif(?8, ''), birthdate))`},
		{&im.stmt.activateStudent, `UPDATE students SET active = 1 WHERE id = ?`},
		{&im.stmt.deleteNames, `DELETE FROM student_names WHERE student_id = ?`},
		{&im.stmt.insertName, `INSERT OR IGNORE INTO student_names (name_key, class_key, student_id) VALUES (?, ?, ?)`},
		{&im.stmt.upsertCampaign, `INSERT INTO campaigns (id, code, name, organization) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT (id) DO UPDATE SET code = coalesce(nullif(?2, ''), code), name = coalesce(nullif(?3, ''), name),
			organization = coalesce(nullif(?4, ''), organization)`},
		{&im.stmt.insertParticipation, `INSERT OR IGNORE INTO participations
			(campaign_id, dedup_key, participant_key, last_name, first_name, class, student_number, external_id, external_id_label,
			 name_key, class_key, match_id, sent, sent_at, pix_total, certifiable_competences, certifiable, levels, pix)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, ''), ?, ?, ?, ?, ?)`},
		{&im.stmt.participationByKey, `SELECT id FROM participations WHERE dedup_key = ?`},
		{&im.stmt.insertImportRow, `INSERT INTO import_rows (file_no, participation_id) VALUES (?, ?)`},
	}
	for _, p := range prepare {
		if *p.dst, err = tx.PrepareContext(ctx, p.query); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("préparation de l'import : %w", err)
		}
	}
	return im, nil
}

// Rollback abandons the import; the store is left as it was.
func (im *Import) Rollback() error { return im.tx.Rollback() }

// Commit makes the import permanent.
func (im *Import) Commit() error {
	if err := im.tx.Commit(); err != nil {
		return fmt.Errorf("enregistrement de l'import : %w", err)
	}
	return nil
}

// BeginRoster marks the start of the new student list. Every student then
// leaves the current list until a roster row of this import names them
// again: a roster import makes its list the current one.
func (im *Import) BeginRoster() error {
	if im.rosterBegun {
		return nil // several roster files in one import form one list
	}
	im.rosterBegun = true
	_, err := im.tx.ExecContext(im.ctx, `UPDATE students SET active = 2 WHERE active = 1`)
	return err
}

// AddStudent adds a roster student, or updates the one already stored: the
// same national id, else the same student number, else the same name, first
// name and birth date (with no conflicting id).
func (im *Import) AddStudent(s roster.Student) (StudentChange, error) {
	id, found, err := im.findStudent(s)
	if err != nil {
		return 0, err
	}
	nameKey := fold.Key(s.LastName) + "|" + fold.Key(s.FirstName)
	identityKey := nameKey + "|" + s.Birthdate
	classKey := fold.Key(s.Class)
	sortKey := fold.SortKey(s.LastName) + " " + fold.SortKey(s.FirstName)
	searchKey := searchKeyOf(s)
	number := strings.ToUpper(s.StudentNumber)
	change := StudentAdded
	if found {
		res, err := im.stmt.updateStudent.ExecContext(im.ctx, id, s.NationalID, number, s.LastName, s.UsageName, s.FirstName,
			s.Class, s.Birthdate, identityKey, classKey, fold.SortKey(s.Class), sortKey, searchKey)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		change = StudentUnchanged
		if n > 0 {
			change = StudentUpdated
		}
		if _, err := im.stmt.activateStudent.ExecContext(im.ctx, id); err != nil {
			return 0, err
		}
	} else {
		res, err := im.stmt.insertStudent.ExecContext(im.ctx, s.NationalID, number, s.LastName, s.UsageName, s.FirstName,
			s.Class, s.Birthdate, identityKey, classKey, fold.SortKey(s.Class), sortKey, searchKey)
		if err != nil {
			return 0, fmt.Errorf("ajout de l'élève %s : %w", s, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return 0, err
		}
	}
	if _, err := im.stmt.deleteNames.ExecContext(im.ctx, id); err != nil {
		return 0, err
	}
	for _, name := range nameKeysOf(s) {
		if _, err := im.stmt.insertName.ExecContext(im.ctx, name, classKey, id); err != nil {
			return 0, err
		}
	}
	return change, nil
}

func (im *Import) findStudent(s roster.Student) (id int64, found bool, err error) {
	lookup := func(stmt *sql.Stmt, key string) (int64, bool, error) {
		err := stmt.QueryRowContext(im.ctx, key).Scan(&id)
		if err == sql.ErrNoRows {
			return 0, false, nil
		}
		return id, err == nil, err
	}
	if s.NationalID != "" {
		if id, found, err = lookup(im.stmt.studentByNationalID, s.NationalID); found || err != nil {
			return id, found, err
		}
	}
	if s.StudentNumber != "" {
		if id, found, err = lookup(im.stmt.studentByNumber, strings.ToUpper(s.StudentNumber)); found || err != nil {
			return id, found, err
		}
	}
	rows, err := im.stmt.studentsByIdentity.QueryContext(im.ctx, fold.Key(s.LastName)+"|"+fold.Key(s.FirstName)+"|"+s.Birthdate)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var nationalID, number string
		if err := rows.Scan(&id, &nationalID, &number); err != nil {
			return 0, false, err
		}
		// A stored student with another id is a namesake born the same day.
		if (nationalID == "" || s.NationalID == "") && (number == "" || s.StudentNumber == "") {
			return id, true, nil
		}
	}
	return 0, false, rows.Err()
}

// nameKeysOf lists the names a student may appear under in an export: birth
// name or usage name, with the first name as given or its first word alone
// (extractions list every first name, Pix shows the first).
func nameKeysOf(s roster.Student) []string {
	firsts := []string{fold.Key(s.FirstName)}
	if words := strings.Fields(s.FirstName); len(words) > 1 {
		firsts = append(firsts, fold.Key(words[0]))
	}
	var keys []string
	for _, last := range []string{s.LastName, s.UsageName} {
		if fold.Key(last) == "" {
			continue
		}
		for _, first := range firsts {
			keys = append(keys, fold.Key(last)+"|"+first)
		}
	}
	return keys
}

// searchKeyOf is what --search looks into: names in either order, usage
// name included, folded.
func searchKeyOf(s roster.Student) string {
	last, usage, first := fold.Key(s.LastName), fold.Key(s.UsageName), fold.Key(s.FirstName)
	key := last + first + "|" + first + last
	if usage != "" {
		key += "|" + usage + first + "|" + first + usage
	}
	return key
}

// AddParticipation stores a row of a profile-collection export and ties it
// to file number fileNo of this import. It reports whether the row was new.
func (im *Import) AddParticipation(fileNo int, p collecte.Participation) (added bool, err error) {
	if !im.campaignSeen[p.CampaignID] {
		if _, err := im.stmt.upsertCampaign.ExecContext(im.ctx, p.CampaignID, p.CampaignCode, p.CampaignName, p.Organization); err != nil {
			return false, fmt.Errorf("campagne %d : %w", p.CampaignID, err)
		}
		im.campaignSeen[p.CampaignID] = true
	}
	nameKey := fold.Key(p.LastName) + "|" + fold.Key(p.FirstName)
	matchID := p.MatchID()
	participantKey := fmt.Sprintf("%d|%s|%s", p.CampaignID, nameKey, matchID)
	var levels, pix, dedupKey any
	var count, certifiable, pixTotal any
	if p.Sent {
		levels, pix = joinInts(p.Profile.Levels[:]), joinInts(p.Profile.Pix[:])
		n := p.Profile.CertifiableCompetences()
		count, certifiable, pixTotal = n, certif.IsCertifiable(n), p.PixTotal
		// Keyed by day and profile, not by minute: Excel re-saves may drop
		// the time, and two identical profiles sent the same day are one.
		dedupKey = fmt.Sprintf("%s|%s|%s|%s", participantKey, p.SentAt[:10], levels, pix)
	} else {
		dedupKey = participantKey + "|NA"
	}
	res, err := im.stmt.insertParticipation.ExecContext(im.ctx, p.CampaignID, dedupKey, participantKey, p.LastName, p.FirstName,
		p.Class, p.StudentNumber, p.ExternalID, p.ExternalIDLabel, nameKey, fold.Key(p.Class), matchID, p.Sent, p.SentAt,
		pixTotal, count, certifiable, levels, pix)
	if err != nil {
		return false, fmt.Errorf("participation de %s : %w", p, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	var id int64
	if n == 1 {
		if id, err = res.LastInsertId(); err != nil {
			return false, err
		}
	} else if err := im.stmt.participationByKey.QueryRowContext(im.ctx, dedupKey).Scan(&id); err != nil {
		return false, err
	}
	if _, err := im.stmt.insertImportRow.ExecContext(im.ctx, fileNo, id); err != nil {
		return false, err
	}
	return n == 1, nil
}

func joinInts(ns []int) string {
	var b strings.Builder
	for i, n := range ns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

func splitInts(s string) ([]int, error) {
	parts := strings.Split(s, ",")
	ns := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("valeur stockée illisible %q : %w", s, err)
		}
		ns[i] = n
	}
	return ns, nil
}
