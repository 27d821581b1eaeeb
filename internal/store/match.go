package store

import (
	"context"
	"database/sql"
	"fmt"

	"pixcert/internal/certif"
)

// Matching ties each participation to a student of the current roster, in
// order of confidence:
//
//  1. the identifier: student number or external id equal to the student's
//     national id or student number;
//  2. the name and first name (birth or usage name) in the same class;
//  3. the name and first name alone, when one student of the roster has it
//     (the student changed class since that export).
//
// A participant two students could be is left unmatched rather than guessed.
// A person's decision (pixcert link, unlink) comes before all of these and
// stops them. Matching runs over every participation at the end of every
// import and decision, so the order in which files are imported does not
// matter.
var matchSteps = []struct {
	method string
	query  string
}{
	{"manual", `UPDATE participations SET student_id = s.id, match_method = 'manual'
		FROM links l JOIN students s ON s.id = l.student_id AND s.active = 1
		WHERE participations.participant_key = l.participant_key`},
	{"id", `UPDATE participations SET student_id = s.id, match_method = 'id'
		FROM students s
		WHERE participations.student_id IS NULL AND participations.match_id <> ''
		  AND participations.participant_key NOT IN (SELECT participant_key FROM links)
		  AND s.active = 1 AND s.national_id = participations.match_id`},
	{"id", `UPDATE participations SET student_id = s.id, match_method = 'id'
		FROM students s
		WHERE participations.student_id IS NULL AND participations.match_id <> ''
		  AND participations.participant_key NOT IN (SELECT participant_key FROM links)
		  AND s.active = 1 AND s.student_number = participations.match_id`},
	{"name_class", `UPDATE participations SET student_id = m.student_id, match_method = 'name_class'
		FROM (SELECT p.id AS participation_id, min(n.student_id) AS student_id
		      FROM participations p
		      JOIN student_names n ON n.name_key = p.name_key AND n.class_key = p.class_key
		      JOIN students s ON s.id = n.student_id AND s.active = 1
		      WHERE p.student_id IS NULL AND p.participant_key NOT IN (SELECT participant_key FROM links)
		      GROUP BY p.id HAVING count(DISTINCT n.student_id) = 1) m
		WHERE participations.id = m.participation_id`},
	{"name", `UPDATE participations SET student_id = m.student_id, match_method = 'name'
		FROM (SELECT p.id AS participation_id, min(n.student_id) AS student_id
		      FROM participations p
		      JOIN student_names n ON n.name_key = p.name_key
		      JOIN students s ON s.id = n.student_id AND s.active = 1
		      WHERE p.student_id IS NULL AND p.participant_key NOT IN (SELECT participant_key FROM links)
		      GROUP BY p.id HAVING count(DISTINCT n.student_id) = 1) m
		WHERE participations.id = m.participation_id`},
}

// FileSummary is what an import did with one export file.
type FileSummary struct {
	Participants int // distinct learners in the file
	Rows         int
	Sendings     int // sent participations
	Unmatched    int // learners found in no student of the current roster
}

// Finish matches participations to students, refreshes every student's
// status and returns, for each export file number, what became of its rows,
// and how many students left the current list.
func (im *Import) Finish() (files map[int]FileSummary, leftRoster int, err error) {
	if im.rosterBegun {
		if err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM students WHERE active = 2`).Scan(&leftRoster); err != nil {
			return nil, 0, err
		}
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE students SET active = 0 WHERE active = 2`); err != nil {
			return nil, 0, err
		}
	}
	if err := rematch(im.ctx, im.tx); err != nil {
		return nil, 0, err
	}
	files, err = im.fileSummaries()
	return files, leftRoster, err
}

// rematch ties every participation to its student again, then derives
// every student's status.
func rematch(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE participations SET student_id = NULL, match_method = NULL WHERE student_id IS NOT NULL`); err != nil {
		return err
	}
	for _, step := range matchSteps {
		if _, err := tx.ExecContext(ctx, step.query); err != nil {
			return fmt.Errorf("rapprochement des participants (%s) : %w", step.method, err)
		}
	}
	return refreshStatuses(ctx, tx)
}

// refreshStatuses derives each student's status from the latest sent
// participation (pix-formats.md §1: the latest wins, not the best).
func refreshStatuses(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE students SET
			latest_sent_id = (SELECT p.id FROM participations p
				WHERE p.student_id = students.id AND p.sent = 1
				ORDER BY p.sent_at DESC, p.id DESC LIMIT 1),
			sendings = (SELECT count(*) FROM participations p WHERE p.student_id = students.id AND p.sent = 1)`); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE students SET status = CASE
			WHEN latest_sent_id IS NULL THEN ?1
			WHEN (SELECT certifiable FROM participations WHERE id = latest_sent_id) THEN ?2
			ELSE ?3 END`,
		string(certif.NotCommunicated), string(certif.Certifiable), string(certif.NotCertifiable)); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return nil
}

func (im *Import) fileSummaries() (map[int]FileSummary, error) {
	rows, err := im.tx.QueryContext(im.ctx, `
		SELECT r.file_no, count(DISTINCT p.participant_key), count(*), coalesce(sum(p.sent), 0),
			count(DISTINCT CASE WHEN p.student_id IS NULL THEN p.participant_key END)
		FROM import_rows r JOIN participations p ON p.id = r.participation_id
		GROUP BY r.file_no`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	files := map[int]FileSummary{}
	for rows.Next() {
		var no int
		var f FileSummary
		if err := rows.Scan(&no, &f.Participants, &f.Rows, &f.Sendings, &f.Unmatched); err != nil {
			return nil, err
		}
		files[no] = f
	}
	return files, rows.Err()
}
