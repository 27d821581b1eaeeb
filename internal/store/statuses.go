package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"pixcert/internal/certif"
	"pixcert/internal/fold"
)

// latestSendings finds, for each student, the sending that decides their
// status: the latest sent participation, not the best (pix-formats.md §1),
// the higher id between two sent at the same minute. For a student who
// sent nothing, it keeps the campaign they last started.
type latestSendings struct {
	byStudent []latestSending // indexed by student id, which is dense
	campaigns []int64         // campaign ids, indexed by latestSending.campaign - 1
	campaign  map[int64]int32 // the other way
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
	at            sendingTime
	participation int32 // 0: no sending
	campaign      int32 // of that sending, else of the latest started participation; 0: none
	sendings      uint16
	competences   uint8 // certifiable competences of that sending
}

func (l *latestSendings) student(id int64) *latestSending {
	if int(id) >= len(l.byStudent) {
		l.reserve(max(id, 2*int64(len(l.byStudent))))
	}
	return &l.byStudent[id]
}

func (l *latestSendings) campaignIndex(id int64) int32 {
	if l.campaign == nil {
		l.campaign = map[int64]int32{}
	}
	i, ok := l.campaign[id]
	if !ok {
		l.campaigns = append(l.campaigns, id)
		i = int32(len(l.campaigns))
		l.campaign[id] = i
	}
	return i
}

// add counts a participation of a student, in id order.
func (l *latestSendings) add(student int64, p *storedParticipation, campaign int64) {
	if student <= 0 {
		return
	}
	cur := l.student(student)
	if !p.sent() {
		if cur.participation == 0 {
			cur.campaign = l.campaignIndex(campaign)
		}
		return
	}
	cur.sendings++
	at := newSendingTime(p.sentAt)
	if cur.participation == 0 || at.minute() > cur.at.minute() || (at.minute() == cur.at.minute() && int32(p.id) > cur.participation) {
		cur.participation, cur.at, cur.campaign = int32(p.id), at, l.campaignIndex(campaign)
		cur.competences = uint8(p.competences())
	}
}

// sendingTime is a date and time of sending, "YYYY-MM-DD[ HH:MM]", in 4
// bytes: the minutes since 1900 (Paris time, as the export gives it), then
// a bit for whether the time was given. A date before 1900 or after 5982,
// which only a typing mistake makes, counts as the nearest of the two.
type sendingTime uint32

var sendingEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

const lastSendingMinute = 1<<31 - 1

