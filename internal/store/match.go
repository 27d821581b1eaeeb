package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"pixcert/internal/collecte"
	"pixcert/internal/fold"
	"pixcert/internal/roster"
)

// Matching ties each participant to a student of the current roster, in
// order of confidence:
//
//  1. a person's decision (pixcert link, unlink), which stops the others;
//  2. the identifier: student number or external id equal to the student's
//     national id or student number;
//  3. the name and first name (birth or usage name) in the same class;
//  4. the name and first name alone, when one student of the roster has it
//     (the student changed class since that export).
//
// A participant two students could be is left unmatched rather than guessed.
// New participants are matched as they are stored; stored ones are matched
// again whenever the roster or a decision changes, so the order in which
// files are imported does not matter.
const (
	matchManual    = "manual"
	matchID        = "id"
	matchNameClass = "name_class"
	matchName      = "name"
)

// hashKey hashes the parts of a key. 64 bits keep the chance of two keys
// colliding negligible at a million students (about 1 in 10^7), and make the
// in-memory indexes of an académie fit in a few tens of megabytes.
func hashKey(parts ...string) uint64 {
	h := newHasher()
	for _, p := range parts {
		h.add(p)
	}
	return uint64(h)
}

// hasher is FNV-1a over strings, each followed by a separator, computed in
// place: an import hashes several keys a row.
type hasher uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func newHasher() hasher { return fnvOffset }

func (h *hasher) add(s string) {
	x := uint64(*h)
	for i := 0; i < len(s); i++ {
		x = (x ^ uint64(s[i])) * fnvPrime
	}
	*h = hasher((x ^ 0x1f) * fnvPrime)
}

// addUint hashes a number's 8 bytes, then the separator.
func (h *hasher) addUint(n uint64) {
	x := uint64(*h)
	for i := 0; i < 8; i++ {
		x = (x ^ (n & 0xff)) * fnvPrime
		n >>= 8
	}
	*h = hasher((x ^ 0x1f) * fnvPrime)
}

func (h *hasher) addBytes(b []byte) {
	x := uint64(*h)
	for _, c := range b {
		x = (x ^ uint64(c)) * fnvPrime
	}
	*h = hasher((x ^ 0x1f) * fnvPrime)
}

// foldHash hashes the comparison keys (fold.Key) of parts, without building
// them: a million rows' worth of folded strings would only feed the
// garbage collector.
func foldHash(parts ...string) uint64 {
	var scratch [128]byte
	h := newHasher()
	for _, p := range parts {
		h.addBytes(fold.Append(scratch[:0], p))
	}
	return uint64(h)
}

func pairHash(a, b uint64) uint64 {
	h := newHasher()
	h.addUint(a)
	h.addUint(b)
	return uint64(h)
}

// ambiguous marks a key that several students share.
const ambiguous = -1

// rosterIndex finds, in memory, the student of the current roster a
// participant is. It is filled while rosters are read, then only read.
type rosterIndex struct {
	byID        keyIndex // national id or student number
	byNameClass keyIndex // name key and class key
	byName      keyIndex // name key alone
}

func newRosterIndex() *rosterIndex { return &rosterIndex{} }

func (ix *rosterIndex) add(id int64, r StudentRow) {
	for _, sid := range []string{r.s.NationalID, r.number} {
		if sid != "" {
			ix.byID.put(hashKey(sid), id)
		}
	}
	for _, name := range r.names {
		ix.byNameClass.put(pairHash(name, r.class), id)
		ix.byName.put(name, id)
	}
}

// freeze ends the filling: what follows only reads.
func (ix *rosterIndex) freeze() {
	ix.byID.freeze()
	ix.byNameClass.freeze()
	ix.byName.freeze()
}

