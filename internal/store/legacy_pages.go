package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
)

// pagesLayout reads pixcert's schema version 2 as released (commits
// d520a47 onwards, pages since f892125): a student's ids, names and birth
// date in one blob, participants and participations packed 128 to a
// binary page. The decoders below are copies of those of that release,
// frozen: this is how those stores were written.
type pagesLayout struct{}

func (pagesLayout) description() string { return "base pixcert de schéma 2 (pages)" }

var errLegacyPage = errors.New("page illisible dans l'ancienne base")

func (pagesLayout) campaigns(ctx context.Context, tx *sql.Tx, each func(legacyCampaign) error) error {
	return plainLayout{}.campaigns(ctx, tx, each)
}

func (pagesLayout) links(ctx context.Context, tx *sql.Tx, each func(legacyLink) error) error {
	return legacyLinks(ctx, tx, each)
}

// students: a record is the national id, student number, last name, usage
// name, first name and birth date, each a uvarint length then its bytes.
func (pagesLayout) students(ctx context.Context, tx *sql.Tx, each func(legacyStudent) error) error {
	return eachLegacyRow(ctx, tx, `SELECT id, active, class, record FROM legacy_students ORDER BY id`, func(rows *sql.Rows) error {
		var s legacyStudent
		var record []byte
		if err := rows.Scan(&s.id, &s.active, &s.class, &record); err != nil {
			return err
		}
		rest, err := legacyFields(record, &s.nationalID, &s.studentNumber, &s.lastName, &s.usageName, &s.firstName, &s.birthdate)
		if err != nil || len(rest) != 0 {
			return errLegacyPage
		}
		return each(s)
	})
}

// participants: per record, the key (8 bytes, little endian), the campaign
// and the student (uvarints), then the match method, last name, first
// name, class, student number and external id as fields.
func (pagesLayout) participants(ctx context.Context, tx *sql.Tx, each func(legacyParticipant) error) error {
	return eachLegacyPage(ctx, tx, "legacy_participant_pages", func(firstID int64, count int, data []byte) error {
		return decodeLegacyParticipants(firstID, count, data, each)
	})
}

func decodeLegacyParticipants(firstID int64, count int, data []byte, each func(legacyParticipant) error) error {
	for i := range count {
		if len(data) < 8 {
			return errLegacyPage
		}
		data = data[8:]
		p := legacyParticipant{id: firstID + int64(i)}
		campaign, n := binary.Uvarint(data)
		if n <= 0 {
			return errLegacyPage
		}
		data = data[n:]
		student, n := binary.Uvarint(data)
		if n <= 0 {
			return errLegacyPage
		}
		data = data[n:]
		p.campaign, p.student = int64(campaign), int64(student)
		var err error
		data, err = legacyFields(data, &p.method, &p.lastName, &p.firstName, &p.class, &p.studentNumber, &p.externalID)
		if err != nil {
			return err
		}
		if err := each(p); err != nil {
			return err
		}
	}
	if len(data) != 0 {
		return errLegacyPage
	}
	return nil
}

// participations: per record, the participant (uvarint), a dedup hash (8
// bytes), the length of the sending date (a byte, 0 when not sent), then
// for a sending the date, the pix total (uvarint) and 32 bytes of profile.
func (pagesLayout) participations(ctx context.Context, tx *sql.Tx, each func(legacyParticipation) error) error {
	return eachLegacyPage(ctx, tx, "legacy_participation_pages", func(firstID int64, count int, data []byte) error {
		return decodeLegacyParticipations(firstID, count, data, each)
	})
}

func decodeLegacyParticipations(firstID int64, count int, data []byte, each func(legacyParticipation) error) error {
	for i := range count {
		participant, n := binary.Uvarint(data)
		if n <= 0 || len(data) < n+9 {
			return errLegacyPage
		}
		data = data[n:]
		p := legacyParticipation{id: firstID + int64(i), participant: int64(participant)}
		dateLen := int(data[8])
		data = data[9:]
		if dateLen > 0 {
			if len(data) < dateLen {
				return errLegacyPage
			}
			p.sentAt = string(data[:dateLen])
			data = data[dateLen:]
			pix, n := binary.Uvarint(data)
			if n <= 0 || len(data) < n+32 {
				return errLegacyPage
			}
			p.pixTotal = int64(pix)
			p.profile = append([]byte(nil), data[n:n+32]...)
			data = data[n+32:]
		}
		if err := each(p); err != nil {
			return err
		}
	}
	if len(data) != 0 {
		return errLegacyPage
	}
	return nil
}

func eachLegacyPage(ctx context.Context, tx *sql.Tx, table string, each func(firstID int64, count int, data []byte) error) error {
	return eachLegacyRow(ctx, tx, `SELECT first_id, count, data FROM `+table+` ORDER BY first_id`, func(rows *sql.Rows) error {
		var firstID int64
		var count int
		var data []byte
		if err := rows.Scan(&firstID, &count, &data); err != nil {
			return err
		}
		return each(firstID, count, data)
	})
}

// legacyFields reads fields written as a uvarint length then the bytes,
// and returns what follows them.
func legacyFields(b []byte, fields ...*string) ([]byte, error) {
	for _, field := range fields {
		n, size := binary.Uvarint(b)
		if size <= 0 || uint64(len(b)-size) < n {
			return nil, errLegacyPage
		}
		*field = string(b[size : size+int(n)])
		b = b[size+int(n):]
	}
	return b, nil
}
