package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"pixcert/internal/certif"
	"pixcert/internal/collecte"
	"pixcert/internal/fold"
	"pixcert/internal/roster"
)

// Import is one import: everything it writes is one transaction, committed
// by Commit only, so a failed import leaves the store as it was.
//
// It is built for volume (issue 5): rosters come before exports, so a new
// participant is matched in memory as it is read; rows go in many per
// statement with ids given here, participations packed in pages; keys are
// 64-bit hashes, and what is already stored is looked up in tables loaded
// in memory, not row by row. Into a store that holds no participation yet,
// it is a bulk load: the secondary index is dropped, and built again at the
// end, and statuses are found as rows go by.
type Import struct {
	ctx        context.Context
	tx         *sql.Tx
	bulk       bool // the store held no participation yet
	exportRows int  // an estimate, to size the tables below

	nextStudent, nextParticipant, nextParticipation int64
	storedParticipations                            int64 // the last id before this import

	rosterBegun bool
	known       *knownStudents // students already stored, for a roster's rows
	index       *rosterIndex   // the current roster, for matching
	classes     *rosterClasses // the class of each of its students, when read here

	campaigns    map[int64]bool
	participants *hashTable[participantState]
	seenRows     *hashTable[struct{}] // dedup hashes stored, by this import or before
	files        map[int]*FileSummary
	fileMembers  map[int][]int32 // participants of each file
	latest       latestSendings  // bulk loads only

	students                                      *batch
	newParticipants                               *pageWriter
	pages                                         *pageWriter
	studentRecord, updateStudent, activateStudent *sql.Stmt
	upsertCampaign                                *sql.Stmt
}

// participantState is what an import keeps of each participant it meets,
// in 16 bytes: an académie's export has a million of them.
type participantState struct {
	id, student int32
	lastFile    int32 // 1 + the last file it was seen in
}

// StudentChange says what a roster row did to the store.
type StudentChange int

const (
	StudentAdded StudentChange = iota
	StudentUpdated
	StudentUnchanged
)

// FileSummary is what an import did with one export file.
type FileSummary struct {
	Participants int // distinct learners in the file
	Rows         int
	Sendings     int // sent participations
	Unmatched    int // learners found in no student of the current roster
}

// exportRowBytes is about the size of a row of a Pix export, to estimate
// how many rows files of a given size hold.
const exportRowBytes = 200

// BeginImport starts an import whose exports weigh exportBytes in all. The
// size lets the import set its memory aside at once, when exports start: a
// table that grows by doubling holds, while it copies itself, three times
// what it needs.
func (s *Store) BeginImport(ctx context.Context, exportBytes int64) (*Import, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("début de l'import : %w", err)
	}
	im := &Import{ctx: ctx, tx: tx, exportRows: int(min(exportBytes/exportRowBytes, 1<<26)), campaigns: map[int64]bool{},
		files: map[int]*FileSummary{}, fileMembers: map[int][]int32{}}
	if err := im.begin(); err != nil {
		tx.Rollback()
		return nil, err
	}
	return im, nil
}

func (im *Import) begin() error {
	var participations int64
	err := im.tx.QueryRowContext(im.ctx, `SELECT
		(SELECT coalesce(max(id), 0) FROM students), (SELECT coalesce(max(first_id + count - 1), 0) FROM participant_pages),
		(SELECT coalesce(max(first_id + count - 1), 0) FROM participation_pages), (SELECT count(*) FROM participation_pages)`).
		Scan(&im.nextStudent, &im.nextParticipant, &im.nextParticipation, &participations)
	if err != nil {
		return err
	}
	im.bulk = participations == 0
	im.storedParticipations = im.nextParticipation
	if im.bulk {
		for _, ix := range secondaryIndexes {
			if _, err := im.tx.ExecContext(im.ctx, "DROP INDEX IF EXISTS "+ix.name); err != nil {
				return err
			}
		}
	}
	im.students = newBatch(im.ctx, im.tx, `INSERT INTO students (id, class_key, class, record)`, 4)
	im.newParticipants = newPageWriter(im.ctx, im.tx, "participant_pages")
	im.pages = newPageWriter(im.ctx, im.tx, "participation_pages")
	prepare := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&im.studentRecord, `SELECT class, record FROM students WHERE id = ?`},
		{&im.updateStudent, `UPDATE students SET class_key = ?2, class = ?3, record = ?4 WHERE id = ?1`},
		{&im.activateStudent, `UPDATE students SET active = 1 WHERE id = ?`},
		{&im.upsertCampaign, `INSERT INTO campaigns (id, code, name, organization) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT (id) DO UPDATE SET code = coalesce(nullif(?2, ''), code), name = coalesce(nullif(?3, ''), name),
			organization = coalesce(nullif(?4, ''), organization)`},
	}
	for _, p := range prepare {
		if *p.dst, err = im.tx.PrepareContext(im.ctx, p.query); err != nil {
			return fmt.Errorf("préparation de l'import : %w", err)
		}
	}
	return nil
}

