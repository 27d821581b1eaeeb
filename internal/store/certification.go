package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/pixcert/pixcert/internal/visible"
)

// CertificationResult is a certification of a student, as Pix Orga's
// results export gave it (pix-formats.md §7).
type CertificationResult struct {
	Number  string // « Numéro de certification »
	Status  string // as Pix writes it: Validée, Rejetée, Annulée...
	Pix     int    // certified score; -1 when the export gave « - »
	Session string // Pix Certif's session number
	Date    string // YYYY-MM-DD; "" when the export gave none
	Comment string // the jury's comment for the organization
}

// PlannedSession is a session a student is planned in.
type PlannedSession struct {
	ID        int64
	Start     string // Europe/Paris, YYYY-MM-DD HH:MM
	Site      string
	Room      string
	ExtraTime int // percent
}

// CertificationState is where a student stands in the certification: the
// latest result that names them and the latest session they are planned
// in, nil when none.
type CertificationState struct {
	Result  *CertificationResult
	Planned *PlannedSession
}

// Certifications is where the students of an establishment stand in the
// certification.
type Certifications struct {
	// Students are those who have a result or a planned session, by id.
	Students map[int64]CertificationState
	// ResultsUntil is, for each class, the latest day of its students'
	// certifications that results exports gave: a student planned in a
	// session of that day or before, and missing from them, was absent.
	ResultsUntil map[ClassRef]string
}

// ClassRef is a class of an establishment.
type ClassRef struct {
	Establishment int64
	Key           string // the class folded, as students.class_key
}

// ClassRef is the student's class.
func (s *StudentStatus) ClassRef() ClassRef { return ClassRef{s.EstablishmentID, s.classKey} }

// Certifications reads where the students of an establishment (0: all)
// stand in the certification.
func (s *Store) Certifications(ctx context.Context, establishment int64) (Certifications, error) {
	return certifications(ctx, s.db, establishment)
}

// Certifications is Store.Certifications in the snapshot.
func (sn *Snapshot) Certifications(ctx context.Context, establishment int64) (Certifications, error) {
	return certifications(ctx, sn.tx, establishment)
}

