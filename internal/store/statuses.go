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
	certifiable   bool
}

func (l *latestSendings) add(student, participation int64, sentAt string, certifiable bool) {
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
		cur.participation, cur.at, cur.certifiable = int32(participation), at, certifiable
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

// write stores every student's status: those with a sending as found, all
// others as not communicated.
func (l *latestSendings) write(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE students SET status = ?1, latest_sent_id = NULL, sendings = 0
		WHERE status <> ?1 OR latest_sent_id IS NOT NULL OR sendings <> 0`, string(certif.NotCommunicated)); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS new_statuses
		(student_id INTEGER PRIMARY KEY, status TEXT NOT NULL, latest_sent_id INTEGER NOT NULL, sendings INTEGER NOT NULL);
		DELETE FROM new_statuses;`); err != nil {
		return err
	}
	b := newBatch(ctx, tx, "INSERT INTO new_statuses (student_id, status, latest_sent_id, sendings)", 4)
	for student, s := range l.byStudent {
		if s.participation == 0 {
			continue
		}
		status := certif.NotCertifiable
		if s.certifiable {
			status = certif.Certifiable
		}
		if err := b.add(student, string(status), s.participation, s.sendings); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE students SET status = n.status, latest_sent_id = n.latest_sent_id, sendings = n.sendings
		FROM new_statuses n WHERE students.id = n.student_id`); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return countClasses(ctx, tx)
}

// countClasses derives class_counts from the students' statuses.
func countClasses(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM class_counts;
		INSERT INTO class_counts (class_key, class, class_sort_key, students, certifiable, non_certifiable, not_communicated)
		SELECT class_key, min(class), min(class_sort_key), count(*), sum(status = ?1), sum(status = ?2), sum(status = ?3)
		FROM students WHERE active = 1 GROUP BY class_key`,
		string(certif.Certifiable), string(certif.NotCertifiable), string(certif.NotCommunicated))
	if err != nil {
		return fmt.Errorf("décompte par classe : %w", err)
	}
	return nil
}

// recomputeStatuses derives every student's status from all stored sent
// participations.
func recomputeStatuses(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT pt.student_id, p.id, p.sent_at, p.certifiable
		FROM participations p JOIN participants pt ON pt.id = p.participant_id
		WHERE p.sent = 1 AND pt.student_id IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	var l latestSendings
	for rows.Next() {
		var student, participation int64
		var sentAt string
		var certifiable bool
		if err := rows.Scan(&student, &participation, &sentAt, &certifiable); err != nil {
			rows.Close()
			return err
		}
		l.add(student, participation, sentAt, certifiable)
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