// namesOf hashes the names a student may appear under in an export: birth
// name or usage name, with the first name as given or its first word alone
// (extractions list every first name, Pix shows the first).
func namesOf(s roster.Student) []uint64 {
	firsts := []string{s.FirstName}
	if words := strings.Fields(s.FirstName); len(words) > 1 {
		firsts = append(firsts, words[0])
	}
	var names []uint64
	for _, last := range []string{s.LastName, s.UsageName} {
		if fold.Key(last) == "" {
			continue
		}
		for _, first := range firsts {
			names = append(names, foldHash(last, first))
		}
	}
	return names
}

// match finds the student a participant is, and how; 0 when none or
// several.
func (ix *rosterIndex) match(id identity) (int64, string) {
	if id.matchID != "" {
		if student, ok := ix.byID.get(hashKey(id.matchID)); ok && student != ambiguous {
			return student, matchID
		}
	}
	if student, ok := ix.byNameClass.get(pairHash(id.name, id.class)); ok {
		if student == ambiguous {
			return 0, ""
		}
		return student, matchNameClass
	}
	if student, ok := ix.byName.get(id.name); ok && student != ambiguous {
		return student, matchName
	}
	return 0, ""
}

// identity is what matching and deduplication know of a participant, its
// names and class folded and hashed once.
type identity struct {
	campaign    int64
	name, class uint64
	matchID     string
}

func identityOfParticipation(p collecte.Participation) identity {
	return identity{p.CampaignID, foldHash(p.LastName, p.FirstName), foldHash(p.Class), p.MatchID()}
}

// key identifies one learner in one campaign across exports: names
// folded, so that case and accents typed differently are one learner, and
// the class, so that namesakes of two classes are two learners.
func (id identity) key() uint64 {
	h := newHasher()
	h.addUint(uint64(id.campaign))
	h.addUint(id.name)
	h.add(id.matchID)
	h.addUint(id.class)
	return uint64(h)
}

// loadRosterIndex indexes the students of the current roster.
func loadRosterIndex(ctx context.Context, tx *sql.Tx) (*rosterIndex, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, class, record FROM students WHERE active = 1`)
	if err != nil {
		return nil, fmt.Errorf("lecture de la liste d'élèves : %w", err)
	}
	defer rows.Close()
	ix := newRosterIndex()
	for rows.Next() {
		var id int64
		var record []byte
		var s roster.Student
		if err := rows.Scan(&id, &s.Class, &record); err != nil {
			return nil, err
		}
		if err := decodeStudent(record, &s); err != nil {
			return nil, err
		}
		ix.add(id, StudentRow{s: s, number: strings.ToUpper(s.StudentNumber), class: foldHash(s.Class), names: namesOf(s)})
	}
	ix.freeze()
	return ix, rows.Err()
}

// rematchAll matches every stored participant again, decisions first, and
// writes the matches that changed. onMatch, when not nil, hears the final
// student of every participant.
func rematchAll(ctx context.Context, tx *sql.Tx, ix *rosterIndex, onMatch func(participant, student int64)) error {
	decisions, err := loadDecisions(ctx, tx)
	if err != nil {
		return err
	}
	changes := map[int64]match{}
	err = eachParticipant(ctx, tx, func(p *storedParticipant) error {
		student, method := ix.match(identityOfParticipation(p.named))
		if d, decided := decisions[p.id]; decided {
			student, method = 0, ""
			if d != 0 {
				student, method = d, matchManual
			}
		}
		if student != p.student || method != p.method {
			changes[p.id] = match{student, method}
		}
		if onMatch != nil {
			onMatch(p.id, student)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return rewriteMatches(ctx, tx, changes)
}

// loadDecisions reads a person's decisions: participant → student, 0 for
// "keep unmatched" and for a student who left the roster.
func loadDecisions(ctx context.Context, tx *sql.Tx) (map[int64]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT l.participant_id, coalesce(s.id, 0)
		FROM links l LEFT JOIN students s ON s.id = l.student_id AND s.active = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	decisions := map[int64]int64{}
	for rows.Next() {
		var participant, student int64
		if err := rows.Scan(&participant, &student); err != nil {
			return nil, err
		}
		decisions[participant] = student
	}
	return decisions, rows.Err()
}
