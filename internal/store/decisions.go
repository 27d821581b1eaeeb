package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"pixcert/internal/certif"
	"pixcert/internal/fold"
)

// ErrUnknownRef means no participant has that reference.
var ErrUnknownRef = errors.New("référence de participant inconnue")

// A participant's reference is "P" and the number of its first stored
// participation: short enough to type, and stable, since participations are
// never deleted.
func participantRef(firstParticipationID int64) string {
	return "P" + strconv.FormatInt(firstParticipationID, 10)
}

func parseRef(ref string) (int64, bool) {
	ref = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(ref)), "P")
	id, err := strconv.ParseInt(ref, 10, 64)
	return id, err == nil && id > 0
}

// Participant is one learner of one campaign, as exports name them.
type Participant struct {
	Ref        string
	key        string
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
}

// Candidate is a roster student that may be a participant.
type Candidate struct {
	ID                         int64
	LastName, FirstName, Class string
}

// participantsQuery lists participants, one row each, described by their
// latest row (sent first, then latest).
const participantsQuery = `
	WITH ranked AS (
		SELECT p.*, row_number() OVER (PARTITION BY p.participant_key ORDER BY p.sent DESC, p.sent_at DESC, p.id DESC) AS rank,
			min(p.id) OVER (PARTITION BY p.participant_key) AS first_id
		FROM participations p WHERE %s)
	SELECT r.first_id, r.participant_key, r.last_name, r.first_name, r.class, c.name, r.sent, coalesce(r.sent_at, ''),
		coalesce(r.certifiable, 0), coalesce(r.student_id, 0), r.name_key, r.class_key
	FROM ranked r JOIN campaigns c ON c.id = r.campaign_id
	WHERE r.rank = 1
	ORDER BY r.class_key, r.name_key, r.first_id`

func (s *Store) participants(ctx context.Context, where string, args ...any) ([]Participant, []string, []string, error) {
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(participantsQuery, where), args...)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("lecture des participants : %w", err)
	}
	defer rows.Close()
	var out []Participant
	var nameKeys, classKeys []string
	for rows.Next() {
		var p Participant
		var first int64
		var sent, certifiable bool
		var nameKey, classKey string
		if err := rows.Scan(&first, &p.key, &p.LastName, &p.FirstName, &p.Class, &p.Campaign, &sent, &p.StatusDate,
			&certifiable, &p.StudentID, &nameKey, &classKey); err != nil {
			return nil, nil, nil, err
		}
		p.Ref = participantRef(first)
		switch {
		case !sent:
			p.Status = certif.NotCommunicated
		case certifiable:
			p.Status = certif.Certifiable
		default:
			p.Status = certif.NotCertifiable
		}
		out = append(out, p)
		nameKeys, classKeys = append(nameKeys, nameKey), append(classKeys, classKey)
	}
	return out, nameKeys, classKeys, rows.Err()
}

// Unmatched lists the participants of imported exports that match no
// student of the current roster, each with its closest candidates.
func (s *Store) Unmatched(ctx context.Context) ([]Participant, error) {
	list, nameKeys, classKeys, err := s.participants(ctx, "p.participant_key IN (SELECT participant_key FROM participations WHERE student_id IS NULL)")
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Candidates, err = s.candidates(ctx, nameKeys[i], classKeys[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// maxCandidates is how many roster students are offered for a participant.
const maxCandidates = 3

// candidates finds the roster students a participant named nameKey
// ("last|first") in class classKey may be: those of the same class, and
// those elsewhere with the same last name or a name close enough to be a
// typo; closest names first.
func (s *Store) candidates(ctx context.Context, nameKey, classKey string) ([]Candidate, error) {
	last, _, _ := strings.Cut(nameKey, "|")
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT s.id, s.last_name, s.first_name, s.class, n.name_key, n.class_key
		FROM student_names n JOIN students s ON s.id = n.student_id AND s.active = 1
		WHERE n.class_key = ?1 OR (n.name_key >= ?2 AND n.name_key < ?3)`, classKey, last+"|", last+"}")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type scored struct {
		Candidate
		distance  int
		sameClass bool
	}
	best := map[int64]scored{}
	for rows.Next() {
		var c Candidate
		var candidateName, candidateClass string
		if err := rows.Scan(&c.ID, &c.LastName, &c.FirstName, &c.Class, &candidateName, &candidateClass); err != nil {
			return nil, err
		}
		d := fold.Distance(nameKey, candidateName)
		sameClass := candidateClass == classKey
		closeName := d <= max(2, len(nameKey)/3) || strings.HasPrefix(candidateName, last+"|")
		if !sameClass && !closeName {
			continue
		}
		if prev, ok := best[c.ID]; !ok || d < prev.distance {
			best[c.ID] = scored{c, d, sameClass}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ranked := make([]scored, 0, len(best))
	for _, c := range best {
		ranked = append(ranked, c)
	}
	sort.Slice(ranked, func(i, j int) bool {
		a, b := ranked[i], ranked[j]
		if a.distance != b.distance {
			return a.distance < b.distance
		}
		if a.sameClass != b.sameClass {
			return a.sameClass
		}
		return a.ID < b.ID
	})
	var out []Candidate
	for i := 0; i < len(ranked) && i < maxCandidates; i++ {
		out = append(out, ranked[i].Candidate)
	}
	return out, nil
}

// ParticipantByRef finds a participant by the reference unmatched and show
// give it.
func (s *Store) ParticipantByRef(ctx context.Context, ref string) (Participant, error) {
	id, ok := parseRef(ref)
	if !ok {
		return Participant{}, fmt.Errorf("« %s » : %w (attendu : P suivi d'un nombre, comme l'affiche pixcert unmatched)", ref, ErrUnknownRef)
	}
	list, _, _, err := s.participants(ctx, "p.participant_key = (SELECT participant_key FROM participations WHERE id = ?)", id)
	if err != nil {
		return Participant{}, err
	}
	if len(list) == 0 || list[0].Ref != participantRef(id) {
		return Participant{}, fmt.Errorf("« %s » : %w (voir pixcert unmatched)", ref, ErrUnknownRef)
	}
	return list[0], nil
}

// Link records that participant p is student studentID, or, with
// studentID 0, that it is no student of the roster; then matches again.
func (s *Store) Link(ctx context.Context, p Participant, studentID int64, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var student any
	if studentID != 0 {
		student = studentID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO links (participant_key, student_id, decided_at) VALUES (?1, ?2, ?3)
		ON CONFLICT (participant_key) DO UPDATE SET student_id = ?2, decided_at = ?3`,
		p.key, student, now.Format(time.RFC3339)); err != nil {
		return fmt.Errorf("enregistrement de la décision : %w", err)
	}
	if err := rematch(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