// Rollback abandons the import; the store is left as it was.
func (im *Import) Rollback() error { return im.tx.Rollback() }

// Commit makes the import permanent.
func (im *Import) Commit() error {
	if err := im.tx.Commit(); err != nil {
		return fmt.Errorf("enregistrement de l'import : %w", err)
	}
	return nil
}

// BeginRoster marks the start of the new student list. Every student then
// leaves the current list until a roster row of this import names them
// again: a roster import makes its list the current one. Several roster
// files in one import form one list. Rosters must come before exports.
func (im *Import) BeginRoster() error {
	if im.rosterBegun {
		return nil
	}
	if im.index != nil {
		return fmt.Errorf("les listes d'élèves doivent être importées avant les exports")
	}
	im.rosterBegun = true
	im.index = newRosterIndex()
	im.classes = newRosterClasses()
	if _, err := im.tx.ExecContext(im.ctx, `UPDATE students SET active = 2 WHERE active = 1`); err != nil {
		return err
	}
	var err error
	im.known, err = loadKnownStudents(im.ctx, im.tx)
	return err
}

// StudentRow is a roster student ready to store, its keys folded: the work
// a reading goroutine can do while the store writes.
type StudentRow struct {
	s        roster.Student
	number   string
	classKey string
	class    uint64   // classKey, hashed
	names    []uint64 // see namesOf
	identity uint64
	record   []byte // see appendStudent
}

// PrepareStudent folds the keys of a roster student and encodes its record.
func PrepareStudent(s roster.Student) StudentRow {
	number := strings.ToUpper(s.StudentNumber)
	return StudentRow{
		s: s, number: number,
		classKey: fold.Key(s.Class),
		class:    foldHash(s.Class), names: namesOf(s), identity: identityOf(s),
		record: appendStudent(nil, s, number),
	}
}

// AddStudent adds a roster student, or updates the one already stored: the
// same national id, else the same student number, else the same name, first
// name and birth date (with no conflicting id).
func (im *Import) AddStudent(s roster.Student) (StudentChange, error) {
	return im.AddStudentRow(PrepareStudent(s))
}

// AddStudentRow is AddStudent for a prepared row.
func (im *Import) AddStudentRow(r StudentRow) (StudentChange, error) {
	s, number, classKey := r.s, r.number, r.classKey
	id, found := im.known.find(r)
	change := StudentAdded
	if found {
		var err error
		if change, err = im.updateStudentRow(id, r); err != nil {
			return 0, fmt.Errorf("mise à jour de l'élève %s : %w", s, err)
		}
		if _, err := im.activateStudent.ExecContext(im.ctx, id); err != nil {
			return 0, err
		}
	} else {
		im.nextStudent++
		id = im.nextStudent
		if err := im.students.add(id, classKey, s.Class, r.record); err != nil {
			return 0, fmt.Errorf("ajout de l'élève %s : %w", s, err)
		}
	}
	if s.NationalID == "" && number == "" {
		im.known.addIdentity(id, r.identity, false)
	} else if !found {
		for _, sid := range []string{s.NationalID, number} {
			if sid != "" {
				im.known.added[hashKey(sid)] = int32(id)
			}
		}
	}
	im.index.add(id, r)
	// A row that changed nothing may be a second row of a student added
	// by this import and not written yet: the first row stands.
	if change != StudentUnchanged || !im.classes.has(id) {
		im.classes.set(id, s.Class)
	}
	return change, nil
}

