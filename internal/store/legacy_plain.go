package store

import (
	"context"
	"database/sql"
)

// plainLayout reads the plain tables of pixcert's schema version 1, and of
// version 2 before participations were packed in pages (commits 3a038f0
// to 26fa671): one row per student, participant and participation. The
// two differ, for what is read here, in how a participation says it was
// sent. Frozen: this is how those stores were written.
type plainLayout struct{ version int }

func (l plainLayout) description() string {
	if l.version == 1 {
		return "base pixcert de schéma 1"
	}
	return "base pixcert de schéma 2 (tables)"
}

func (plainLayout) campaigns(ctx context.Context, tx *sql.Tx, each func(legacyCampaign) error) error {
	return eachLegacyRow(ctx, tx, `SELECT id, code, name, organization FROM legacy_campaigns ORDER BY id`,
		func(rows *sql.Rows) error {
			var c legacyCampaign
			if err := rows.Scan(&c.id, &c.code, &c.name, &c.organization); err != nil {
				return err
			}
			return each(c)
		})
}

func (plainLayout) students(ctx context.Context, tx *sql.Tx, each func(legacyStudent) error) error {
	return eachLegacyRow(ctx, tx, `SELECT id, active, coalesce(national_id, ''), coalesce(student_number, ''), last_name, usage_name,
		first_name, class, coalesce(birthdate, '') FROM legacy_students ORDER BY id`,
		func(rows *sql.Rows) error {
			var s legacyStudent
			if err := rows.Scan(&s.id, &s.active, &s.nationalID, &s.studentNumber, &s.lastName, &s.usageName,
				&s.firstName, &s.class, &s.birthdate); err != nil {
				return err
			}
			return each(s)
		})
}

func (plainLayout) participants(ctx context.Context, tx *sql.Tx, each func(legacyParticipant) error) error {
	return eachLegacyRow(ctx, tx, `SELECT id, campaign_id, coalesce(student_id, 0), coalesce(match_method, ''), last_name, first_name,
		class, student_number, external_id, external_id_label FROM legacy_participants ORDER BY id`,
		func(rows *sql.Rows) error {
			var p legacyParticipant
			if err := rows.Scan(&p.id, &p.campaign, &p.student, &p.method, &p.lastName, &p.firstName,
				&p.class, &p.studentNumber, &p.externalID, &p.idLabel); err != nil {
				return err
			}
			return each(p)
		})
}

func (l plainLayout) participations(ctx context.Context, tx *sql.Tx, each func(legacyParticipation) error) error {
	sent := "sent_at IS NOT NULL" // version 2 dropped the column sent
	if l.version == 1 {
		sent = "sent"
	}
	return eachLegacyRow(ctx, tx, `SELECT id, participant_id, `+sent+`, coalesce(sent_at, ''), coalesce(pix_total, 0), profile
		FROM legacy_participations ORDER BY id`,
		func(rows *sql.Rows) error {
			var p legacyParticipation
			var isSent bool
			if err := rows.Scan(&p.id, &p.participant, &isSent, &p.sentAt, &p.pixTotal, &p.profile); err != nil {
				return err
			}
			if !isSent {
				p.sentAt = ""
			}
			return each(p)
		})
}

func (plainLayout) links(ctx context.Context, tx *sql.Tx, each func(legacyLink) error) error {
	return legacyLinks(ctx, tx, each)
}

// legacyLinks reads the decisions of every earlier layout, which kept
// them in one table of the same shape.
func legacyLinks(ctx context.Context, tx *sql.Tx, each func(legacyLink) error) error {
	return eachLegacyRow(ctx, tx, `SELECT participant_id, coalesce(student_id, 0), decided_at FROM legacy_links ORDER BY participant_id`,
		func(rows *sql.Rows) error {
			var l legacyLink
			if err := rows.Scan(&l.participant, &l.student, &l.decidedAt); err != nil {
				return err
			}
			return each(l)
		})
}

func eachLegacyRow(ctx context.Context, tx *sql.Tx, query string, each func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
