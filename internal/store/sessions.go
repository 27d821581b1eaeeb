package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/visible"
)

// sessionTime is how a session's start is stored: Europe/Paris time.
const sessionTime = "2006-01-02 15:04"

// toCome is the start, as stored, from which a session is still to come
// at now: a session that has begun is held, whose candidates were present
// or absent.
func toCome(now time.Time) string { return now.In(frdate.Paris()).Format(sessionTime) }

// StoredSession is a planned session as the store holds it.
type StoredSession struct {
	ID int64
	sessions.Session
	EstablishmentID int64
	Establishment   string // its name; "" while no export named it
	PlannedAt       time.Time
}

// SessionError is a change of the sessions that cannot be made as asked;
// its message says why, in French.
type SessionError struct{ msg string }

func (e *SessionError) Error() string { return e.msg }

// SaveSessions stores the sessions of a plan for an establishment, in one
// transaction, and returns their numbers. A student already planned in a
// session still to come (not begun) is refused: a student is in one
// such session at most.
func (s *Store) SaveSessions(ctx context.Context, establishment int64, plan []sessions.Session, now time.Time) ([]int64, error) {
	if err := s.writable(ctx, "l'enregistrement des sessions"); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.writeError("l'enregistrement des sessions", err)
	}
	defer tx.Rollback()
	from := toCome(now)
	var ids []int64
	for _, se := range plan {
		supervisors, err := json.Marshal(nonNil(se.Supervisors))
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO certification_sessions (establishment_id, site, room, seats, starts_at,
			duration_minutes, margin_minutes, supervisors, observations, planned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			establishment, se.Site, se.Room, se.Seats, se.Start.In(frdate.Paris()).Format(sessionTime), int(se.Duration/time.Minute),
			int(se.Margin/time.Minute), string(supervisors), nullIfEmpty(se.Observations), now.UTC().Format(time.RFC3339))
		if err != nil {
			return nil, fmt.Errorf("enregistrement des sessions : %w", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
		for _, c := range se.Candidates {
			if err := addCandidate(ctx, tx, establishment, id, c.StudentID, c.ExtraTime, from); err != nil {
				return nil, err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, s.writeError("l'enregistrement des sessions", err)
	}
	return ids, nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// currentStudentOf checks that a student is in the current list of the
// establishment of a session.
func currentStudentOf(ctx context.Context, tx *sql.Tx, establishment, session, student int64) error {
	var current bool
	var name string
	err := tx.QueryRowContext(ctx, `SELECT current = 1 AND establishment_id = ?, last_name || ' ' || first_names FROM students WHERE id = ?`,
		establishment, student).Scan(&current, &name)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &SessionError{fmt.Sprintf("l'élève n° %d n'est pas dans la liste actuelle de l'établissement de la session n° %d", student, session)}
	case err == nil && !current:
		return &SessionError{fmt.Sprintf("%s n'est pas dans la liste actuelle de l'établissement de la session n° %d", visible.Quote(name), session)}
	}
	return err
}

// addCandidate puts a student in a session, after checking that they are
// a current student of the session's establishment and in no other
// session still to come.
func addCandidate(ctx context.Context, tx *sql.Tx, establishment, session, student int64, extraTime int, from string) error {
	if err := currentStudentOf(ctx, tx, establishment, session, student); err != nil {
		return err
	}
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT last_name || ' ' || first_names FROM students WHERE id = ?`, student).Scan(&name); err != nil {
		return err
	}
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT c.session_id FROM session_candidates c JOIN certification_sessions se ON se.id = c.session_id
		WHERE c.student_id = ? AND c.session_id <> ? AND se.starts_at >= ? LIMIT 1`, student, session, from).Scan(&other)
	switch {
	case err == nil:
		return &SessionError{fmt.Sprintf("%s est déjà prévu(e) dans la session n° %d : un élève n'est que dans une session à venir "+
			"(si un autre pixcert vient d'enregistrer des sessions, relancez la commande ; pour changer un élève de session : "+
			"pixcert sessions move)", visible.Quote(name), other)}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO session_candidates (session_id, student_id, extra_time) VALUES (?, ?, ?)`, session, student, extraTime)
	return err
}

// PlannedToCome gives the students of an establishment planned in a
// session still to come at now, with the number of that session.
func (s *Store) PlannedToCome(ctx context.Context, establishment int64, now time.Time) (map[int64]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.student_id, c.session_id FROM session_candidates c
		JOIN certification_sessions se ON se.id = c.session_id WHERE ?1 IN (0, se.establishment_id) AND se.starts_at >= ?2`,
		establishment, toCome(now))
	if err != nil {
		return nil, fmt.Errorf("lecture des sessions : %w", err)
	}
	planned := map[int64]int64{}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var student, session int64
		if err := rows.Scan(&student, &session); err != nil {
			return err
		}
		planned[student] = session
		return nil
	})
	return planned, err
}