// updateStudentRow writes a roster row over the stored student id.
func (im *Import) updateStudentRow(id int64, r StudentRow) (StudentChange, error) {
	var class string
	var record []byte
	err := im.studentRecord.QueryRowContext(im.ctx, id).Scan(&class, &record)
	if errors.Is(err, sql.ErrNoRows) {
		// Added by this import and not written yet: the first row stands.
		return StudentUnchanged, nil
	}
	if err != nil {
		return 0, err
	}
	var stored roster.Student
	if err := decodeStudent(record, &stored); err != nil {
		return 0, err
	}
	// Ids and birth date a roster lacks are kept from an earlier one.
	s, number := r.s, r.number
	s.NationalID = cmp.Or(s.NationalID, stored.NationalID)
	number = cmp.Or(number, stored.StudentNumber)
	s.Birthdate = cmp.Or(s.Birthdate, stored.Birthdate)
	updated := appendStudent(nil, s, number)
	if class == s.Class && bytes.Equal(updated, record) {
		return StudentUnchanged, nil
	}
	if _, err := im.updateStudent.ExecContext(im.ctx, id, r.classKey, s.Class, updated); err != nil {
		return 0, err
	}
	return StudentUpdated, nil
}

// AddParticipation stores a row of a profile-collection export read from
// file number fileNo of this import. It reports whether the row was new.
// Keys are folded and hashed here, on the storing side: with participants
// and participations written in pages, storing has time to spare while
// reading has none.
func (im *Import) AddParticipation(fileNo int, p collecte.Participation) (added bool, err error) {
	id := identityOfParticipation(p)
	key := id.key()
	if im.participants == nil {
		// The first export row: rosters are read, only the index serves now.
		im.known = nil
		if im.index != nil {
			im.index.freeze()
		}
		im.latest.reserve(im.nextStudent)
		// About three rows a participant: a sending or two, a started one;
		// and, into a store that holds some, those stored (loadStored).
		im.participants = newHashTable[participantState](im.exportRows/3 + int(im.nextParticipant))
		im.seenRows = newHashTable[struct{}](im.exportRows + int(im.storedParticipations))
		if !im.bulk {
			if err := im.loadStored(); err != nil {
				return false, err
			}
		}
	}
	if im.index == nil {
		// No roster in this import: match with the current one.
		if im.index, err = loadRosterIndex(im.ctx, im.tx); err != nil {
			return false, err
		}
	}
	file := im.files[fileNo]
	if file == nil {
		file = &FileSummary{}
		im.files[fileNo] = file
	}
	file.Rows++
	if p.Sent {
		file.Sendings++
	}
	if !im.campaigns[p.CampaignID] {
		if _, err := im.upsertCampaign.ExecContext(im.ctx, p.CampaignID, p.CampaignCode, p.CampaignName, p.Organization); err != nil {
			return false, fmt.Errorf("campagne %d : %w", p.CampaignID, err)
		}
		im.campaigns[p.CampaignID] = true
	}
	pt, err := im.participant(key, id, p)
	if err != nil {
		return false, err
	}
	if pt.lastFile != int32(fileNo+1) {
		pt.lastFile = int32(fileNo + 1)
		im.participants.put(key, pt)
		im.fileMembers[fileNo] = append(im.fileMembers[fileNo], pt.id)
	}

	dedup := dedupHash(key, id, p)
	if _, seen := im.seenRows.get(dedup); seen {
		return false, nil
	}
	im.seenRows.put(dedup, struct{}{})
	im.nextParticipation++
	stored := storedParticipation{id: im.nextParticipation, participant: int64(pt.id), dedup: dedup}
	if p.Sent {
		stored.sentAt, stored.pixTotal, stored.profile = p.SentAt, p.PixTotal, encodeProfile(p.Profile)
	}
	if im.bulk {
		im.latest.add(int64(pt.student), &stored, p.CampaignID)
	}
	if err := im.pages.add(stored.id, func(b []byte) []byte { return appendParticipation(b, &stored) }); err != nil {
		return false, fmt.Errorf("participation de %s : %w", p, err)
	}
	return true, nil
}

