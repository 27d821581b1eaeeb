package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"pixcert/internal/certif"
	"pixcert/internal/fold"
	"pixcert/internal/roster"
)

// ErrUnknownRef means no participant has that reference.
var ErrUnknownRef = errors.New("référence de participant inconnue")

// A participant's reference is "P" and its id: short enough to type, and
// stable, since participants are never deleted.
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
}

// Candidate is a roster student that may be a participant.
type Candidate struct {
	ID                         int64
	LastName, FirstName, Class string
}

// participants lists the participants keep selects, each described by its
// latest participation (sent ones first).
func (s *Store) participants(ctx context.Context, keep func(*storedParticipant) bool) ([]Participant, error) {
	campaigns, err := s.campaignNames(ctx)
	if err != nil {
		return nil, err
	}
	var out []Participant
	err = eachParticipant(ctx, s.db, func(sp *storedParticipant) error {
		if keep(sp) {
			out = append(out, Participant{ID: sp.id, Ref: participantRef(sp.id), LastName: sp.named.LastName, FirstName: sp.named.FirstName,
				Class: sp.named.Class, Campaign: campaigns[sp.named.CampaignID], StudentID: sp.student})
		}
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	slices.SortFunc(out, func(a, b Participant) int {
		return cmp.Or(strings.Compare(a.Class, b.Class), strings.Compare(a.LastName, b.LastName),
			strings.Compare(a.FirstName, b.FirstName), cmp.Compare(a.ID, b.ID))
	})
	index := make(map[int64]int, len(out)) // participant id → position in out
	for i, p := range out {
		index[p.ID] = i
	}
	// A participant's latest sending is found by the rule that finds a
	// student's, participants standing for students by their position.
	var latest latestSendings
	latest.reserve(int64(len(out)))
	err = eachParticipation(ctx, s.db, func(sp *storedParticipation) error {
		if i, ok := index[sp.participant]; ok {
			latest.add(int64(i+1), sp, 0)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		st := latest.stored(int64(i + 1))
		if out[i].Status = st.status(); st.latestSent != 0 {
			out[i].StatusDate = st.at.String()
		}
	}
	return out, nil
}

// Unmatched lists the participants of imported exports that match no
// student of the current roster, each with its closest candidates.
func (s *Store) Unmatched(ctx context.Context) ([]Participant, error) {
	list, err := s.participants(ctx, func(p *storedParticipant) bool { return p.student == 0 })
	if err != nil || len(list) == 0 {
		return list, err
	}
	roster, err := s.candidateRoster(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Candidates = roster.candidates(list[i])
	}
	return list, nil
}

// campaignNames maps campaign ids to names.
func (s *Store) campaignNames(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM campaigns`)
	if err != nil {
		return nil, fmt.Errorf("lecture des campagnes : %w", err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}

// candidateRoster is the current roster, read once, to find candidates.
type candidateRoster struct {
	students []candidateStudent
	byClass  map[string][]int
	byLast   map[string][]int
}

type candidateStudent struct {
	Candidate
	nameKeys []string // "last|first" keys, as matching uses them
	classKey string
}

func (s *Store) candidateRoster(ctx context.Context) (*candidateRoster, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, class, record FROM students WHERE active = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	r := &candidateRoster{byClass: map[string][]int{}, byLast: map[string][]int{}}
	for rows.Next() {
		var c candidateStudent
		var record []byte
		var student roster.Student
		if err := rows.Scan(&c.ID, &c.Class, &record); err != nil {
			return nil, err
		}
		if err := decodeStudent(record, &student); err != nil {
			return nil, err
		}
		c.LastName, c.FirstName = student.LastName, student.FirstName
		usage := student.UsageName
		c.classKey = fold.Key(c.Class)
		for _, last := range []string{c.LastName, usage} {
			if key := fold.Key(last); key != "" {
				c.nameKeys = append(c.nameKeys, key+"|"+fold.Key(c.FirstName))
				r.byLast[key] = append(r.byLast[key], len(r.students))
			}
		}
		r.byClass[c.classKey] = append(r.byClass[c.classKey], len(r.students))
		r.students = append(r.students, c)
	}
	return r, rows.Err()
}

// maxCandidates is how many roster students are offered for a participant.
const maxCandidates = 3

// fullScanRoster is the size of roster up to which every student is
// compared with an unmatched participant, so that a typo in a campaign
// without classes still finds its student; beyond it, the participant's
// class and last name only.
const fullScanRoster = 20000

// candidates are the roster students a participant may be: those of its
// class, and those elsewhere with its last name or a name close enough to be
// a typo; closest names first, its class first between equals.
func (r *candidateRoster) candidates(p Participant) []Candidate {
	last, class := fold.Key(p.LastName), fold.Key(p.Class)
	name := last + "|" + fold.Key(p.FirstName)
	type scored struct {
		index, distance int
		sameClass       bool
	}
	best := map[int]scored{}
	consider := func(i int) {
		c := r.students[i]
		d := len(name) + 64
		for _, key := range c.nameKeys {
			d = min(d, fold.Distance(name, key))
		}
		sameClass := c.classKey == class
		closeName := d <= max(2, len(name)/3) || r.hasLast(i, last)
		if (sameClass || closeName) && (best[i] == scored{} || d < best[i].distance) {
			best[i] = scored{i, d, sameClass}
		}
	}
	if len(r.students) <= fullScanRoster {
		for i := range r.students {
			consider(i)
		}
	} else {
		for _, i := range r.byClass[class] {
			consider(i)
		}
		for _, i := range r.byLast[last] {
			consider(i)
		}
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
		return r.students[a.index].ID < r.students[b.index].ID
	})
	var out []Candidate
	for i := 0; i < len(ranked) && i < maxCandidates; i++ {
		out = append(out, r.students[ranked[i].index].Candidate)
	}
	return out
}

func (r *candidateRoster) hasLast(i int, last string) bool {
	for _, key := range r.students[i].nameKeys {
		if strings.HasPrefix(key, last+"|") {
			return true
		}
	}
	return false
}

// ParticipantByRef finds a participant by the reference unmatched and show
// give it.
func (s *Store) ParticipantByRef(ctx context.Context, ref string) (Participant, error) {
	id, ok := parseRef(ref)
	if !ok {
		return Participant{}, fmt.Errorf("« %s » : %w (attendu : P suivi d'un nombre, comme l'affiche pixcert unmatched)", ref, ErrUnknownRef)
	}
	list, err := s.participants(ctx, func(p *storedParticipant) bool { return p.id == id })
	if err != nil {
		return Participant{}, err
	}
	if len(list) == 0 {
		return Participant{}, fmt.Errorf("« %s » : %w (voir pixcert unmatched)", ref, ErrUnknownRef)
	}
	return list[0], nil
}

// Link records that participant p is student studentID, or, with
// studentID 0, that it is no student of the roster; then matches every
// participant again and derives the statuses.
func (s *Store) Link(ctx context.Context, p Participant, studentID int64, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO links (participant_id, student_id, decided_at) VALUES (?1, ?2, ?3)
		ON CONFLICT (participant_id) DO UPDATE SET student_id = ?2, decided_at = ?3`,
		p.ID, nullIfZero(studentID), now.Format(time.RFC3339)); err != nil {
		return fmt.Errorf("enregistrement de la décision : %w", err)
	}
	ix, err := loadRosterIndex(ctx, tx)
	if err != nil {
		return err
	}
	if err := rematchAll(ctx, tx, ix, nil); err != nil {
		return err
	}
	if err := recomputeStatuses(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
