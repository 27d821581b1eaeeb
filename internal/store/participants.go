package store

import (
	"context"

	"github.com/pixcert/pixcert/internal/match"
)

// storedParticipant is a participant as matching sees it, with its match.
type storedParticipant struct {
	match.Participant
	id, student int64
	method      match.Method
}

// eachParticipant calls each with the participants a condition on
// participants p and their campaign c selects, in id order.
func eachParticipant(ctx context.Context, q querier, where string, args []any, each func(storedParticipant) error) error {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.last_name, p.first_name, coalesce(p.class, ''), p.match_id,
		coalesce(p.student_id, 0), coalesce(p.matched_by, '')
		FROM participants p JOIN campaigns c ON c.id = p.campaign_id WHERE `+where+` ORDER BY p.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p storedParticipant
		if err := rows.Scan(&p.id, &p.LastName, &p.FirstName, &p.Class, &p.MatchID, &p.student, &p.method); err != nil {
			return err
		}
		if err := each(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// latestDecisions reads the decision that stands for each participant a
// condition on participants p selects: the latest a person made.
func latestDecisions(ctx context.Context, q querier, where string, args ...any) (map[int64]*match.Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.participant_id, coalesce(d.student_id, 0) FROM decisions d
		JOIN participants p ON p.id = d.participant_id
		WHERE d.id = (SELECT max(id) FROM decisions WHERE participant_id = d.participant_id) AND `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*match.Decision{}
	for rows.Next() {
		var participant int64
		d := &match.Decision{}
		if err := rows.Scan(&participant, &d.Student); err != nil {
			return nil, err
		}
		out[participant] = d
	}
	return out, rows.Err()
}
