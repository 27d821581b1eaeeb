package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"pixcert/internal/certif"
)

// Participations, the rows of the exports, are most of what a store holds:
// an académie sends millions. They are stored packed, many to a page
// (participation_pages), in the order of their ids: a row of SQLite costs
// an import more than reading the line of the export it comes from, and a
// page costs about what one row does. Participants (participants.go) and
// statuses (statuses.go) are stored the same way. A page is read by the id
// of a record it holds (the latest sending of a student, the statuses of a
// class), or all pages are.

// pageRows is how many records a page holds at most: a page is a few
// kilobytes, so that fetching one record by id stays cheap.
const pageRows = 128

// storedParticipation is a participation as a page holds it.
type storedParticipation struct {
	id, participant int64
	dedup           uint64 // see dedupHash
	sentAt          string // YYYY-MM-DD[ HH:MM]; "" when not sent
	pixTotal        int
	profile         [2 * certif.CompetenceCount]byte // see encodeProfile
}

func (p *storedParticipation) sent() bool { return p.sentAt != "" }

// Profile decodes the profile of a sent participation.
func (p *storedParticipation) Profile() certif.Profile {
	var out certif.Profile
	decodeProfile(&out, p.profile[:]) // the length is right by construction
	return out
}

// competences counts the certifiable competences of a sending.
func (p *storedParticipation) competences() int {
	n := 0
	for _, level := range p.profile[:certif.CompetenceCount] {
		if certif.IsCertifiableCompetence(int(level)) {
			n++
		}
	}
	return n
}

// appendParticipation encodes p after buf: the participant as a varint, the
// dedup hash, then for a sending its date, pix total and profile.
func appendParticipation(buf []byte, p *storedParticipation) []byte {
	buf = binary.AppendUvarint(buf, uint64(p.participant))
	buf = binary.LittleEndian.AppendUint64(buf, p.dedup)
	buf = append(buf, byte(len(p.sentAt)))
	if p.sent() {
		buf = append(buf, p.sentAt...)
		buf = binary.AppendUvarint(buf, uint64(p.pixTotal))
		buf = append(buf, p.profile[:]...)
	}
	return buf
}

var errBadPage = errors.New("page illisible dans la base")

// decodePage calls each with the participations of a page, in id order.
// The participation it passes is reused.
func decodePage(firstID int64, count int, data []byte, each func(*storedParticipation) error) error {
	var p storedParticipation
	for i := range count {
		participant, n := binary.Uvarint(data)
		if n <= 0 || len(data) < n+9 {
			return errBadPage
		}
		data = data[n:]
		p.id, p.participant = firstID+int64(i), int64(participant)
		p.dedup = binary.LittleEndian.Uint64(data)
		dateLen := int(data[8])
		data = data[9:]
		p.sentAt, p.pixTotal, p.profile = "", 0, [len(p.profile)]byte{}
		if dateLen > 0 {
			if len(data) < dateLen {
				return errBadPage
			}
			p.sentAt = string(data[:dateLen])
			data = data[dateLen:]
			pix, n := binary.Uvarint(data)
			if n <= 0 || len(data) < n+len(p.profile) {
				return errBadPage
			}
			p.pixTotal = int(pix)
			data = data[n+copy(p.profile[:], data[n:]):]
		}
		if err := each(&p); err != nil {
			return err
		}
	}
	if len(data) != 0 {
		return errBadPage
	}
	return nil
}

// pageWriter packs records into the pages of a table as an import adds
// them, in id order.
type pageWriter struct {
	insert  *batch
	firstID int64
	count   int
	buf     []byte
}

// newPageWriter writes to table, which has the columns of
// participation_pages.
func newPageWriter(ctx context.Context, tx *sql.Tx, table string) *pageWriter {
	return &pageWriter{insert: newBatch(ctx, tx, "INSERT INTO "+table+" (first_id, count, data)", 3)}
}

