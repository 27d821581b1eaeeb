package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"pixcert/internal/certif"
)

// A student's status is decided by their latest sending, all campaigns
// together (pix-formats.md §1): the latest, not the best. This file holds
// that rule once, for the three ways statuses are derived: as a bulk load
// reads its rows, for the students an import or a decision touched, and
// for every student (a converted store, pixcert check).

// sendingRank is what decides between two sendings of a student.
type sendingRank struct {
	at          int64 // sendingTime of sent_at
	competences int64 // certifiable competences
	pixTotal    int64
	id          int64
}

// after tells whether sending a decides over sending b: sent later. Two
// sendings of the same minute cannot be ordered from the files (exports
// show minutes): the one with more certifiable competences, then more
// pix, then the higher id decides, whatever the order of the imports.
func (a sendingRank) after(b sendingRank) bool {
	return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.competences, b.competences),
		cmp.Compare(a.pixTotal, b.pixTotal), cmp.Compare(a.id, b.id)) > 0
}

// sendingTime orders the sent_at of sendings: "YYYY-MM-DD HH:MM" as
// YYYYMMDDHHMM+1, a date without a time, "YYYY-MM-DD", as the very start
// of its day.
func sendingTime(sentAt string) int64 {
	var n int64
	for i := 0; i < len(sentAt); i++ {
		if c := sentAt[i]; '0' <= c && c <= '9' {
			n = n*10 + int64(c-'0')
		}
	}
	if len(sentAt) <= len("2006-01-02") {
		return n * 100000
	}
	return (n/10000)*100000 + n%10000 + 1
}

// latestSending is what is known of a student's sendings so far.
type latestSending struct {
	rank     sendingRank // of the latest; id 0: none yet
	sendings int64
}

func (l *latestSending) add(r sendingRank) {
	l.sendings++
	if l.rank.id == 0 || r.after(l.rank) {
		l.rank = r
	}
}

func (l *latestSending) status() certif.Status {
	if l.rank.id == 0 {
		return certif.NotCommunicated
	}
	return certif.StatusOfCount(int(l.rank.competences))
}

// statusWriter writes the statuses of students, replacing what they were.
type statusWriter struct{ insert *batch }

func newStatusWriter(ctx context.Context, tx *sql.Tx) *statusWriter {
	return &statusWriter{newBatch(ctx, tx, `INSERT OR REPLACE INTO statuses (student_id, status, sending_id, sendings)`, 4)}
}

func (w *statusWriter) write(student int64, l *latestSending) error {
	return w.insert.add(student, string(l.status()), nullIfZero(l.rank.id), l.sendings)
}

// eachDerivedStatus derives the status of the students that studentsWhere
// (a condition on students st) selects, in id order: a student without a
// sending is not communicated. It reads two cursors in step, students and
// their sendings, both in student order, so that a million students cost
// no more memory than one.
func eachDerivedStatus(ctx context.Context, q querier, studentsWhere string, each func(student int64, l *latestSending) error) error {
	students, err := q.QueryContext(ctx, `SELECT id FROM students st WHERE `+studentsWhere+` ORDER BY id`)
	if err != nil {
		return err
	}
	defer students.Close()
	sendings, err := q.QueryContext(ctx, `SELECT p.student_id, s.id, s.sent_at, s.certifiable_competences, s.pix_total
		FROM participants p JOIN sendings s ON s.participant_id = p.id
		WHERE p.student_id IN (SELECT id FROM students st WHERE `+studentsWhere+`) ORDER BY p.student_id`)
	if err != nil {
		return err
	}
	defer sendings.Close()
	var next struct {
		student int64
		rank    sendingRank
		ok      bool
	}
	advance := func() error {
		if next.ok = sendings.Next(); !next.ok {
			return sendings.Err()
		}
		var sentAt string
		r := &next.rank
		if err := sendings.Scan(&next.student, &r.id, &sentAt, &r.competences, &r.pixTotal); err != nil {
			return err
		}
		r.at = sendingTime(sentAt)
		return nil
	}
	if err := advance(); err != nil {
		return err
	}
	for students.Next() {
		var id int64
		if err := students.Scan(&id); err != nil {
			return err
		}
		var l latestSending
		for next.ok && next.student <= id {
			if next.student == id {
				l.add(next.rank)
			}
			if err := advance(); err != nil {
				return err
			}
		}
		if err := each(id, &l); err != nil {
			return err
		}
	}
	return students.Err()
}

// recomputeStatuses derives again the statuses of the students in the
// temporary table affected_students, and empties it.
func recomputeStatuses(ctx context.Context, tx *sql.Tx) error {
	w := newStatusWriter(ctx, tx)
	err := eachDerivedStatus(ctx, tx, `st.id IN (SELECT id FROM temp.affected_students)`, w.write)
	if err == nil {
		err = w.insert.flush()
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM temp.affected_students`)
	}
	if err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return nil
}

// recomputeAllStatuses derives every student's status again.
func recomputeAllStatuses(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM statuses`); err != nil {
		return err
	}
	w := newStatusWriter(ctx, tx)
	err := eachDerivedStatus(ctx, tx, "1", w.write)
	if err == nil {
		err = w.insert.flush()
	}
	if err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return nil
}
