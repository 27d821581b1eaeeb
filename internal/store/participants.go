package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"

	"pixcert/internal/collecte"
)

// Participants, a learner of a campaign as its exports name them, are
// stored in pages like participations (participant_pages): an académie has
// a million of them, read whole by rematching, pixcert unmatched and show,
// and looked up by key only by an import, from memory. Matching a
// participant again rewrites the pages that hold it.

// storedParticipant is a participant as a page holds it.
type storedParticipant struct {
	id      int64
	key     uint64 // see identity.key
	student int64  // 0: matched with no student
	method  string // how it was matched: matchID, matchNameClass, matchName, matchManual; "" when not
	named   collecte.Participation
}

// appendParticipant encodes p after buf: its key, campaign and student,
// then its match method and names as fields.
func appendParticipant(buf []byte, p *storedParticipant) []byte {
	buf = binary.LittleEndian.AppendUint64(buf, p.key)
	buf = binary.AppendUvarint(buf, uint64(p.named.CampaignID))
	buf = binary.AppendUvarint(buf, uint64(p.student))
	n := p.named
	return appendFields(buf, p.method, n.LastName, n.FirstName, n.Class, n.StudentNumber, n.ExternalID)
}

// decodeParticipantPage calls each with the participants of a page, in id
// order. The participant it passes is reused.
func decodeParticipantPage(firstID int64, count int, data []byte, each func(*storedParticipant) error) error {
	var p storedParticipant
	for i := range count {
		if len(data) < 8 {
			return errBadPage
		}
		p.id, p.key = firstID+int64(i), binary.LittleEndian.Uint64(data)
		data = data[8:]
		campaign, n := binary.Uvarint(data)
		if n <= 0 {
			return errBadPage
		}
		data = data[n:]
		student, n := binary.Uvarint(data)
		if n <= 0 {
			return errBadPage
		}
		data = data[n:]
		p.named = collecte.Participation{CampaignID: int64(campaign)}
		p.student = int64(student)
		named := &p.named
		rest, err := nextFields(data, &p.method, &named.LastName, &named.FirstName, &named.Class, &named.StudentNumber, &named.ExternalID)
		if err != nil {
			return errBadPage
		}
		data = rest
		if err := each(&p); err != nil {
			return err
		}
	}
	if len(data) != 0 {
		return errBadPage
	}
	return nil
}

const participantPages = `SELECT first_id, count, data FROM participant_pages`

// eachParticipant calls each with every stored participant, in id order.
// The participant it passes is reused.
func eachParticipant(ctx context.Context, q querier, each func(*storedParticipant) error) error {
	err := eachPage(ctx, q, participantPages+` ORDER BY first_id`, nil,
		func(firstID int64, count int, data []byte) error {
			return decodeParticipantPage(firstID, count, data, each)
		})
	if err != nil {
		return fmt.Errorf("lecture des participants : %w", err)
	}
	return nil
}

// match is how a participant is matched.
type match struct {
	student int64
	method  string
}

// rewriteMatches stores new matches of participants: the pages that hold
// them are read again, one by one, and written back.
func rewriteMatches(ctx context.Context, tx *sql.Tx, changes map[int64]match) error {
	if len(changes) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(changes))
	for id := range changes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	update, err := tx.PrepareContext(ctx, `UPDATE participant_pages SET data = ? WHERE first_id = ?`)
	if err != nil {
		return err
	}
	defer update.Close()
	for i := 0; i < len(ids); {
		var firstID, last int64
		var page []byte
		err := eachPage(ctx, tx, participantPages+` WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1`, []any{ids[i]},
			func(first int64, count int, data []byte) error {
				firstID = first
				return decodeParticipantPage(first, count, data, func(p *storedParticipant) error {
					if m, changed := changes[p.id]; changed {
						p.student, p.method = m.student, m.method
					}
					page, last = appendParticipant(page, p), p.id
					return nil
				})
			})
		if err != nil {
			return fmt.Errorf("rapprochement des participants : %w", err)
		}
		if page == nil {
			return fmt.Errorf("rapprochement des participants : participant %d introuvable", ids[i])
		}
		if _, err := update.ExecContext(ctx, page, firstID); err != nil {
			return fmt.Errorf("rapprochement des participants : %w", err)
		}
		for i < len(ids) && ids[i] <= last {
			i++
		}
	}
	return nil
}
