package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/match"
	"github.com/pixcert/pixcert/internal/visible"
)

// ErrUnknownRef means no participant has that reference.
var ErrUnknownRef = errors.New("référence de participant inconnue")

// A participant's reference is "P" and its id: short enough to type, and
// stable, since participants are never renumbered.
func participantRef(id int64) string { return "P" + strconv.FormatInt(id, 10) }

func parseRef(ref string) (int64, bool) {
	ref = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(ref)), "P")
	id, err := strconv.ParseInt(ref, 10, 64)
	return id, err == nil && id > 0
}

// Participant is one learner of one campaign, as exports name them.
type Participant struct {
	ID         int64
	Ref        string
	LastName   string
	FirstName  string
	Class      string // in the export
	Campaign   string
	Status     certif.Status // from the participant's latest sending
	StatusDate string
	// StudentID is the roster student it is matched with, 0 when none.
	StudentID int64
	// Candidates are the roster students a person may mean: same class or
	// close name, closest first.
	Candidates []Candidate
	// Establishment is the establishment of its campaign, the only one
	// whose students it may be.
	Establishment int64

	matchID string
}

// Candidate is a roster student that may be a participant.
type Candidate struct {
	ID                         int64
	LastName, FirstName, Class string
}

// participants lists the participants a condition on participants p and
// campaigns c selects, by class, name and id, each with the status of its
// latest sending.
func (s *Store) participants(ctx context.Context, where string, args ...any) ([]Participant, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.last_name, p.first_name, coalesce(p.class, ''), p.match_id, c.name,
		c.establishment_id, coalesce(p.student_id, 0) FROM participants p JOIN campaigns c ON c.id = p.campaign_id WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des participants : %w", err)
	}
	var out []Participant
	for rows.Next() {
		var p Participant
		if err := rows.Scan(&p.ID, &p.LastName, &p.FirstName, &p.Class, &p.matchID, &p.Campaign, &p.Establishment, &p.StudentID); err != nil {
			rows.Close()
			return nil, err
		}
		p.Ref = participantRef(p.ID)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	// A participant's latest sending is found by the rule that finds a
	// student's.
	latest, latestAt := map[int64]*latestSending{}, map[int64]string{}
	rows, err = s.db.QueryContext(ctx, `SELECT se.participant_id, se.id, se.sent_at, se.certifiable_competences, se.pix_total, se.pix
		FROM sendings se WHERE se.participant_id IN (SELECT p.id FROM participants p JOIN campaigns c ON c.id = p.campaign_id WHERE `+where+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des envois : %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var participant, id, competences, pixTotal int64
		var sentAt, pix string
		if err := rows.Scan(&participant, &id, &sentAt, &competences, &pixTotal, &pix); err != nil {
			return nil, err
		}
		r := newSendingRank(id, sentAt, competences, pixTotal, pix)
		l := latest[participant]
		if l == nil {
			l = &latestSending{}
			latest[participant] = l
		}
		l.add(r)
		if l.rank.id == r.id {
			latestAt[participant] = sentAt
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		p := &out[i]
		p.Status = certif.NotCommunicated
		if l := latest[p.ID]; l != nil {
			p.Status, p.StatusDate = l.status(), latestAt[p.ID]
		}
	}
	slices.SortFunc(out, func(a, b Participant) int {
		return cmp.Or(strings.Compare(a.Class, b.Class), strings.Compare(a.LastName, b.LastName),
			strings.Compare(a.FirstName, b.FirstName), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Unmatched lists the participants of imported exports that match no
// student of the current roster, each with its closest candidates;
// establishment, when not 0, limits them to those of its exports.
func (s *Store) Unmatched(ctx context.Context, establishment int64) ([]Participant, error) {
	list, err := s.participants(ctx, `p.student_id IS NULL AND ?1 IN (0, c.establishment_id)`, establishment)
	if err != nil || len(list) == 0 {
		return list, err
	}
	// One read transaction for thousands of lookups, not one each.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	pools, err := newCandidatePools(ctx, tx, list)
	if err != nil {
		return nil, err
	}
	defer pools.close()
	// Candidates are found class by class, in each establishment.
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(list[a].Establishment, list[b].Establishment), strings.Compare(match.ClassKey(list[a].Class), match.ClassKey(list[b].Class)))
	})
	for _, i := range order {
		p := &list[i]
		pool, err := pools.of(p)
		if err != nil {
			return nil, err
		}
		for _, c := range match.Candidates(p.matchParticipant(), pool) {
			p.Candidates = append(p.Candidates, Candidate{c.ID, c.LastName, c.FirstNames, c.Class})
		}
	}
	return list, nil
}

func (p *Participant) matchParticipant() match.Participant {
	return match.Participant{LastName: p.LastName, FirstName: p.FirstName, Class: p.Class, MatchID: p.matchID}
}

// candidatePools finds the students a person may mean by a participant,
// through indexes: the current students of its establishment in its class,
// and those with its last name as a word of their names; for a school of
// at most fullScanRoster students, all of them, so that a typing mistake
// in a campaign without classes still finds its student. Participants come
// class by class, in each establishment.
type candidatePools struct {
	ctx   context.Context
	q     querier
	named *sql.Stmt
	// Each establishment's roster, by what suits the number of classes
	// its participants are in.
	small   map[int64][]match.PoolStudent // a small school: the whole roster
	classes map[int64]classSource
	// The class read last.
	classKey   string
	classEstab int64
	class      []match.PoolStudent
}

// classSource gives the current students of an establishment's classes,
// asked in class key order.
type classSource interface {
	class(key string) ([]match.Student, error)
	close()
}

// fullScanRoster is the size up to which a school's whole roster is
// offered to every participant, ranked by how close the names are.
const fullScanRoster = 2000

// maxNamePool bounds the students found by name for one participant.
const maxNamePool = 50

// classesPerScan is how many classes make reading a whole roster in class
// order cheaper than a query for each class: a query costs about what
// reading 40 students does.
const classesPerScan = 40

func newCandidatePools(ctx context.Context, q interface {
	querier
	PrepareContext(context.Context, string) (*sql.Stmt, error)
}, participants []Participant) (*candidatePools, error) {
	c := &candidatePools{ctx: ctx, q: q, classEstab: -1, small: map[int64][]match.PoolStudent{}, classes: map[int64]classSource{}}
	var err error
	c.named, err = q.PrepareContext(ctx, matchStudentsQuery+`s.id IN (SELECT rowid FROM student_search WHERE student_search MATCH ? LIMIT ?)
		AND s.current = 1 AND s.establishment_id = ? ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	classesOf := map[int64]map[string]bool{}
	for _, p := range participants {
		if classesOf[p.Establishment] == nil {
			classesOf[p.Establishment] = map[string]bool{}
		}
		classesOf[p.Establishment][match.ClassKey(p.Class)] = true
	}
	for estab, classes := range classesOf {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM students WHERE establishment_id = ? AND current = 1`, estab).Scan(&n); err != nil {
			c.close()
			return nil, err
		}
		switch {
		case n <= fullScanRoster:
			students, err := matchStudents(ctx, q, `s.establishment_id = ? AND s.current = 1`, estab)
			if err != nil {
				c.close()
				return nil, err
			}
			c.small[estab] = match.NewPool(students)
		case len(classes)*classesPerScan > n:
			c.classes[estab], err = newClassScan(ctx, q, estab)
		default:
			c.classes[estab], err = newClassQueries(ctx, q, estab)
		}
		if err != nil {
			c.close()
			return nil, err
		}
	}
	return c, nil
}

func (c *candidatePools) close() {
	if c.named != nil {
		c.named.Close()
	}
	for _, src := range c.classes {
		if src != nil {
			src.close()
		}
	}
}

func (c *candidatePools) of(p *Participant) ([]match.PoolStudent, error) {
	if roster, ok := c.small[p.Establishment]; ok {
		return roster, nil
	}
	classKey := match.ClassKey(p.Class)
	if classKey != c.classKey || p.Establishment != c.classEstab {
		c.classKey, c.classEstab, c.class = classKey, p.Establishment, nil
		if classKey != "" {
			students, err := c.classes[p.Establishment].class(classKey)
			if err != nil {
				return nil, err
			}
			c.class = match.NewPool(students)
		}
	}
	query := exactQuery(fold.Key(p.LastName))
	if query == "" {
		return c.class, nil
	}
	named, err := scanMatchStudents(c.named.QueryContext(c.ctx, query, maxNamePool, p.Establishment))
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(c.class), match.NewPool(named)...), nil
}