// Sessions lists the sessions of an establishment (0: all), or those of
// ids, by start, each with its candidates by class and name.
func (s *Store) Sessions(ctx context.Context, establishment int64, ids []int64) ([]StoredSession, error) {
	return loadSessions(ctx, s.db, establishment, ids, "")
}

// SessionsFrom lists the sessions of an establishment (0: all) of a day
// (YYYY-MM-DD) and after, as Sessions does.
func (s *Store) SessionsFrom(ctx context.Context, establishment int64, day string) ([]StoredSession, error) {
	return loadSessions(ctx, s.db, establishment, nil, day)
}

func loadSessions(ctx context.Context, q querier, establishment int64, ids []int64, from string) ([]StoredSession, error) {
	where, args := "?1 IN (0, se.establishment_id) AND substr(se.starts_at, 1, 10) >= ?2", []any{establishment, from}
	if len(ids) > 0 {
		where += " AND se.id IN (" + idList(ids) + ")"
	}
	rows, err := q.QueryContext(ctx, `SELECT se.id, se.establishment_id, coalesce(e.name, ''), se.site, se.room, se.seats, se.starts_at,
		se.duration_minutes, se.margin_minutes, se.supervisors, coalesce(se.observations, ''), se.planned_at
		FROM certification_sessions se JOIN establishments e ON e.id = se.establishment_id
		WHERE `+where+` ORDER BY se.starts_at, se.site, se.room, se.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des sessions : %w", err)
	}
	var list []StoredSession
	byID := map[int64]int{}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var se StoredSession
		var start, supervisors, plannedAt string
		var duration, margin int
		if err := rows.Scan(&se.ID, &se.EstablishmentID, &se.Establishment, &se.Site, &se.Room, &se.Seats, &start,
			&duration, &margin, &supervisors, &se.Observations, &plannedAt); err != nil {
			return err
		}
		var err error
		if se.Start, err = time.ParseInLocation(sessionTime, start, frdate.Paris()); err != nil {
			return fmt.Errorf("session n° %d : début « %s » illisible", se.ID, start)
		}
		if err := json.Unmarshal([]byte(supervisors), &se.Supervisors); err != nil {
			return fmt.Errorf("session n° %d : surveillants illisibles : %w", se.ID, err)
		}
		se.Slot.Supervisors = se.Supervisors
		se.Duration, se.Margin = time.Duration(duration)*time.Minute, time.Duration(margin)*time.Minute
		se.PlannedAt, _ = time.Parse(time.RFC3339, plannedAt)
		byID[se.ID] = len(list)
		list = append(list, se)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des sessions : %w", err)
	}
	if len(list) == 0 {
		return list, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT c.session_id, s.id, s.last_name, s.first_names, coalesce(s.birthdate, ''), coalesce(s.class, ''),
		coalesce(s.national_id, ''), c.extra_time FROM session_candidates c JOIN students s ON s.id = c.student_id
		JOIN certification_sessions se ON se.id = c.session_id WHERE `+where+`
		ORDER BY c.session_id, pixcert_sort_key('class', s.class, s.last_name, s.first_names), s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des candidats : %w", err)
	}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var session int64
		var c sessions.Candidate
		if err := rows.Scan(&session, &c.StudentID, &c.LastName, &c.FirstName, &c.Birthdate, &c.Class, &c.NationalID, &c.ExtraTime); err != nil {
			return err
		}
		se := &list[byID[session]]
		se.Candidates = append(se.Candidates, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des candidats : %w", err)
	}
	for i := range list {
		list[i].End = list[i].Start.Add(list[i].longest())
	}
	return list, nil
}

// longest is how long the session's slowest candidate takes.
func (se *StoredSession) longest() time.Duration {
	longest := se.Duration
	for _, c := range se.Candidates {
		longest = max(longest, sessions.LengthFor(se.Duration, c.ExtraTime))
	}
	return longest
}

// Clashes says, in French, for each session of list, what it would share
// at the same time with the sessions of its establishment stored from
// today on: a room, or supervisors (sessions.Clash).
func (s *Store) Clashes(ctx context.Context, establishment int64, list []sessions.Session, now time.Time) ([][]string, error) {
	stored, err := storedFrom(ctx, s.db, establishment, now)
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(list))
	for i := range list {
		out[i] = clashesWith(stored, &list[i], 0)
	}
	return out, nil
}

// storedFrom reads the sessions of an establishment from today on: those
// a new or longer session may clash with.
func storedFrom(ctx context.Context, q querier, establishment int64, now time.Time) ([]StoredSession, error) {
	return loadSessions(ctx, q, establishment, nil, now.In(frdate.Paris()).Format("2006-01-02"))
}

// clashesWith says what se shares at the same time with stored, but for
// the stored session exclude (the one being changed).
func clashesWith(stored []StoredSession, se *sessions.Session, exclude int64) []string {
	var out []string
	for i := range stored {
		other := &stored[i]
		if other.ID == exclude {
			continue
		}
		room, supervisors := sessions.Clash(se, &other.Session)
		when := fmt.Sprintf("la session n° %d (%s %s–%s, %s)", other.ID, other.Start.In(frdate.Paris()).Format("02/01/2006"),
			other.Start.In(frdate.Paris()).Format("15:04"), other.End.In(frdate.Paris()).Format("15:04"), visible.Quote(other.Room))
		if room {
			out = append(out, fmt.Sprintf("la salle « %s » est prise par %s", visible.Quote(se.Room), when))
		}
		for _, name := range supervisors {
			out = append(out, fmt.Sprintf("%s surveille %s à la même heure", visible.Quote(name), when))
		}
	}
	return out
}

// MoveCandidate puts a student in session to, taking them out of the
// session still to come they were in, if any; with extraTime, it sets
// their extra time, in the session they are in too. The session must be
// to come, have a free seat, and, when the student's extra time makes it
// longer, leave its room and supervisors free for the sessions after.
func (s *Store) MoveCandidate(ctx context.Context, student, to int64, extraTime *int, now time.Time) (from int64, err error) {
	if err := s.writable(ctx, "la modification des sessions"); err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.writeError("la modification des sessions", err)
	}
	defer tx.Rollback()
	from = 0
	begun := toCome(now)
	targets, err := loadSessions(ctx, tx, 0, []int64{to}, "")
	if err != nil {
		return 0, err
	}
	if len(targets) == 0 {
		return 0, &SessionError{fmt.Sprintf("aucune session n° %d : pixcert sessions les liste, avec leur numéro", to)}
	}
	t := &targets[0]
	if start := t.Start.In(frdate.Paris()).Format(sessionTime); start < begun {
		return 0, &SessionError{fmt.Sprintf("la session n° %d a commencé le %s : choisissez une session à venir", to, frdate.FrenchDateTime(start))}
	}
	extra := 0
	err = tx.QueryRowContext(ctx, `SELECT c.session_id, c.extra_time FROM session_candidates c JOIN certification_sessions se ON se.id = c.session_id
		WHERE c.student_id = ? AND se.starts_at >= ? ORDER BY se.starts_at LIMIT 1`, student, begun).Scan(&from, &extra)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if extraTime != nil {
		extra = *extraTime
	}
	if err := currentStudentOf(ctx, tx, t.EstablishmentID, to, student); err != nil {
		return 0, err
	}
	in := slices.IndexFunc(t.Candidates, func(c sessions.Candidate) bool { return c.StudentID == student })
	switch {
	case in >= 0 && extraTime == nil:
		return 0, &SessionError{fmt.Sprintf("l'élève est déjà dans la session n° %d", to)}
	case in < 0 && len(t.Candidates) >= t.Seats:
		return 0, &SessionError{fmt.Sprintf("la session n° %d est complète (%d places) : retirez-en un élève, ou choisissez une autre session", to, t.Seats)}
	case in >= 0:
		t.Candidates[in].ExtraTime = extra
	default:
		t.Candidates = append(t.Candidates, sessions.Candidate{StudentID: student, ExtraTime: extra})
	}
	// A longer session must leave its room and supervisors free.
	if end := t.Start.Add(t.longest()); end.After(t.End) {
		t.End = end
		stored, err := storedFrom(ctx, tx, t.EstablishmentID, now)
		if err != nil {
			return 0, err
		}
		found := clashesWith(stored, &t.Session, t.ID)
		if len(found) > 0 {
			return 0, &SessionError{fmt.Sprintf("avec un temps majoré de %d %%, la session n° %d finirait à %s, et sa salle et ses surveillants "+
				"ne seraient libres que %d min plus tard : %s", extra, to, end.In(frdate.Paris()).Format("15:04"), int(t.Margin/time.Minute),
				strings.Join(found, " ; "))}
		}
	}
	if in >= 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE session_candidates SET extra_time = ? WHERE session_id = ? AND student_id = ?`, extra, to, student); err != nil {
			return 0, err
		}
	} else {
		if _, err := tx.ExecContext(ctx, `DELETE FROM session_candidates WHERE student_id = ? AND session_id = ?`, student, from); err != nil {
			return 0, err
		}
		if err := addCandidate(ctx, tx, t.EstablishmentID, to, student, extra, begun); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, s.writeError("la modification des sessions", err)
	}
	return from, nil
}

