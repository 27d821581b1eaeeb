package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
)

// A student's status is decided by their latest sending, all campaigns
// together (pix-formats.md §1): the latest, not the best. This file holds
// that rule once, for the three ways statuses are derived: as a bulk load
// reads its rows, for the students an import or a decision touched, and
// for every student (a converted store, pixcert check).

// sendingRank is what decides between two sendings of a student, in 28
// bytes: a bulk load keeps one for each of a million students.
type sendingRank struct {
	at          uint32 // sendingTime of sent_at
	id          int32
	pixTotal    uint16 // at most 16 competences of 255 pix
	competences uint8  // certifiable competences
	// pix are the pix of the 16 competences, in Pix's order (1.1 to 5.2):
	// at most 255 each (collecte).
	pix [certif.CompetenceCount]uint8
}

// newSendingRank is the rank of a sending as the sendings table holds it:
// pix is its JSON array.
func newSendingRank[T string | []byte](id int64, sentAt string, competences, pixTotal int64, pix T) sendingRank {
	return sendingRank{at: sendingTime(sentAt), id: int32(id), pixTotal: uint16(min(pixTotal, math.MaxUint16)), competences: uint8(competences),
		pix: rankPix(pix)}
}

// after tells whether sending a decides over sending b: sent later. Two
// sendings of the same minute cannot be ordered from the files (exports
// show minutes): the one with more certifiable competences, then more
// pix, then more pix in the first competence where they differ, decides,
// whatever the order of the imports and of their rows. Only sendings alike
// in all that, which the levels alone tell apart, fall to the higher id.
func (a sendingRank) after(b sendingRank) bool {
	return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.competences, b.competences),
		cmp.Compare(a.pixTotal, b.pixTotal), bytes.Compare(a.pix[:], b.pix[:]), cmp.Compare(a.id, b.id)) > 0
}

// rankPix reads the JSON array of a sending's pix, as profileJSON writes
// it (spaces allowed), without allocating: a bulk load reads millions.
// What is not a number is left at 0.
func rankPix[T string | []byte](pix T) (out [certif.CompetenceCount]uint8) {
	i, n, inNumber := 0, 0, false
	for k := 0; k < len(pix) && i < len(out); k++ {
		c := pix[k]
		switch {
		case c >= '0' && c <= '9':
			n, inNumber = min(n*10+int(c-'0'), math.MaxUint8), true
		case inNumber:
			out[i], n, inNumber = uint8(n), 0, false
			i++
		}
	}
	return out
}

// sendingTime orders the sent_at of sendings ("YYYY-MM-DD HH:MM", or
// "YYYY-MM-DD" when the file gave no time), in 32 bits: the minutes since
// 1900, then a bit set when the time is known, so that a date without a
// time comes before every time of its day. A date before 1900 or after
// 5982, which only a typing mistake makes, counts as the nearest of the
// two.
func sendingTime(sentAt string) uint32 {
	num := func(from, to int) int {
		n := 0
		for i := from; i < to && i < len(sentAt); i++ {
			n = n*10 + int(sentAt[i]-'0')
		}
		return n
	}
	hasTime := len(sentAt) >= len("2006-01-02 15:04")
	t := time.Date(num(0, 4), time.Month(num(5, 7)), num(8, 10), 0, 0, 0, 0, time.UTC)
	if hasTime {
		t = t.Add(time.Duration(num(11, 13))*time.Hour + time.Duration(num(14, 16))*time.Minute)
	}
	minute := min(max((t.Unix()-sendingEpoch)/60, 0), lastSendingMinute)
	at := uint32(minute) << 1
	if hasTime {
		at |= 1
	}
	return at
}

var sendingEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

const lastSendingMinute = 1<<31 - 1

// latestSending is what is known of a student's sendings so far.
type latestSending struct {
	rank     sendingRank // of the latest; id 0: none yet
	sendings uint32
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
	return w.insert.add(student, string(l.status()), nullIfZero(int64(l.rank.id)), l.sendings)
}

// eachDerivedStatus derives the status of the students that studentsWhere
// (a condition on students st) selects, in id order: a student without a
// sending is not communicated. until, when not "", is a day (YYYY-MM-DD):
// the statuses as they stood at its end.
func eachDerivedStatus(ctx context.Context, q querier, studentsWhere, until string, each func(student int64, l *latestSending) error) error {
	return eachStudentSendings(ctx, q, studentsWhere, nil, until, func(st studentRef, ranks []sendingRank) error {
		var l latestSending
		for _, r := range ranks {
			l.add(r)
		}
		return each(st.id, &l)
	})
}

// studentRef is a student as eachStudentSendings reads it.
type studentRef struct {
	id, establishment int64
	classKey, class   string
}

// eachStudentSendings calls each with the students that studentsWhere (a
// condition on students st, with args) selects, in id order, and the ranks
// of their sendings, dated up to until when it is not "" (a day,
// YYYY-MM-DD, Europe/Paris as sendings are). It reads two cursors in step,
// students and their sendings, both in student order, so that a million
// students cost no more memory than one. ranks is reused: copy it to keep
// it.
func eachStudentSendings(ctx context.Context, q querier, studentsWhere string, args []any, until string,
	each func(st studentRef, ranks []sendingRank) error) error {
	students, err := q.QueryContext(ctx, `SELECT id, establishment_id, class_key, coalesce(class, '') FROM students st
		WHERE `+studentsWhere+` ORDER BY id`, args...)
	if err != nil {
		return err
	}
	defer students.Close()
	sendingsWhere, sendingsArgs := "", args
	if until != "" {
		sendingsWhere, sendingsArgs = " AND substr(s.sent_at, 1, 10) <= ?", append(slices.Clip(args), until)
	}
	sendings, err := q.QueryContext(ctx, `SELECT p.student_id, s.id, s.sent_at, s.certifiable_competences, s.pix_total, s.pix
		FROM participants p JOIN sendings s ON s.participant_id = p.id
		WHERE p.student_id IN (SELECT id FROM students st WHERE `+studentsWhere+`)`+sendingsWhere+` ORDER BY p.student_id`, sendingsArgs...)
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
		var id, competences, pixTotal int64
		var sentAt string
		var pix sql.RawBytes // read at once, not kept
		if err := sendings.Scan(&next.student, &id, &sentAt, &competences, &pixTotal, &pix); err != nil {
			return err
		}
		next.rank = newSendingRank(id, sentAt, competences, pixTotal, []byte(pix))
		return nil
	}
	if err := advance(); err != nil {
		return err
	}
	var ranks []sendingRank
	for students.Next() {
		var st studentRef
		if err := students.Scan(&st.id, &st.establishment, &st.classKey, &st.class); err != nil {
			return err
		}
		ranks = ranks[:0]
		for next.ok && next.student <= st.id {
			if next.student == st.id {
				ranks = append(ranks, next.rank)
			}
			if err := advance(); err != nil {
				return err
			}
		}
		if err := each(st, ranks); err != nil {
			return err
		}
	}
	return students.Err()
}

// recomputeStatuses derives again the statuses of the students in the
// temporary table affected_students, and empties it.
func recomputeStatuses(ctx context.Context, tx *sql.Tx) error {
	w := newStatusWriter(ctx, tx)
	err := eachDerivedStatus(ctx, tx, `st.id IN (SELECT id FROM temp.affected_students)`, "", w.write)
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
	err := eachDerivedStatus(ctx, tx, "1", "", w.write)
	if err == nil {
		err = w.insert.flush()
	}
	if err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return nil
}