// classQueries reads a class when it is asked for, through students_class.
type classQueries struct {
	ctx   context.Context
	stmt  *sql.Stmt
	estab int64
}

func newClassQueries(ctx context.Context, q interface {
	PrepareContext(context.Context, string) (*sql.Stmt, error)
}, estab int64) (classSource, error) {
	stmt, err := q.PrepareContext(ctx, matchStudentsQuery+`s.class_key = ? AND s.current = 1 AND s.establishment_id = ? ORDER BY s.id`)
	return &classQueries{ctx, stmt, estab}, err
}

func (c *classQueries) class(key string) ([]match.Student, error) {
	return scanMatchStudents(c.stmt.QueryContext(c.ctx, key, c.estab))
}

func (c *classQueries) close() { c.stmt.Close() }

// classScan reads a whole roster once, in class key order (students_class
// gives it), alongside participants asked for in the same order.
type classScan struct {
	rows *sql.Rows
	next match.Student
	key  string // class key of next
	ok   bool
	err  error
}

func newClassScan(ctx context.Context, q querier, estab int64) (classSource, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.last_name, coalesce(s.usage_name, ''), s.first_names, coalesce(s.class, ''), s.class_key
		FROM students s WHERE s.current = 1 AND s.establishment_id = ? ORDER BY s.class_key, s.id`, estab)
	if err != nil {
		return nil, err
	}
	c := &classScan{rows: rows}
	c.advance()
	return c, c.err
}

func (c *classScan) advance() {
	if c.ok = c.rows.Next(); !c.ok {
		c.err = c.rows.Err()
		return
	}
	s := &c.next
	*s = match.Student{}
	c.err = c.rows.Scan(&s.ID, &s.LastName, &s.UsageName, &s.FirstNames, &s.Class, &c.key)
}

func (c *classScan) class(key string) ([]match.Student, error) {
	for c.ok && c.err == nil && c.key < key {
		c.advance()
	}
	var out []match.Student
	for c.ok && c.err == nil && c.key == key {
		out = append(out, c.next)
		c.advance()
	}
	return out, c.err
}

func (c *classScan) close() { c.rows.Close() }

// ParticipantByRef finds a participant by the reference unmatched and show
// give it.
func (s *Store) ParticipantByRef(ctx context.Context, ref string) (Participant, error) {
	id, ok := parseRef(ref)
	if !ok {
		return Participant{}, fmt.Errorf("« %s » : %w (attendu : P suivi d'un nombre, comme l'affiche pixcert unmatched)", visible.Quote(ref), ErrUnknownRef)
	}
	list, err := s.participants(ctx, `p.id = ?`, id)
	if err != nil {
		return Participant{}, err
	}
	if len(list) == 0 {
		return Participant{}, fmt.Errorf("« %s » : %w (voir pixcert unmatched)", visible.Quote(ref), ErrUnknownRef)
	}
	return list[0], nil
}

// ErrOtherEstablishment means a person chose, for a participant, a
// student of another establishment than its campaign's.
var ErrOtherEstablishment = errors.New("cet élève n'est pas de l'établissement du participant")

// Link records that participant p is student studentID, or, with
// studentID 0, that it is no student of the roster, and derives again the
// statuses of the students concerned. The student must be in the current
// list of the participant's establishment.
func (s *Store) Link(ctx context.Context, p Participant, studentID int64, now time.Time) error {
	if err := s.writable(ctx, "l'enregistrement du lien"); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.writeError("l'enregistrement du lien", err)
	}
	defer tx.Rollback()
	// What the participant is matched with now, read under the lock:
	// another pixcert may have matched it again since p was read.
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(student_id, 0) FROM participants WHERE id = ?`, p.ID).Scan(&p.StudentID); err != nil {
		return fmt.Errorf("participant %s : %w", p.Ref, err)
	}
	if studentID != 0 {
		var fits bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM students WHERE id = ? AND current = 1 AND establishment_id = ?)`,
			studentID, p.Establishment).Scan(&fits)
		if err != nil {
			return err
		}
		if !fits {
			return ErrOtherEstablishment
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO decisions (participant_id, student_id, decided_at) VALUES (?, ?, ?)`,
		p.ID, nullIfZero(studentID), now.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("enregistrement de la décision : %w", err)
	}
	res, err := match.Match(nil, p.matchParticipant(), &match.Decision{Student: studentID})
	if err != nil {
		return err
	}
	var method any
	if res.Student != 0 {
		method = string(res.Method)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE participants SET student_id = ?, matched_by = ? WHERE id = ?`,
		nullIfZero(res.Student), method, p.ID); err != nil {
		return fmt.Errorf("enregistrement de la décision : %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS affected_students (id INTEGER PRIMARY KEY)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO temp.affected_students (id) SELECT id FROM students WHERE id IN (?, ?)`,
		p.StudentID, res.Student); err != nil {
		return err
	}
	if err := recomputeStatuses(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