// RemoveCandidate takes a student out of the session still to come they
// are in, and returns its number.
func (s *Store) RemoveCandidate(ctx context.Context, student int64, now time.Time) (int64, error) {
	if err := s.writable(ctx, "la modification des sessions"); err != nil {
		return 0, err
	}
	var session int64
	err := s.db.QueryRowContext(ctx, `DELETE FROM session_candidates WHERE student_id = ?1 AND session_id IN
		(SELECT id FROM certification_sessions WHERE starts_at >= ?2) RETURNING session_id`, student, toCome(now)).Scan(&session)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &SessionError{"l'élève n'est dans aucune session à venir"}
	}
	if err != nil {
		return 0, s.writeError("la modification des sessions", err)
	}
	return session, nil
}

// CancelSessions removes sessions with their candidates, who are then in
// no session; it returns how many candidates they held.
func (s *Store) CancelSessions(ctx context.Context, ids []int64) (candidates int, err error) {
	if err := s.writable(ctx, "la suppression des sessions"); err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.writeError("la suppression des sessions", err)
	}
	defer tx.Rollback()
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var found []string
	rows, err := tx.QueryContext(ctx, `SELECT id FROM certification_sessions WHERE id IN (`+idList(ids)+`)`)
	if err != nil {
		return 0, err
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		found = append(found, id)
		return err
	}); err != nil {
		return 0, err
	}
	if len(found) < len(ids) {
		var missing []string
		for _, id := range ids {
			if !strings.Contains(","+strings.Join(found, ",")+",", fmt.Sprintf(",%d,", id)) {
				missing = append(missing, fmt.Sprint(id))
			}
		}
		return 0, &SessionError{fmt.Sprintf("aucune session n° %s : pixcert sessions les liste, avec leur numéro", strings.Join(missing, ", "))}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM session_candidates WHERE session_id IN (`+idList(ids)+`)`)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM certification_sessions WHERE id IN (`+idList(ids)+`)`); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, s.writeError("la suppression des sessions", err)
	}
	return int(n), nil
}