// loadStored loads what an import into a store holding participations
// looks rows up in: the stored participants by key, and the dedup hash of
// every stored row. A sending already stored, maybe under another class, is
// not stored again; its dedup hash does not hold the class (dedupHash).
func (im *Import) loadStored() error {
	err := eachParticipant(im.ctx, im.tx, func(p *storedParticipant) error {
		im.participants.put(p.key, participantState{id: int32(p.id), student: int32(p.student)})
		return nil
	})
	if err != nil {
		return err
	}
	return eachParticipation(im.ctx, im.tx, func(p *storedParticipation) error {
		im.seenRows.put(p.dedup, struct{}{})
		return nil
	})
}

// participant finds or creates the participant a row belongs to.
func (im *Import) participant(key uint64, id identity, p collecte.Participation) (participantState, error) {
	if pt, ok := im.participants.get(key); ok {
		return pt, nil
	}
	var pt participantState
	student, method := im.index.match(id)
	im.nextParticipant++
	pt.id, pt.student = int32(im.nextParticipant), int32(student)
	stored := storedParticipant{id: im.nextParticipant, key: key, student: student, method: method, named: p}
	if err := im.newParticipants.add(stored.id, func(b []byte) []byte { return appendParticipant(b, &stored) }); err != nil {
		return pt, fmt.Errorf("participant %s : %w", p, err)
	}
	im.participants.put(key, pt)
	return pt, nil
}

func nullIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// dedupHash identifies a participation. A sending is its learner's
// campaign, name and identifier, day and profile: not its minute (Excel
// re-saves may drop the time, and two identical profiles sent the same day
// are one), nor the class (a later export shows the learner's new class for
// the same sending). A participation not sent is its participant's.
func dedupHash(participant uint64, id identity, p collecte.Participation) uint64 {
	h := newHasher()
	if !p.Sent {
		h.addUint(participant)
		h.add("NA")
		return uint64(h)
	}
	h.addUint(uint64(id.campaign))
	h.addUint(id.name)
	h.add(id.matchID)
	h.add(p.SentAt[:10])
	var profile [2 * certif.CompetenceCount]byte
	for i := range p.Profile.Levels {
		profile[i], profile[certif.CompetenceCount+i] = byte(p.Profile.Levels[i]), byte(p.Profile.Pix[i])
	}
	h.addBytes(profile[:])
	return uint64(h)
}

// Finish matches stored participants again when the roster changed,
// derives every student's status and the summary of each export file, and
// how many students left the current list.
func (im *Import) Finish() (files map[int]FileSummary, leftRoster int, err error) {
	if err := im.students.flush(); err != nil {
		return nil, 0, err
	}
	for _, w := range []*pageWriter{im.newParticipants, im.pages} {
		if err := w.flush(); err != nil {
			return nil, 0, err
		}
	}
	if im.rosterBegun {
		if err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM students WHERE active = 2`).Scan(&leftRoster); err != nil {
			return nil, 0, err
		}
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE students SET active = 0 WHERE active = 2`); err != nil {
			return nil, 0, err
		}
	}
	final := map[int64]int64{} // participant → student, where rematched
	if im.rosterBegun && !im.bulk {
		if err := rematchAll(im.ctx, im.tx, im.index, func(participant, student int64) { final[participant] = student }); err != nil {
			return nil, 0, err
		}
	}
	if im.bulk {
		// Before the statuses: counting classes without a roster in
		// memory reads students_class.
		if err := im.buildIndexes(); err != nil {
			return nil, 0, err
		}
		err = im.latest.write(im.ctx, im.tx, im.classes)
	} else if im.rosterBegun || im.nextParticipation > im.storedParticipations {
		// Otherwise nothing a status depends on changed: an export
		// imported again, say, which at an académie's scale saves seconds.
		err = recomputeStatuses(im.ctx, im.tx)
	}
	if err != nil {
		return nil, 0, err
	}
	return im.summaries(final), leftRoster, nil
}