func newSendingTime(s string) sendingTime {
	num := func(from, to int) int {
		n := 0
		for i := from; i < to && i < len(s); i++ {
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	hasTime := len(s) >= len("2006-01-02 15:04")
	t := time.Date(num(0, 4), time.Month(num(5, 7)), num(8, 10), num(11, 13), num(14, 16), 0, 0, time.UTC)
	if !hasTime {
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	minute := min(max((t.Unix()-sendingEpoch)/60, 0), lastSendingMinute)
	at := sendingTime(minute) << 1
	if hasTime {
		at |= 1
	}
	return at
}

func (t sendingTime) minute() uint32 { return uint32(t >> 1) }

func (t sendingTime) String() string {
	at := time.Unix(sendingEpoch+int64(t.minute())*60, 0).UTC()
	if t&1 == 0 {
		return at.Format("2006-01-02")
	}
	return at.Format("2006-01-02 15:04")
}

// write stores every student's status, in pages (status_pages) like
// participations: a record for every student id, in order, so that the
// students of a class, listed together in a roster, share a page or two.
func (l *latestSendings) write(ctx context.Context, tx *sql.Tx, classes *rosterClasses) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM status_pages`); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	w := newPageWriter(ctx, tx, "status_pages")
	for student := 1; student < len(l.byStudent); student++ {
		st := l.stored(int64(student))
		if err := w.add(st.student, func(b []byte) []byte { return appendStatus(b, &st) }); err != nil {
			return fmt.Errorf("calcul des statuts : %w", err)
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return l.countClasses(ctx, tx, classes)
}

// storedStatus is a student's status as a page holds it.
type storedStatus struct {
	student     int64
	campaign    int64 // of the latest sending, else of the latest started participation; 0: none
	latestSent  int64 // participation; 0: none sent
	at          sendingTime
	competences int // of the latest sending
	sendings    int
}

func (l *latestSendings) stored(student int64) storedStatus {
	s := l.byStudent[student]
	st := storedStatus{student: student}
	if s.campaign != 0 {
		st.campaign = l.campaigns[s.campaign-1]
	}
	if s.participation != 0 {
		st.latestSent, st.at, st.competences, st.sendings = int64(s.participation), s.at, int(s.competences), int(s.sendings)
	}
	return st
}

// status is the status st says.
func (st *storedStatus) status() certif.Status {
	if st.latestSent == 0 {
		return certif.NotCommunicated
	}
	return certif.StatusOfCount(st.competences)
}

// appendStatus encodes st after buf: its campaign, then for a student who
// sent a profile the sending, its date and count, and how many they sent.
func appendStatus(buf []byte, st *storedStatus) []byte {
	buf = binary.AppendUvarint(buf, uint64(st.campaign))
	buf = binary.AppendUvarint(buf, uint64(st.latestSent))
	if st.latestSent != 0 {
		buf = binary.AppendUvarint(buf, uint64(st.at))
		buf = binary.AppendUvarint(buf, uint64(st.competences))
		buf = binary.AppendUvarint(buf, uint64(st.sendings))
	}
	return buf
}

func decodeStatusPage(firstID int64, count int, data []byte, each func(*storedStatus) error) error {
	var st storedStatus
	for i := range count {
		st = storedStatus{student: firstID + int64(i)}
		var values [5]uint64
		n := 2
		for j := 0; j < n; j++ {
			v, size := binary.Uvarint(data)
			if size <= 0 {
				return errBadPage
			}
			values[j], data = v, data[size:]
			if j == 1 && v != 0 {
				n = 5
			}
		}
		st.campaign, st.latestSent = int64(values[0]), int64(values[1])
		st.at, st.competences, st.sendings = sendingTime(values[2]), int(values[3]), int(values[4])
		if err := each(&st); err != nil {
			return err
		}
	}
	if len(data) != 0 {
		return errBadPage
	}
	return nil
}

// statusesByID reads the statuses of the given students; a student with
// no record (added since they were derived) has none.
func statusesByID(ctx context.Context, q querier, students []int64) (map[int64]storedStatus, error) {
	out, err := recordsByID(ctx, q, "status_pages", students, decodeStatusPage, func(st *storedStatus) int64 { return st.student })
	if err != nil {
		return nil, fmt.Errorf("lecture des statuts : %w", err)
	}
	return out, nil
}

// classCount is a class's line of class_counts.
type classCount struct {
	key, class                            string
	students, certifiable, notCertifiable int
}

// countClasses derives class_counts from the students' statuses: from the
// store, or, after an import that read a roster, from what it keeps in
// memory (classes, nil otherwise), which is the same and costs nothing.
func (l *latestSendings) countClasses(ctx context.Context, tx *sql.Tx, classes *rosterClasses) error {
	var counts []classCount
	if classes != nil {
		counts = classes.count(l)
	} else {
		var err error
		if counts, err = storedClassCounts(ctx, tx); err != nil {
			return fmt.Errorf("décompte par classe : %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM class_counts`); err != nil {
		return fmt.Errorf("décompte par classe : %w", err)
	}
	b := newBatch(ctx, tx, `INSERT INTO class_counts (class_key, class, class_sort_key, students, certifiable, non_certifiable, not_communicated)`, 7)
	for _, c := range counts {
		if err := b.add(c.key, c.class, fold.SortKey(c.class), c.students, c.certifiable, c.notCertifiable,
			c.students-c.certifiable-c.notCertifiable); err != nil {
			return fmt.Errorf("décompte par classe : %w", err)
		}
	}
	if err := b.flush(); err != nil {
		return fmt.Errorf("décompte par classe : %w", err)
	}
	return nil
}

func storedClassCounts(ctx context.Context, tx *sql.Tx) ([]classCount, error) {
	var statuses []certif.Status // by student id
	err := eachPage(ctx, tx, `SELECT first_id, count, data FROM status_pages`, nil, func(firstID int64, count int, data []byte) error {
		return decodeStatusPage(firstID, count, data, func(st *storedStatus) error {
			for int64(len(statuses)) <= st.student {
				statuses = append(statuses, certif.NotCommunicated)
			}
			statuses[st.student] = st.status()
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, class_key, class FROM students WHERE active = 1 ORDER BY class_key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var counts []classCount
	for rows.Next() {
		var id int64
		var key, class string
		if err := rows.Scan(&id, &key, &class); err != nil {
			return nil, err
		}
		if n := len(counts); n == 0 || counts[n-1].key != key {
			counts = append(counts, classCount{key: key, class: class})
		}
		c := &counts[len(counts)-1]
		c.students++
		c.class = min(c.class, class)
		if id < int64(len(statuses)) {
			switch statuses[id] {
			case certif.Certifiable:
				c.certifiable++
			case certif.NotCertifiable:
				c.notCertifiable++
			}
		}
	}
	return counts, rows.Err()
}

// rosterClasses is the class of every student of the rosters an import
// read, which are the current list once it ends.
type rosterClasses struct {
	of    []int32 // student id → 1 + index in names; 0: not in the rosters
	names []string
	index map[string]int32
}

func newRosterClasses() *rosterClasses { return &rosterClasses{index: map[string]int32{}} }

func (c *rosterClasses) set(student int64, class string) {
	i, ok := c.index[class]
	if !ok {
		c.names = append(c.names, class)
		i = int32(len(c.names))
		c.index[class] = i
	}
	for int64(len(c.of)) <= student {
		c.of = append(c.of, 0)
	}
	c.of[student] = i
}

func (c *rosterClasses) has(student int64) bool {
	return student < int64(len(c.of)) && c.of[student] != 0
}

// count counts as storedClassCounts does: classes compared folded, each
// named by the first of its spellings in byte order.
func (c *rosterClasses) count(l *latestSendings) []classCount {
	byKey := map[string]*classCount{}
	var keys []string
	keyOf := make([]*classCount, len(c.names)+1)
	for i, name := range c.names {
		key := fold.Key(name)
		cc, ok := byKey[key]
		if !ok {
			cc = &classCount{key: key}
			byKey[key] = cc
			keys = append(keys, key)
		}
		keyOf[i+1] = cc
	}
	for student, i := range c.of {
		if i == 0 {
			continue
		}
		cc := keyOf[i]
		cc.students++
		if student < len(l.byStudent) {
			st := l.stored(int64(student))
			switch st.status() {
			case certif.Certifiable:
				cc.certifiable++
			case certif.NotCertifiable:
				cc.notCertifiable++
			}
		}
		if name := c.names[i-1]; cc.students == 1 || name < cc.class {
			cc.class = name
		}
	}
	var counts []classCount
	for _, key := range keys {
		if cc := byKey[key]; cc.students > 0 {
			counts = append(counts, *cc)
		}
	}
	return counts
}

// recomputeStatuses derives every student's status from all stored
// participations.
func recomputeStatuses(ctx context.Context, tx *sql.Tx) error {
	type owner struct{ student, campaign int64 }
	var owners []owner // indexed by participant id, which is dense
	err := eachParticipant(ctx, tx, func(p *storedParticipant) error {
		for int64(len(owners)) <= p.id {
			owners = append(owners, owner{})
		}
		owners[p.id] = owner{p.student, p.named.CampaignID}
		return nil
	})
	if err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	var l latestSendings
	err = eachParticipation(ctx, tx, func(p *storedParticipation) error {
		if p.participant < int64(len(owners)) {
			o := owners[p.participant]
			l.add(o.student, p, o.campaign)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return l.write(ctx, tx, nil)
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