func certifications(ctx context.Context, q querier, establishment int64) (Certifications, error) {
	c := Certifications{Students: map[int64]CertificationState{}, ResultsUntil: map[ClassRef]string{}}
	states := c.Students
	// The latest first: the first row of a student is theirs.
	rows, err := q.QueryContext(ctx, `SELECT r.student_id, coalesce(r.certification_number, ''), r.status, coalesce(r.pix_score, -1),
		coalesce(r.session, ''), coalesce(r.passed_on, ''), coalesce(r.jury_comment, '')
		FROM certification_results r JOIN students s ON s.id = r.student_id
		WHERE ?1 IN (0, s.establishment_id) ORDER BY coalesce(r.passed_on, '') DESC, r.id DESC`, establishment)
	if err != nil {
		return c, fmt.Errorf("lecture des résultats de certification : %w", err)
	}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var r CertificationResult
		if err := rows.Scan(&id, &r.Number, &r.Status, &r.Pix, &r.Session, &r.Date, &r.Comment); err != nil {
			return err
		}
		if st := states[id]; st.Result == nil {
			st.Result = &r
			states[id] = st
		}
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("lecture des résultats de certification : %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT c.student_id, se.id, se.starts_at, se.site, se.room, c.extra_time
		FROM session_candidates c JOIN certification_sessions se ON se.id = c.session_id
		WHERE ?1 IN (0, se.establishment_id) ORDER BY se.starts_at DESC, se.id DESC`, establishment)
	if err != nil {
		return c, fmt.Errorf("lecture des sessions : %w", err)
	}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var p PlannedSession
		if err := rows.Scan(&id, &p.ID, &p.Start, &p.Site, &p.Room, &p.ExtraTime); err != nil {
			return err
		}
		if st := states[id]; st.Planned == nil {
			st.Planned = &p
			states[id] = st
		}
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("lecture des sessions : %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT s.establishment_id, s.class_key, max(coalesce(r.passed_on, ''))
		FROM certification_results r JOIN students s ON s.id = r.student_id
		WHERE ?1 IN (0, s.establishment_id) AND s.current = 1 GROUP BY s.establishment_id, s.class_key`, establishment)
	if err != nil {
		return c, fmt.Errorf("lecture des résultats de certification : %w", err)
	}
	err = eachRow(rows, func(rows *sql.Rows) error {
		var class ClassRef
		var until string
		if err := rows.Scan(&class.Establishment, &class.Key, &until); err != nil {
			return err
		}
		c.ResultsUntil[class] = until
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("lecture des résultats de certification : %w", err)
	}
	return c, nil
}

// HasResults tells whether the store holds certification results for an
// establishment (0: any), passed by the end of a day (YYYY-MM-DD; "" for
// any day): until then, a list has no certification to show.
func (s *Store) HasResults(ctx context.Context, establishment int64, until string) (bool, error) {
	var has bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM certification_results WHERE ?1 IN (0, establishment_id)
		AND (?2 = '' OR coalesce(passed_on, '') <= ?2))`, establishment, until).Scan(&has)
	return has, err
}

// eachRow calls each for every row, and closes rows.
func eachRow(rows *sql.Rows, each func(*sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// UnmatchedResult is a certification result that names no student of the
// current list, R and its id for a person to link it.
type UnmatchedResult struct {
	ID                  int64
	Ref                 string
	LastName, FirstName string
	Birthdate           string // YYYY-MM-DD, "" when none
	ExternalID          string
	Status              string
	Session, Date       string
	Establishment       int64
	// Candidates are the students a person may mean: the same name, else
	// born the same day.
	Candidates []Candidate
}

// resultRef is a result's reference: "R" and its id.
func resultRef(id int64) string { return "R" + strconv.FormatInt(id, 10) }

// IsResultRef tells whether a reference is a certification result's.
func IsResultRef(ref string) bool {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	_, err := strconv.ParseInt(strings.TrimPrefix(ref, "R"), 10, 64)
	return strings.HasPrefix(ref, "R") && err == nil
}

// UnmatchedResults lists the certification results no student of the
// current list matches (a person's unlink aside), with their candidates.
func (s *Store) UnmatchedResults(ctx context.Context, establishment int64) ([]UnmatchedResult, error) {
	return s.results(ctx, `r.student_id IS NULL AND r.matched_by IS NULL AND ?1 IN (0, r.establishment_id)`, establishment)
}

// ResultByRef finds a certification result by the reference unmatched
// gives it.
func (s *Store) ResultByRef(ctx context.Context, ref string) (UnmatchedResult, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(ref)), "R"), 10, 64)
	if err != nil || id <= 0 {
		return UnmatchedResult{}, fmt.Errorf("« %s » : %w (attendu : R suivi d'un nombre, comme l'affiche pixcert unmatched)", visible.Quote(ref), ErrUnknownRef)
	}
	list, err := s.results(ctx, `r.id = ?1`, id)
	if err != nil {
		return UnmatchedResult{}, err
	}
	if len(list) == 0 {
		return UnmatchedResult{}, fmt.Errorf("« %s » : %w (voir pixcert unmatched)", visible.Quote(ref), ErrUnknownRef)
	}
	return list[0], nil
}

func (s *Store) results(ctx context.Context, where string, arg any) ([]UnmatchedResult, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.last_name, r.first_name, coalesce(r.birthdate, ''), coalesce(r.external_id, ''),
		r.status, coalesce(r.session, ''), coalesce(r.passed_on, ''), r.establishment_id, r.name_key
		FROM certification_results r WHERE `+where+` ORDER BY r.last_name, r.first_name, r.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("lecture des résultats de certification : %w", err)
	}
	var list []UnmatchedResult
	var keys []string
	err = eachRow(rows, func(rows *sql.Rows) error {
		var r UnmatchedResult
		var key string
		if err := rows.Scan(&r.ID, &r.LastName, &r.FirstName, &r.Birthdate, &r.ExternalID, &r.Status, &r.Session, &r.Date,
			&r.Establishment, &key); err != nil {
			return err
		}
		r.Ref = resultRef(r.ID)
		list = append(list, r)
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des résultats de certification : %w", err)
	}
	for i := range list {
		r := &list[i]
		named, err := newStoredRoster(ctx, s.db, r.Establishment).withName(keys[i])
		if err != nil {
			return nil, err
		}
		for _, c := range named {
			r.Candidates = append(r.Candidates, Candidate{c.ID, c.LastName, c.FirstNames, c.Class})
		}
		if len(named) > 0 || r.Birthdate == "" {
			continue
		}
		born, err := matchStudents(ctx, s.db, `s.establishment_id = ? AND s.current = 1 AND s.birthdate = ?`, r.Establishment, r.Birthdate)
		if err != nil {
			return nil, err
		}
		for _, c := range born[:min(len(born), 5)] {
			r.Candidates = append(r.Candidates, Candidate{c.ID, c.LastName, c.FirstNames, c.Class})
		}
	}
	return list, nil
}

// LinkResult records that a certification result is student studentID,
// or, with 0, no student of the list: a person's decision, which later
// imports keep. The student must be in the current list of the result's
// establishment.
func (s *Store) LinkResult(ctx context.Context, r UnmatchedResult, studentID int64) error {
	if err := s.writable(ctx, "l'enregistrement du lien"); err != nil {
		return err
	}
	if studentID != 0 {
		var fits bool
		err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM students WHERE id = ? AND current = 1 AND establishment_id = ?)`,
			studentID, r.Establishment).Scan(&fits)
		if err != nil {
			return err
		}
		if !fits {
			return ErrOtherEstablishment
		}
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE certification_results SET student_id = ?, matched_by = 'manual' WHERE id = ?`,
		nullIfZero(studentID), r.ID); err != nil {
		return s.writeError("l'enregistrement du lien", err)
	}
	return nil
}