// buildIndexes builds the indexes a bulk load dropped. A duplicate national
// id or student number across the roster files of one import is the one
// thing that can make it fail.
func (im *Import) buildIndexes() error {
	for _, ix := range secondaryIndexes {
		if _, err := im.tx.ExecContext(im.ctx, ix.create); err != nil {
			return fmt.Errorf("construction de l'index %s : %w", ix.name, err)
		}
	}
	return nil
}

func (im *Import) summaries(final map[int64]int64) map[int]FileSummary {
	studentOf := make([]int32, im.nextParticipant+1) // participant ids are dense
	if im.participants != nil {
		im.participants.each(func(_ uint64, pt participantState) { studentOf[pt.id] = pt.student })
	}
	for participant, student := range final {
		studentOf[participant] = int32(student)
	}
	out := map[int]FileSummary{}
	for no, f := range im.files {
		members := im.fileMembers[no]
		f.Participants = len(members)
		for _, participant := range members {
			if studentOf[participant] == 0 {
				f.Unmatched++
			}
		}
		out[no] = *f
	}
	return out
}

// knownStudents finds the students a roster's rows are: those stored
// before this import, and, through the roster index, those it added.
type knownStudents struct {
	byID map[uint64]int64 // national id or student number, as rosterIndex
	// added holds the ids of the students this import added, while rosters
	// are read; the roster index has them afterwards.
	added map[uint64]int32
	// byIdentity: name, first name and birth date; the value is the id,
	// with flags of the ids the student has in its top bits.
	byIdentity map[uint64]uint64
}

const (
	hasIDsFlag = 1 << 62
	idMask     = hasIDsFlag - 1
)

func identityOf(s roster.Student) uint64 {
	return pairHash(foldHash(s.LastName, s.FirstName), hashKey(s.Birthdate))
}

func loadKnownStudents(ctx context.Context, tx *sql.Tx) (*knownStudents, error) {
	k := &knownStudents{byID: map[uint64]int64{}, added: map[uint64]int32{}, byIdentity: map[uint64]uint64{}}
	rows, err := tx.QueryContext(ctx, `SELECT id, record FROM students`)
	if err != nil {
		return nil, fmt.Errorf("lecture des élèves : %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var record []byte
		var s roster.Student
		if err := rows.Scan(&id, &record); err != nil {
			return nil, err
		}
		if err := decodeStudent(record, &s); err != nil {
			return nil, err
		}
		for _, sid := range []string{s.NationalID, strings.ToUpper(s.StudentNumber)} {
			if sid != "" {
				k.byID[hashKey(sid)] = id
			}
		}
		k.addIdentity(id, identityOf(s), s.NationalID != "" || s.StudentNumber != "")
	}
	return k, rows.Err()
}

func (k *knownStudents) addIdentity(id int64, identity uint64, hasIDs bool) {
	if _, taken := k.byIdentity[identity]; taken {
		return // namesakes born the same day: the ids tell them apart
	}
	v := uint64(id)
	if hasIDs {
		v |= hasIDsFlag
	}
	k.byIdentity[identity] = v
}

func (k *knownStudents) find(r StudentRow) (int64, bool) {
	for _, sid := range []string{r.s.NationalID, r.number} {
		if sid == "" {
			continue
		}
		h := hashKey(sid)
		if id, ok := k.byID[h]; ok {
			return id, true
		}
		if id, ok := k.added[h]; ok {
			return int64(id), true
		}
	}
	if v, ok := k.byIdentity[r.identity]; ok {
		// A stored student with an id is another one when this row has one.
		hasIDs := v&hasIDsFlag != 0
		if !hasIDs || (r.s.NationalID == "" && r.number == "") {
			return int64(v & idMask), true
		}
	}
	return 0, false
}