// add stores the record of id, which encode appends to a page; ids follow
// one another within a page.
func (w *pageWriter) add(id int64, encode func([]byte) []byte) error {
	if w.count > 0 && id != w.firstID+int64(w.count) {
		if err := w.flushPage(); err != nil {
			return err
		}
	}
	if w.count == 0 {
		w.firstID = id
	}
	w.buf = encode(w.buf)
	w.count++
	if w.count == pageRows {
		return w.flushPage()
	}
	return nil
}

func (w *pageWriter) flushPage() error {
	if w.count == 0 {
		return nil
	}
	// The batch keeps the slice until it runs: the next page gets its own.
	err := w.insert.add(w.firstID, w.count, w.buf)
	w.buf, w.count = make([]byte, 0, cap(w.buf)), 0
	return err
}

// flush stores what is left.
func (w *pageWriter) flush() error {
	if err := w.flushPage(); err != nil {
		return err
	}
	return w.insert.flush()
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// eachPage calls each with the pages a query selects (first_id, count, data).
func eachPage(ctx context.Context, q querier, query string, args []any, each func(firstID int64, count int, data []byte) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var firstID int64
		var count int
		var data []byte
		if err := rows.Scan(&firstID, &count, &data); err != nil {
			return err
		}
		if err := each(firstID, count, data); err != nil {
			return err
		}
	}
	return rows.Err()
}

// eachParticipation calls each with every stored participation, in id
// order. The participation it passes is reused.
func eachParticipation(ctx context.Context, q querier, each func(*storedParticipation) error) error {
	err := eachPage(ctx, q, `SELECT first_id, count, data FROM participation_pages ORDER BY first_id`, nil,
		func(firstID int64, count int, data []byte) error { return decodePage(firstID, count, data, each) })
	if err != nil {
		return fmt.Errorf("lecture des participations : %w", err)
	}
	return nil
}

// eachPageHolding calls each, once, with every page of table that holds
// one of the ids (sorted): a few pages read for a class, not all.
func eachPageHolding(ctx context.Context, q querier, table string, sorted []int64, each func(firstID int64, count int, data []byte) error) error {
	for i := 0; i < len(sorted); {
		last := sorted[i] // the last id of the page read
		err := eachPage(ctx, q, `SELECT first_id, count, data FROM `+table+` WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1`,
			[]any{sorted[i]}, func(firstID int64, count int, data []byte) error {
				last = max(last, firstID+int64(count)-1)
				return each(firstID, count, data)
			})
		if err != nil {
			return err
		}
		for i < len(sorted) && sorted[i] <= last {
			i++
		}
	}
	return nil
}

// sortedIDs sorts ids, once each.
func sortedIDs(ids []int64) []int64 {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	return slices.Compact(sorted)
}

// recordsByID reads the records of the given ids from table, reading only
// the pages that hold them: decode is the table's page decoder, id the id
// of a record. An id in no page has no record.
func recordsByID[T any](ctx context.Context, q querier, table string, ids []int64,
	decode func(firstID int64, count int, data []byte, each func(*T) error) error, id func(*T) int64) (map[int64]T, error) {
	sorted := sortedIDs(ids)
	out := make(map[int64]T, len(sorted))
	err := eachPageHolding(ctx, q, table, sorted, func(firstID int64, count int, data []byte) error {
		return decode(firstID, count, data, func(record *T) error {
			if _, found := slices.BinarySearch(sorted, id(record)); found {
				out[id(record)] = *record
			}
			return nil
		})
	})
	return out, err
}

// participationsByID reads the participations of the given ids.
func participationsByID(ctx context.Context, q querier, ids []int64) (map[int64]storedParticipation, error) {
	out, err := recordsByID(ctx, q, "participation_pages", ids, decodePage, func(p *storedParticipation) int64 { return p.id })
	if err != nil {
		return nil, fmt.Errorf("lecture des participations : %w", err)
	}
	return out, nil
}
