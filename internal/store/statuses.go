package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"pixcert/internal/certif"
)

// latestSendings finds, for each student, the sending that decides their
// status: the latest sent participation, not the best (pix-formats.md §1),
// the higher id between two sent at the same minute.
type latestSendings struct {
	byStudent []latestSending // indexed by student id, which is dense
}

// reserve sizes the table for student ids up to maxStudent at once.
func (l *latestSendings) reserve(maxStudent int64) {
	if int(maxStudent) >= len(l.byStudent) {
		grown := make([]latestSending, maxStudent+1)
		copy(grown, l.byStudent)
		l.byStudent = grown
	}
}

// latestSending is 16 bytes: a million students' worth stays small.
type latestSending struct {
	at            int64 // sortable form of sent_at
	participation int32 // 0: no sending
	sendings      uint16
	competences   uint8 // certifiable competences of that sending
}

func (l *latestSendings) add(student, participation int64, sentAt string, competences int) {
	if student <= 0 {
		return
	}
	if int(student) >= len(l.byStudent) {
		l.reserve(max(student, 2*int64(len(l.byStudent))))
	}
	cur := &l.byStudent[student]
	cur.sendings++
	at := sortableTime(sentAt)
	if cur.participation == 0 || at > cur.at || (at == cur.at && int32(participation) > cur.participation) {
		cur.participation, cur.at, cur.competences = int32(participation), at, uint8(competences)
	}
}

// sortableTime turns "YYYY-MM-DD[ HH:MM]" into YYYYMMDDHHMM, without keeping
// the string (and the row it was cut from) alive.
func sortableTime(s string) int64 {
	var n int64
	digits := 0
	for i := 0; i < len(s) && digits < 12; i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			n = n*10 + int64(c-'0')
			digits++
		}
	}
	for ; digits < 12; digits++ {
		n *= 10
	}
	return n
}

// write stores every student's status: a row for each student with a
// sending; the others are not communicated.
func (l *latestSendings) write(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM statuses`); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	b := newBatch(ctx, tx, "INSERT INTO statuses (student_id, status, latest_sent_id, competences, sendings)", 5)
	for student, s := range l.byStudent {
		if s.participation == 0 {
			continue
		}
		status := certif.NotCertifiable
		if certif.IsCertifiable(int(s.competences)) {
			status = certif.Certifiable
		}
		if err := b.add(student, string(status), s.participation, s.competences, s.sendings); err != nil {
			return fmt.Errorf("calcul des statuts : %w", err)
		}
	}
	if err := b.flush(); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return countClasses(ctx, tx)
}

// countClasses derives class_counts from the students' statuses.
func countClasses(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM class_counts;
		INSERT INTO class_counts (class_key, class, class_sort_key, students, certifiable, non_certifiable, not_communicated)
		SELECT s.class_key, min(s.class), min(s.class_sort_key), count(*),
			count(*) FILTER (WHERE st.status = ?1), count(*) FILTER (WHERE st.status = ?2), count(*) FILTER (WHERE st.status IS NULL)
		FROM students s LEFT JOIN statuses st ON st.student_id = s.id
		WHERE s.active = 1 GROUP BY s.class_key`,
		string(certif.Certifiable), string(certif.NotCertifiable))
	if err != nil {
		return fmt.Errorf("décompte par classe : %w", err)
	}
	return nil
}

// recomputeStatuses derives every student's status from all stored
// sendings.
func recomputeStatuses(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT pt.student_id, p.id, p.sent_at, p.profile
		FROM participations p JOIN participants pt ON pt.id = p.participant_id
		WHERE p.sent_at IS NOT NULL AND pt.student_id IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	var l latestSendings
	for rows.Next() {
		var student, participation int64
		var sentAt string
		var profile []byte
		if err := rows.Scan(&student, &participation, &sentAt, &profile); err != nil {
			rows.Close()
			return err
		}
		competences, err := certifiableCompetences(profile)
		if err != nil {
			rows.Close()
			return err
		}
		l.add(student, participation, sentAt, competences)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return l.write(ctx, tx)
}

// batch inserts rows many at a time: one statement per row costs more than
// the row itself.
type batch struct {
	ctx    context.Context
	tx     *sql.Tx
	insert string // "INSERT INTO t (a, b)"
	width  int    // values per row
	full   *sql.Stmt
	args   []any
	rows   int
	// Affected counts the rows the statements inserted (an INSERT OR
	// IGNORE skips some).
	Affected int64
}

// batchRows is how many rows one statement inserts.
const batchRows = 200

func newBatch(ctx context.Context, tx *sql.Tx, insert string, width int) *batch {
	return &batch{ctx: ctx, tx: tx, insert: insert, width: width, args: make([]any, 0, width*batchRows)}
}

func (b *batch) statement(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", b.width), ",") + ")"
	return b.insert + " VALUES " + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

func (b *batch) add(values ...any) error {
	b.args = append(b.args, values...)
	b.rows++
	if b.rows < batchRows {
		return nil
	}
	if b.full == nil {
		var err error
		if b.full, err = b.tx.PrepareContext(b.ctx, b.statement(batchRows)); err != nil {
			return err
		}
	}
	return b.exec(b.full)
}

func (b *batch) exec(stmt *sql.Stmt) error {
	res, err := stmt.ExecContext(b.ctx, b.args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	b.Affected += n
	b.args, b.rows = b.args[:0], 0
	return err
}

// flush inserts the rows still waiting.
func (b *batch) flush() error {
	if b.rows == 0 {
		return nil
	}
	stmt, err := b.tx.PrepareContext(b.ctx, b.statement(b.rows))
	if err != nil {
		return err
	}
	defer stmt.Close()
	return b.exec(stmt)
}
