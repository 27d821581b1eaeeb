package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"pixcert/internal/certif"
	"pixcert/internal/fold"
	"pixcert/internal/match"
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

	matchID string
	estab   int64
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
		if err := rows.Scan(&p.ID, &p.LastName, &p.FirstName, &p.Class, &p.matchID, &p.Campaign, &p.estab, &p.StudentID); err != nil {
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
	rows, err = s.db.QueryContext(ctx, `SELECT se.participant_id, se.id, se.sent_at, se.certifiable_competences, se.pix_total
		FROM sendings se WHERE se.participant_id IN (SELECT p.id FROM participants p JOIN campaigns c ON c.id = p.campaign_id WHERE `+where+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des envois : %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var participant, id, competences, pixTotal int64
		var sentAt string
		if err := rows.Scan(&participant, &id, &sentAt, &competences, &pixTotal); err != nil {
			return nil, err
		}
		r := newSendingRank(id, sentAt, competences, pixTotal)
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
// student of the current roster, each with its closest candidates.
func (s *Store) Unmatched(ctx context.Context) ([]Participant, error) {
	list, err := s.participants(ctx, `p.student_id IS NULL`)
	if err != nil || len(list) == 0 {
		return list, err
	}
	pools := newCandidatePools(ctx, s.db)
	for i := range list {
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
// through indexes: the current students of its class, and those whose
// names hold its last name, or begin like it with its first name, or hold
// its last name with a first name beginning like its own (a typing
// mistake). Participants come by class: the class read last is kept.
type candidatePools struct {
	ctx        context.Context
	q          querier
	classKey   string
	classEstab int64
	class      []match.Student
}

func newCandidatePools(ctx context.Context, q querier) *candidatePools {
	return &candidatePools{ctx: ctx, q: q, classEstab: -1}
}

// maxNamePool bounds the students found by name for one participant.
const maxNamePool = 50

func (c *candidatePools) of(p *Participant) ([]match.Student, error) {
	classKey := match.ClassKey(p.Class)
	if classKey != c.classKey || p.estab != c.classEstab {
		c.classKey, c.classEstab, c.class = classKey, p.estab, nil
		if classKey != "" {
			var err error
			c.class, err = matchStudents(c.ctx, c.q, `s.class_key = ? AND s.current = 1 AND s.establishment_id = ?`, classKey, p.estab)
			if err != nil {
				return nil, err
			}
		}
	}
	last, first := fold.Key(p.LastName), fold.Key(p.FirstName)
	var terms []string
	if last != "" {
		terms = append(terms, `"`+last+`"`)
		if first != "" {
			terms = append(terms, `("`+prefix(last)+`"* AND "`+first+`")`, `("`+last+`" AND "`+prefix(first)+`"*)`)
		}
	}
	if len(terms) == 0 {
		return c.class, nil
	}
	named, err := matchStudents(c.ctx, c.q, `s.id IN (SELECT rowid FROM student_search WHERE student_search MATCH ? LIMIT ?)
		AND s.current = 1 AND s.establishment_id = ?`, strings.Join(terms, " OR "), maxNamePool, p.estab)
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(c.class), named...), nil
}

// prefix is how much of a name a typing mistake is assumed to leave alone.
func prefix(key string) string {
	n := 0
	for i := range key {
		if n == 3 {
			return key[:i]
		}
		n++
	}
	return key
}

// ParticipantByRef finds a participant by the reference unmatched and show
// give it.
func (s *Store) ParticipantByRef(ctx context.Context, ref string) (Participant, error) {
	id, ok := parseRef(ref)
	if !ok {
		return Participant{}, fmt.Errorf("« %s » : %w (attendu : P suivi d'un nombre, comme l'affiche pixcert unmatched)", ref, ErrUnknownRef)
	}
	list, err := s.participants(ctx, `p.id = ?`, id)
	if err != nil {
		return Participant{}, err
	}
	if len(list) == 0 {
		return Participant{}, fmt.Errorf("« %s » : %w (voir pixcert unmatched)", ref, ErrUnknownRef)
	}
	return list[0], nil
}

// Link records that participant p is student studentID, or, with
// studentID 0, that it is no student of the roster, and derives again the
// statuses of the students concerned.
func (s *Store) Link(ctx context.Context, p Participant, studentID int64, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
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
