package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	// Sending times are Paris time wherever pixcert runs: a Windows
	// computer without Go has no zone database.

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/keytable"
	"github.com/pixcert/pixcert/internal/match"
	"github.com/pixcert/pixcert/internal/roster"
	"github.com/pixcert/pixcert/internal/visible"
)

// Import is one `pixcert import`: everything it writes is one transaction,
// committed by Commit only, so that a failed import leaves the store as it
// was.
//
// Rows of this import are found again in memory, exactly (keytable), and
// rows stored before it through the store's unique indexes; into an empty
// store, or for a campaign the store does not hold yet, there is nothing to
// look up. Into an empty store an import is a bulk load: indexes and
// triggers are dropped and made again at the end, which costs a sort
// instead of a random insertion per row, and statuses are derived as rows
// go by.
type Import struct {
	ctx  context.Context
	conn *sql.Conn
	tx   *sql.Tx
	now  time.Time
	// unchecked: foreign keys are not enforced (a bulk load); closing
	// enforces them again on the connection.
	unchecked bool
	run       int64
	bulk      bool // the store held no student and no participant
	// dropped holds the statements that create again what a bulk load
	// dropped: indexes, and the triggers that keep student_search.
	dropped []string

	plans     []FilePlan
	fileEstab []*establishment
	renamed   []Renaming
	files     map[int]*fileState

	lastStudent, lastParticipant, lastSending int64 // the last ids given
	storedParticipants                        int64 // the last participant id before this import
	// What the files weigh, to size the tables kept in memory at once: a
	// table that grows by doubling holds, while it copies itself, three
	// times what it needs.
	rosterBytes, exportBytes int64

	rosters map[int64]*rosterRun // by establishment: the lists this import reads
	exports bool                 // an export row was stored

	campaigns    map[int64]*campaignState
	participants *keytable.Table // identity key (ParticipationRow) → index in pts
	pts          []participantState
	sendingsSeen hashIDs // this import's sendings, by sendingHash
	finders      map[int64]match.Finder

	followedDecisions []followedDecision
	// resultEstabs are the establishments whose certification results
	// this import brought: they are matched at its end.
	resultEstabs map[int64]bool
	affected     map[int64]bool  // students whose status must be derived again
	latest       []latestSending // bulk load: by student id, which is dense
	// recomputeAll: a bulk load changed a sending it had stored, which
	// latest no longer tells; statuses are derived from the store instead.
	recomputeAll bool

	students, newParticipants, sendings, unsent *batch
	stmt                                        statements
}

// statements are the prepared statements of an import.
type statements struct {
	studentByNationalID, studentByNumber, studentByIdentity *sql.Stmt
	identityOfStudent                                       *sql.Stmt
	storedStudent, updateStudent                            *sql.Stmt
	participantByIdentity, storedSendingOfLearner           *sql.Stmt
	hasUnsent, learnersDecision                             *sql.Stmt
}

// fileState is what an import knows of one of its files.
type fileState struct {
	importID  int64
	summary   FileSummary
	members   []int32 // indexes in pts of the participants of the file
	campaigns map[int64]bool
}

// participantState is what an import keeps of a participant it met, in
// 12 bytes: an académie's export has a million of them.
type participantState struct {
	id, student int32
	lastFile    int16 // 1 + the last file it was met in
	stored      bool  // stored before this import
	// unsent: its participation started and not sent is known, stored
	// before this import or added by it.
	unsent bool
}

// campaignState is a campaign an import met.
type campaignState struct {
	establishment int64
	heldBefore    bool // the store held participants of it before this import
}

// rosterRun is the list of one establishment an import reads. A later
// row may list one of its students again: they are found by id, or by
// name and birth date, through index (listedWithIdentity).
type rosterRun struct {
	index   *match.Index
	listed  bitset // students listed so far, by id
	imports []int64
}

// bitset is a set of ids.
type bitset []uint64

func (b bitset) has(id int64) bool { return id>>6 < int64(len(b)) && b[id>>6]&(1<<(id&63)) != 0 }

func (b *bitset) add(id int64) {
	for id>>6 >= int64(len(*b)) {
		*b = append(*b, 0)
	}
	(*b)[id>>6] |= 1 << (id & 63)
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
	NewRows      int // rows the store did not hold
	Sendings     int // sent participations
	Unmatched    int // learners found in no student of the current roster
}

// BeginImport starts an import made at now.
//
// Foreign keys are enforced on every write but one: a bulk load into an
// empty store, whose rows only refer to rows it wrote itself, from its own
// counters. At an académie's scale each check is a random read in a parent
// table far larger than SQLite's cache, and enforcing them doubles the
// load; pixcert check verifies them, as its tests do after bulk loads.
func (s *Store) BeginImport(ctx context.Context, now time.Time) (*Import, error) {
	if err := s.writable(ctx, "l'import"); err != nil {
		return nil, err
	}
	// The pragma belongs to a connection and cannot change inside a
	// transaction: the import keeps its connection.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("début de l'import : %w", err)
	}
	var empty bool
	err = conn.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM students) AND NOT EXISTS (SELECT 1 FROM participants)`).Scan(&empty)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("début de l'import : %w", err)
	}
	im, err := s.beginImport(ctx, conn, now, empty)
	if errors.Is(err, errNotEmptyAnyMore) {
		// Another pixcert imported between the look and the lock: this
		// import comes after it, as a later one.
		im, err = s.beginImport(ctx, conn, now, false)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return im, nil
}

// errNotEmptyAnyMore: the store was empty when looked at, not once locked.
var errNotEmptyAnyMore = errors.New("la base n'est plus vide")

// beginImport begins the import's transaction on conn, without enforcing
// foreign keys when the store looked empty.
func (s *Store) beginImport(ctx context.Context, conn *sql.Conn, now time.Time, empty bool) (*Import, error) {
	var err error
	if empty {
		_, err = conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`)
	}
	var tx *sql.Tx
	if err == nil {
		tx, err = conn.BeginTx(ctx, nil)
	}
	if err != nil {
		conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
		return nil, s.writeError("l'import", err)
	}
	im := &Import{ctx: ctx, conn: conn, tx: tx, now: now, unchecked: empty, files: map[int]*fileState{}, rosters: map[int64]*rosterRun{},
		campaigns: map[int64]*campaignState{}, finders: map[int64]match.Finder{}, affected: map[int64]bool{},
		resultEstabs: map[int64]bool{}}
	if err := im.begin(); err != nil {
		tx.Rollback()
		conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
		if errors.Is(err, errNotEmptyAnyMore) {
			return nil, err
		}
		return nil, fmt.Errorf("début de l'import : %w", err)
	}
	return im, nil
}

func (im *Import) begin() error {
	err := im.tx.QueryRowContext(im.ctx, `SELECT
		(SELECT coalesce(max(run), 0) + 1 FROM imports),
		(SELECT coalesce(max(id), 0) FROM students),
		(SELECT coalesce(max(id), 0) FROM participants),
		(SELECT coalesce(max(id), 0) FROM sendings)`).Scan(&im.run, &im.lastStudent, &im.lastParticipant, &im.lastSending)
	if err != nil {
		return err
	}
	im.storedParticipants = im.lastParticipant
	im.bulk = im.lastStudent == 0 && im.lastParticipant == 0
	if im.unchecked && !im.bulk {
		return errNotEmptyAnyMore
	}
	if im.bulk {
		if err := im.dropForBulkLoad(); err != nil {
			return err
		}
	}
	if _, err := im.tx.ExecContext(im.ctx, `CREATE TEMP TABLE IF NOT EXISTS affected_students (id INTEGER PRIMARY KEY)`); err != nil {
		return err
	}
	im.students = newBatch(im.ctx, im.tx, `INSERT INTO students (id, establishment_id, national_id, student_number, last_name,
		usage_name, first_names, birthdate, class, current, roster_import_id, name_key, class_key, search)`, studentColumns)
	im.newParticipants = newBatch(im.ctx, im.tx, `INSERT INTO participants (id, campaign_id, import_id, last_name, first_name,
		class, student_number, external_id, name_key, class_key, match_id, student_id, matched_by)`, 13)
	im.sendings = newBatch(im.ctx, im.tx, `INSERT INTO sendings (id, participant_id, import_id, sent_at, pix_total,
		certifiable_competences, levels, pix)`, 8)
	im.unsent = newBatch(im.ctx, im.tx, `INSERT OR IGNORE INTO unsent_participations (participant_id, import_id)`, 2)
	// Foreign keys are enforced: a row's parents are written before it.
	im.newParticipants.parents = im.students.flush
	im.sendings.parents = im.newParticipants.flush
	im.unsent.parents = im.newParticipants.flush
	prepare := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&im.stmt.studentByNationalID, `SELECT id FROM students WHERE national_id = ? AND establishment_id = ?`},
		{&im.stmt.studentByNumber, `SELECT id FROM students WHERE student_number = ? AND establishment_id = ?`},
		{&im.stmt.studentByIdentity, `SELECT id FROM students WHERE establishment_id = ? AND name_key = ? AND coalesce(birthdate, '') = ?
			AND national_id IS NULL AND student_number IS NULL`},
		{&im.stmt.identityOfStudent, `SELECT name_key, coalesce(birthdate, ''), national_id IS NOT NULL OR student_number IS NOT NULL
			FROM students WHERE id = ?`},
		{&im.stmt.storedStudent, `SELECT coalesce(national_id, ''), coalesce(student_number, ''), last_name, coalesce(usage_name, ''),
			first_names, coalesce(birthdate, ''), coalesce(class, '') FROM students WHERE id = ?`},
		{&im.stmt.updateStudent, `UPDATE students SET national_id = ?2, student_number = ?3, last_name = ?4, usage_name = ?5,
			first_names = ?6, birthdate = ?7, class = ?8, name_key = ?9, class_key = ?10, search = ?11, current = 1, roster_import_id = ?12
			WHERE id = ?1`},
		{&im.stmt.participantByIdentity, `SELECT id, coalesce(student_id, 0) FROM participants
			WHERE campaign_id = ? AND name_key = ? AND match_id = ? AND class_key = ?`},
		// A learner's sendings of that profile near a day, under any
		// class: a later export shows the learner's new class for the same
		// sending; sameSendingDay tells which is the same.
		{&im.stmt.storedSendingOfLearner, `SELECT s.id, s.sent_at, coalesce(p.student_id, 0) FROM participants p JOIN sendings s ON s.participant_id = p.id
			WHERE p.campaign_id = ?1 AND p.name_key = ?2 AND p.match_id = ?3 AND s.sent_at >= ?4 AND s.sent_at < ?5
			AND s.levels = ?6 AND s.pix = ?7 ORDER BY s.id`},
		{&im.stmt.hasUnsent, `SELECT EXISTS (SELECT 1 FROM unsent_participations WHERE participant_id = ?)`},
		{&im.stmt.learnersDecision, `SELECT d.student_id, d.decided_at FROM decisions d JOIN participants p ON p.id = d.participant_id
			WHERE p.campaign_id = ? AND p.name_key = ? AND p.match_id = ? ORDER BY d.id DESC LIMIT 1`},
	}
	for _, p := range prepare {
		var err error
		if *p.dst, err = im.tx.PrepareContext(im.ctx, p.query); err != nil {
			return err
		}
	}
	return nil
}

// studentColumns is the width of a student's row in the students batch:
// identityOfStudent reads rows waiting there.
const studentColumns = 14

// bulkIndexCacheKiB is SQLite's cache while a bulk load builds its
// indexes, in the memory the import's own tables held until then.
const bulkIndexCacheKiB = 32 << 10

// dropForBulkLoad drops the indexes of the large tables and the triggers
// that keep student_search, keeping what creates them again.
func (im *Import) dropForBulkLoad() error {
	rows, err := im.tx.QueryContext(im.ctx, `SELECT type, name, sql FROM sqlite_master
		WHERE sql IS NOT NULL AND ((type = 'index' AND tbl_name IN ('students', 'participants', 'sendings')) OR (type = 'trigger' AND tbl_name = 'students'))`)
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var kind, name, create string
		if err := rows.Scan(&kind, &name, &create); err != nil {
			rows.Close()
			return err
		}
		drops = append(drops, "DROP "+strings.ToUpper(kind)+" "+quoteIdent(name))
		im.dropped = append(im.dropped, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, drop := range drops {
		if _, err := im.tx.ExecContext(im.ctx, drop); err != nil {
			return err
		}
	}
	return nil
}

// Rollback abandons the import; the store is left as it was. It does
// nothing once the import is committed or abandoned.
func (im *Import) Rollback() error {
	err := im.tx.Rollback()
	im.release()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// Commit makes the import permanent.
func (im *Import) Commit() error {
	err := im.tx.Commit()
	im.release()
	if err != nil {
		return fmt.Errorf("enregistrement de l'import : %w", err)
	}
	return nil
}

// release gives the connection back, enforcing foreign keys again.
func (im *Import) release() {
	if im.conn == nil {
		return
	}
	if im.unchecked {
		im.conn.ExecContext(context.WithoutCancel(im.ctx), `PRAGMA foreign_keys = ON`)
	}
	im.conn.Close()
	im.conn = nil
}

// FileInfo says how a file was read.
type FileInfo struct {
	Name      string // as given to pixcert import
	Format    string // what it was read as
	Encoding  string // "" for a workbook
	Separator rune   // 0 for a workbook or XML
	Sheet     string // the sheet of a workbook
}

// BeginFile records that file number fileNo of the plan is read now.
func (im *Import) BeginFile(fileNo int, info FileInfo) error {
	plan, estab := im.plans[fileNo], im.fileEstab[fileNo]
	var separator any
	if info.Separator != 0 {
		separator = string(info.Separator)
	}
	res, err := im.tx.ExecContext(im.ctx, `INSERT INTO imports (run, establishment_id, kind, file_name, sha256, imported_at,
		row_count, format, encoding, separator, sheet) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
		im.run, estab.id, string(plan.Kind), info.Name, nullIfEmpty(plan.SHA256), im.now.UTC().Format(time.RFC3339),
		info.Format, nullIfEmpty(info.Encoding), separator, nullIfEmpty(info.Sheet))
	if err != nil {
		return fmt.Errorf("enregistrement de l'import de %s : %w", info.Name, err)
	}
	f := &fileState{campaigns: map[int64]bool{}}
	if f.importID, err = res.LastInsertId(); err != nil {
		return err
	}
	im.files[fileNo] = f
	if plan.Kind == KindRoster {
		rr := im.rosters[estab.id]
		if rr == nil {
			if im.exports {
				return errors.New("les listes d'élèves doivent être importées avant les exports")
			}
			students := int(im.rosterBytes / rosterRowBytes)
			rr = &rosterRun{index: match.NewIndex(students)}
			im.rosters[estab.id] = rr
		}
		rr.imports = append(rr.imports, f.importID)
	}
	return nil
}

// EndFile records how many rows file number fileNo held.
func (im *Import) EndFile(fileNo, rows int) error {
	f := im.files[fileNo]
	var campaign any
	if len(f.campaigns) == 1 {
		for id := range f.campaigns {
			campaign = id
		}
	}
	_, err := im.tx.ExecContext(im.ctx, `UPDATE imports SET row_count = ?, campaign_id = ? WHERE id = ?`, rows, campaign, f.importID)
	return err
}

// StudentRow is a roster student ready to store, its keys derived: the
// work a reading goroutine does while the store writes.
type StudentRow struct {
	s                  roster.Student
	nationalID, number string
	keys               studentKeys
	nameKeys           []string
}

// PrepareStudent derives what storing a roster student needs.
func PrepareStudent(s roster.Student) StudentRow {
	r := StudentRow{s: s, nationalID: strings.ToUpper(s.NationalID), number: strings.ToUpper(s.StudentNumber),
		keys: studentKeysOf(s.LastName, s.UsageName, s.FirstName, s.Class)}
	r.nameKeys = r.matchStudent(0).NameKeys()
	return r
}

func (r *StudentRow) matchStudent(id int64) match.Student {
	return match.Student{ID: id, NationalID: r.nationalID, StudentNumber: r.number, LastName: r.s.LastName,
		UsageName: r.s.UsageName, FirstNames: r.s.FirstName, Class: r.s.Class}
}

// AddStudent stores a row of a roster of file number fileNo, a new
// student or the one already stored: the same national id, else the same
// student number, else the same name and birth date. The first row that
// lists a student in an import stands.
func (im *Import) AddStudent(fileNo int, r StudentRow) (StudentChange, error) {
	estab, f := im.fileEstab[fileNo], im.files[fileNo]
	rr := im.rosters[estab.id]
	id, stored, err := im.findStudent(estab.id, rr, &r)
	if err != nil {
		return 0, fmt.Errorf("recherche de l'élève %s : %w", r.s, err)
	}
	if id != 0 && rr.listed.has(id) {
		return StudentUnchanged, nil
	}
	change := StudentAdded
	if stored {
		if change, err = im.updateStudent(id, &r, f.importID); err != nil {
			return 0, fmt.Errorf("mise à jour de l'élève %s : %w", r.s, err)
		}
	} else {
		im.lastStudent++
		id = im.lastStudent
		if err := im.students.add(id, estab.id, nullIfEmpty(r.nationalID), nullIfEmpty(r.number), r.s.LastName,
			nullIfEmpty(r.s.UsageName), r.s.FirstName, nullIfEmpty(r.s.Birthdate), nullIfEmpty(r.s.Class), 1, f.importID,
			r.keys.name, r.keys.class, r.keys.search); err != nil {
			return 0, fmt.Errorf("ajout de l'élève %s : %w", r.s, err)
		}
		if !im.bulk {
			im.affected[id] = true
		}
	}
	rr.listed.add(id)
	rr.index.Add(r.matchStudent(id))
	return change, nil
}

// findStudent finds the student a roster row is: among those this import
// listed, then those stored before it.
func (im *Import) findStudent(estab int64, rr *rosterRun, r *StudentRow) (id int64, stored bool, err error) {
	for _, key := range []string{r.nationalID, r.number} {
		if key == "" {
			continue
		}
		if id, err := rr.index.ByID(key); id > 0 || err != nil {
			return id, false, err
		}
	}
	hasIDs := r.nationalID != "" || r.number != ""
	if id, err := im.listedWithIdentity(rr, r, hasIDs); id != 0 || err != nil {
		return id, false, err
	}
	if im.bulk {
		return 0, false, nil
	}
	for _, q := range []struct {
		key  string
		stmt *sql.Stmt
	}{{r.nationalID, im.stmt.studentByNationalID}, {r.number, im.stmt.studentByNumber}} {
		if q.key == "" {
			continue
		}
		if id, err := scanID(q.stmt.QueryRowContext(im.ctx, q.key, estab)); err != nil || id != 0 {
			return id, id != 0, err
		}
	}
	if hasIDs {
		id, err := scanID(im.stmt.studentByIdentity.QueryRowContext(im.ctx, estab, r.keys.name, r.s.Birthdate))
		return id, id != 0, err
	}
	// No id: the student of that name and birth date, with ids or not,
	// found among those whose names hold the same words.
	id, err = im.studentWithIdentity(estab, r.keys.name, r.s.Birthdate)
	return id, id != 0, err
}

// listedWithIdentity finds, among the students this import listed, the
// first with the name and birth date of a row: any for a row without an
// id, one without an id for a row with one (the ids tell namesakes born
// the same day apart).
func (im *Import) listedWithIdentity(rr *rosterRun, r *StudentRow, hasIDs bool) (int64, error) {
	for _, id := range rr.index.Named(r.keys.name) {
		nameKey, birthdate, withIDs, err := im.identityOfStudent(id)
		if err != nil {
			return 0, err
		}
		if nameKey == r.keys.name && birthdate == r.s.Birthdate && !(hasIDs && withIDs) {
			return id, nil
		}
	}
	return 0, nil
}

// identityOfStudent reads a student's name key, birth date and whether it
// has an id: from the batch when it waits there, else from the store.
func (im *Import) identityOfStudent(id int64) (nameKey, birthdate string, hasIDs bool, err error) {
	if first := im.lastStudent - int64(im.students.rows) + 1; id >= first {
		row := im.students.args[(id-first)*studentColumns:]
		text := func(v any) string { s, _ := v.(string); return s }
		return text(row[11]), text(row[7]), row[2] != nil || row[3] != nil, nil
	}
	err = im.stmt.identityOfStudent.QueryRowContext(im.ctx, id).Scan(&nameKey, &birthdate, &hasIDs)
	return nameKey, birthdate, hasIDs, err
}

func (im *Import) studentWithIdentity(estab int64, nameKey, birthdate string) (int64, error) {
	last, first, _ := strings.Cut(nameKey, "|")
	query := exactQuery(last, first)
	if query == "" {
		return 0, nil
	}
	return scanID(im.tx.QueryRowContext(im.ctx, `SELECT id FROM students WHERE id IN (SELECT rowid FROM student_search WHERE student_search MATCH ?)
		AND establishment_id = ? AND name_key = ? AND coalesce(birthdate, '') = ? ORDER BY id LIMIT 1`, query, estab, nameKey, birthdate))
}

func scanID(row *sql.Row) (int64, error) {
	var id int64
	err := row.Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// updateStudent writes a roster row over stored student id, which the
// current list now holds. Ids and birth date the row lacks are kept.
func (im *Import) updateStudent(id int64, r *StudentRow, importID int64) (StudentChange, error) {
	var stored roster.Student
	err := im.stmt.storedStudent.QueryRowContext(im.ctx, id).Scan(&stored.NationalID, &stored.StudentNumber, &stored.LastName,
		&stored.UsageName, &stored.FirstName, &stored.Birthdate, &stored.Class)
	if err != nil {
		return 0, err
	}
	s := r.s
	s.NationalID = cmpOr(r.nationalID, stored.NationalID)
	s.StudentNumber = cmpOr(r.number, stored.StudentNumber)
	s.Birthdate = cmpOr(s.Birthdate, stored.Birthdate)
	change := StudentUpdated
	if s.NationalID == stored.NationalID && s.StudentNumber == stored.StudentNumber && s.LastName == stored.LastName &&
		s.UsageName == stored.UsageName && s.FirstName == stored.FirstName && s.Birthdate == stored.Birthdate && s.Class == stored.Class {
		change = StudentUnchanged
	}
	k := r.keys
	if _, err := im.stmt.updateStudent.ExecContext(im.ctx, id, nullIfEmpty(s.NationalID), nullIfEmpty(s.StudentNumber), s.LastName,
		nullIfEmpty(s.UsageName), s.FirstName, nullIfEmpty(s.Birthdate), nullIfEmpty(s.Class), k.name, k.class, k.search, importID); err != nil {
		return 0, err
	}
	r.nationalID, r.number = s.NationalID, s.StudentNumber
	return change, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ParticipationRow is an export row ready to store, its keys and profile
// derived by the reading goroutine.
type ParticipationRow struct {
	p    collecte.Participation
	keys participantKeys
	// identity is the participant: campaign, name, identifier, class; its
	// first learnerLen bytes, without the class, are the learner, whatever
	// their class.
	identity    []byte
	learnerLen  int
	levels, pix string // JSON arrays
	competences int
	// hashes are those of the learner, a day and the profile: the day
	// sent_at gives, then, for a time that is on the day before in UTC,
	// that UTC day (sameSendingDay).
	hashes [2]uint64
	nHash  int
}

// sendingSeed hashes sendings to find the ones met before; their bytes are
// compared before two are taken for one.
var sendingSeed = maphash.MakeSeed()

// PrepareParticipation derives what storing an export row needs.
func PrepareParticipation(p collecte.Participation) ParticipationRow {
	r := ParticipationRow{p: p, keys: participantKeysOf(p)}
	id := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(r.keys.name)+len(r.keys.matchID)+len(r.keys.class)+2), uint64(p.CampaignID))
	id = append(append(append(id, r.keys.name...), 0), r.keys.matchID...)
	id = append(id, 0)
	r.learnerLen = len(id)
	r.identity = append(id, r.keys.class...)
	if p.Sent {
		r.levels, r.pix = profileJSON(p.Profile)
		r.competences = p.Profile.CertifiableCompetences()
		day := sentDay(p.SentAt)
		r.hashes[0], r.nHash = r.sendingHash(day), 1
		if utc := utcDay(p.SentAt); utc != day {
			r.hashes[1], r.nHash = r.sendingHash(utc), 2
		}
	}
	return r
}

// sendingHash hashes the learner, a day and the profile of a sending.
func (r *ParticipationRow) sendingHash(day string) uint64 {
	var h maphash.Hash
	h.SetSeed(sendingSeed)
	h.Write(r.identity[:r.learnerLen])
	h.WriteString(day)
	h.WriteByte(0)
	h.WriteString(r.levels)
	h.WriteString(r.pix)
	return h.Sum64()
}

// A sending is its learner's, whatever their class, on a day with a
// profile: not its minute, which an Excel re-save may drop, so that the
// same sending read again is stored once; its day is read as
// sameSendingDay says.
func sentDay(sentAt string) string { return sentAt[:min(len(sentAt), len("2006-01-02"))] }

// sameSendingDay tells whether two sent_at can date the same sending of
// a learner's profile. Two times, or two dates alone, are compared by
// their day. A date alone is the day in UTC in exports made before
// 2023/2024 (« Date de l'envoi »), the day in Paris in a current export
// re-saved by Excel: against a time in Paris, either matches.
func sameSendingDay(a, b string) bool {
	timedA, timedB := hasTime(a), hasTime(b)
	if timedA == timedB {
		return sentDay(a) == sentDay(b)
	}
	if timedB {
		a, b = b, a
	}
	return b == sentDay(a) || b == utcDay(a)
}

func hasTime(sentAt string) bool { return len(sentAt) >= len("2006-01-02 15:04") }

// utcDay is the day in UTC of a sent_at in Paris time, "YYYY-MM-DD"; a
// date alone is returned as it is.
func utcDay(sentAt string) string {
	// Paris is UTC+1 in winter, UTC+2 in summer: from 02:00 on, the day is
	// the same in UTC.
	if !hasTime(sentAt) || sentAt[11:13] >= "02" {
		return sentDay(sentAt)
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", sentAt[:len("2006-01-02 15:04")], frdate.Paris())
	if err != nil {
		return sentDay(sentAt)
	}
	return t.UTC().Format("2006-01-02")
}

// nearDays bounds the sent_at of the sendings sameSendingDay may take
// for one of sentAt: from the day before (from ≤ sent_at) to the day after
// (sent_at < to), with or without their times.
func nearDays(sentAt string) (from, to string) {
	day, err := time.Parse("2006-01-02", sentDay(sentAt))
	if err != nil {
		return sentDay(sentAt), sentDay(sentAt) + "~"
	}
	return day.AddDate(0, 0, -1).Format("2006-01-02"), day.AddDate(0, 0, 2).Format("2006-01-02")
}

// profileJSON writes the 16 levels and pix of a profile as the JSON arrays
// the sendings table holds.
func profileJSON(p certif.Profile) (levels, pix string) {
	write := func(values [certif.CompetenceCount]int) string {
		b := make([]byte, 0, 3*certif.CompetenceCount+2)
		b = append(b, '[')
		for i, v := range values {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(v), 10)
		}
		return string(append(b, ']'))
	}
	return write(p.Levels), write(p.Pix)
}

// AddParticipation stores a row of file number fileNo, an export. It
// reports whether the store did not hold it.
func (im *Import) AddParticipation(fileNo int, r *ParticipationRow) (added bool, err error) {
	if !im.exports {
		// Rosters are read: their students are written before the
		// participants that refer to them.
		im.exports = true
		if err := im.students.flush(); err != nil {
			return false, err
		}
		im.startExports()
	}
	estab, f := im.fileEstab[fileNo], im.files[fileNo]
	p := &r.p
	f.summary.Rows++
	if p.Sent {
		f.summary.Sendings++
	}
	if err := im.campaign(estab.id, f, p); err != nil {
		return false, err // a RowError as it is
	}
	i, err := im.participant(estab.id, f, r)
	if err != nil {
		return false, fmt.Errorf("participant %s : %w", p, err)
	}
	pt := &im.pts[i]
	if pt.lastFile != int16(fileNo+1) {
		pt.lastFile = int16(fileNo + 1)
		f.members = append(f.members, i)
	}
	if !p.Sent {
		added, err = im.addUnsent(pt, f.importID)
	} else {
		added, err = im.addSending(pt, f.importID, r)
	}
	if added {
		f.summary.NewRows++
	}
	if err != nil {
		return false, fmt.Errorf("participation de %s : %w", p, err)
	}
	return added, nil
}

// About how many bytes a row of a roster and of an export weighs, to
// estimate how many rows files of a given size hold.
const (
	rosterRowBytes = 90
	exportRowBytes = 200
	rowsPerLearner = 3 // a sending or two, a participation started
)

// startExports sets aside the memory exports need, sized from the files:
// a bulk load derives statuses as rows go by, for every student.
func (im *Import) startExports() {
	rows := int(min(im.exportBytes/exportRowBytes, 1<<26))
	im.participants = keytable.New(rows/rowsPerLearner, 32)
	im.sendingsSeen.reserve(rows)
	if im.bulk {
		im.latest = make([]latestSending, im.lastStudent+1)
	}
}

// RowError is a problem of one row of a file, which the file must fix:
// nothing is stored.
type RowError struct {
	Line   int
	Column string
	Msg    string
}

func (e *RowError) Error() string { return e.Msg }

// campaign records the campaign of an export row, once per import.
func (im *Import) campaign(estab int64, f *fileState, p *collecte.Participation) error {
	f.campaigns[p.CampaignID] = true
	otherEstablishment := func() error {
		return &RowError{Line: p.Line, Column: "ID Campagne", Msg: fmt.Sprintf(
			"la campagne %d (« %s ») est celle d'un autre établissement que les premières lignes du fichier : un export de Pix Orga n'en contient qu'un ; importez l'export tel que Pix Orga l'a écrit.",
			p.CampaignID, visible.Quote(p.CampaignName))}
	}
	if c := im.campaigns[p.CampaignID]; c != nil {
		if c.establishment != estab {
			return otherEstablishment()
		}
		return nil
	}
	var storedEstab int64
	err := im.tx.QueryRowContext(im.ctx, `SELECT establishment_id FROM campaigns WHERE id = ?`, p.CampaignID).Scan(&storedEstab)
	c := &campaignState{establishment: estab}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = im.tx.ExecContext(im.ctx, `INSERT INTO campaigns (id, establishment_id, code, name, external_id_label) VALUES (?, ?, ?, ?, ?)`,
			p.CampaignID, estab, nullIfEmpty(p.CampaignCode), p.CampaignName, nullIfEmpty(p.ExternalIDLabel))
	case err != nil:
	case storedEstab != estab:
		return otherEstablishment()
	default:
		c.heldBefore = true
		_, err = im.tx.ExecContext(im.ctx, `UPDATE campaigns SET code = coalesce(?, code), name = coalesce(nullif(?, ''), name),
			external_id_label = coalesce(?, external_id_label) WHERE id = ?`,
			nullIfEmpty(p.CampaignCode), p.CampaignName, nullIfEmpty(p.ExternalIDLabel), p.CampaignID)
	}
	if err != nil {
		return fmt.Errorf("campagne %d : %w", p.CampaignID, err)
	}
	im.campaigns[p.CampaignID] = c
	return nil
}

// participant finds or creates the participant of an export row, and
// returns its index in pts.
func (im *Import) participant(estab int64, f *fileState, r *ParticipationRow) (int32, error) {
	entry, added := im.participants.Add(r.identity, int32(len(im.pts)))
	if !added {
		return im.participants.Value(entry), nil
	}
	var pt participantState
	if im.campaigns[r.p.CampaignID].heldBefore {
		var id, student int64
		err := im.stmt.participantByIdentity.QueryRowContext(im.ctx, r.p.CampaignID, r.keys.name, r.keys.matchID, r.keys.class).Scan(&id, &student)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		pt.id, pt.student, pt.stored = int32(id), int32(student), id != 0
	}
	if !pt.stored {
		var decision *match.Decision
		if im.campaigns[r.p.CampaignID].heldBefore {
			var err error
			if decision, err = im.learnersDecision(estab, r); err != nil {
				return 0, err
			}
		}
		res, err := match.Match(im.finder(estab), match.Participant{LastName: r.p.LastName, FirstName: r.p.FirstName,
			Class: r.p.Class, MatchID: r.keys.matchID}, decision)
		if err != nil {
			return 0, err
		}
		im.lastParticipant++
		if im.lastParticipant > math.MaxInt32 || res.Student > math.MaxInt32 {
			return 0, errors.New("plus de deux milliards de participants ou d'élèves : pixcert n'en tient pas autant")
		}
		pt.id, pt.student = int32(im.lastParticipant), int32(res.Student)
		var method any
		if res.Student != 0 {
			method = string(res.Method)
		}
		p := &r.p
		if err := im.newParticipants.add(im.lastParticipant, p.CampaignID, f.importID, p.LastName, p.FirstName, nullIfEmpty(p.Class),
			nullIfEmpty(p.StudentNumber), nullIfEmpty(p.ExternalID), r.keys.name, r.keys.class, r.keys.matchID,
			nullIfZero(res.Student), method); err != nil {
			return 0, err
		}
	}
	im.pts = append(im.pts, pt)
	return int32(len(im.pts) - 1), nil
}

// learnersDecision is the latest decision a person made about the learner
// of an export row under another class: a later export shows the learner's
// new class, and the decision follows them. It is recorded for the new
// participant too, once written (Finish).
func (im *Import) learnersDecision(estab int64, r *ParticipationRow) (*match.Decision, error) {
	var student sql.NullInt64
	var decidedAt string
	err := im.stmt.learnersDecision.QueryRowContext(im.ctx, r.p.CampaignID, r.keys.name, r.keys.matchID).Scan(&student, &decidedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d := &match.Decision{}
	if student.Valid && im.inCurrentList(estab, student.Int64) {
		d.Student = student.Int64
	}
	im.followedDecisions = append(im.followedDecisions, followedDecision{im.lastParticipant + 1, student, decidedAt})
	return d, nil
}

// followedDecision is a decision that follows a learner to a participant
// this import creates.
type followedDecision struct {
	participant int64
	student     sql.NullInt64
	decidedAt   string
}

// inCurrentList tells whether a student is in the current list of an
// establishment, as this import leaves it.
func (im *Import) inCurrentList(estab, student int64) bool {
	if rr := im.rosters[estab]; rr != nil {
		return rr.listed.has(student)
	}
	var ok bool
	im.tx.QueryRowContext(im.ctx, `SELECT EXISTS (SELECT 1 FROM students WHERE id = ? AND current = 1 AND establishment_id = ?)`,
		student, estab).Scan(&ok)
	return ok
}

// finder is the roster a new participant of an establishment is matched
// with: the one this import reads, else the current one, in the store.
func (im *Import) finder(estab int64) match.Finder {
	if rr := im.rosters[estab]; rr != nil {
		return rr.index
	}
	f := im.finders[estab]
	if f == nil {
		f = newStoredRoster(im.ctx, im.tx, estab)
		im.finders[estab] = f
	}
	return f
}

// addUnsent records a participant's participation started and not sent,
// and reports whether it is new: a participant has one, which a file of
// this import may have given already, or an import before it.
func (im *Import) addUnsent(pt *participantState, importID int64) (bool, error) {
	if pt.unsent {
		return false, nil
	}
	if pt.stored {
		var has bool
		if err := im.stmt.hasUnsent.QueryRowContext(im.ctx, int64(pt.id)).Scan(&has); err != nil {
			return false, err
		}
		if has {
			pt.unsent = true
			return false, nil
		}
	}
	if err := im.unsent.add(int64(pt.id), importID); err != nil {
		return false, err
	}
	pt.unsent = true
	return true, nil
}

// addSending stores a sending unless the store holds it already: this
// import's sendings are found by their hash and compared, stored ones
// through the learner's participants.
func (im *Import) addSending(pt *participantState, importID int64, r *ParticipationRow) (bool, error) {
	sentAt := r.p.SentAt
	for _, h := range r.hashes[:r.nHash] {
		for _, candidate := range im.sendingsSeen.get(h) {
			same, err := im.sameSending(int64(candidate), r)
			if err != nil || same {
				return false, err
			}
		}
	}
	if im.campaigns[r.p.CampaignID].heldBefore {
		// The sending may be another participant's, the same learner
		// under another class: its own student's status may change.
		id, stored, owner, err := im.storedSending(r)
		if err != nil {
			return false, err
		}
		if id != 0 {
			return false, im.morePreciseTime(id, stored, sentAt, owner)
		}
	}
	im.lastSending++
	id := im.lastSending
	if id > math.MaxInt32 {
		return false, errors.New("plus de deux milliards d'envois : pixcert n'en tient pas autant")
	}
	if err := im.sendings.add(id, int64(pt.id), importID, sentAt, r.p.PixTotal, r.competences, r.levels, r.pix); err != nil {
		return false, err
	}
	for _, h := range r.hashes[:r.nHash] {
		im.sendingsSeen.put(h, int32(id))
	}
	if pt.student != 0 {
		if im.bulk {
			im.latest[pt.student].add(newSendingRank(id, sentAt, int64(r.competences), int64(r.p.PixTotal), r.pix))
		} else {
			im.affected[int64(pt.student)] = true
		}
	}
	return true, nil
}

// storedSending finds the sending stored before this import that an
// export row gives again: its id (0: none), sent_at and student.
func (im *Import) storedSending(r *ParticipationRow) (id int64, sentAt string, student int64, err error) {
	from, to := nearDays(r.p.SentAt)
	rows, err := im.stmt.storedSendingOfLearner.QueryContext(im.ctx, r.p.CampaignID, r.keys.name, r.keys.matchID, from, to, r.levels, r.pix)
	if err != nil {
		return 0, "", 0, err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&id, &sentAt, &student); err != nil {
			return 0, "", 0, err
		}
		if sameSendingDay(sentAt, r.p.SentAt) {
			return id, sentAt, student, nil
		}
	}
	return 0, "", 0, rows.Err()
}

// sameSending compares a sending of this import with an export row, after
// writing what waits: their hashes are equal.
func (im *Import) sameSending(id int64, r *ParticipationRow) (bool, error) {
	if err := im.flush(); err != nil {
		return false, err
	}
	var campaign int64
	var name, matchID, sentAt, levels, pix string
	err := im.tx.QueryRowContext(im.ctx, `SELECT p.campaign_id, p.name_key, p.match_id, s.sent_at, s.levels, s.pix
		FROM sendings s JOIN participants p ON p.id = s.participant_id WHERE s.id = ?`, id).Scan(&campaign, &name, &matchID, &sentAt, &levels, &pix)
	if err != nil {
		return false, err
	}
	same := campaign == r.p.CampaignID && name == r.keys.name && matchID == r.keys.matchID &&
		sameSendingDay(sentAt, r.p.SentAt) && levels == r.levels && pix == r.pix
	if same {
		var student int64
		if err := im.tx.QueryRowContext(im.ctx, `SELECT coalesce(p.student_id, 0) FROM sendings s JOIN participants p ON p.id = s.participant_id
			WHERE s.id = ?`, id).Scan(&student); err != nil {
			return false, err
		}
		return true, im.morePreciseTime(id, sentAt, r.p.SentAt, student)
	}
	return false, nil
}

// morePreciseTime gives a stored sending the time a later file gives it,
// when the file it came from gave only its day (an Excel re-save).
func (im *Import) morePreciseTime(id int64, stored, read string, student int64) error {
	if len(stored) >= len(read) {
		return nil
	}
	if _, err := im.tx.ExecContext(im.ctx, `UPDATE sendings SET sent_at = ? WHERE id = ?`, read, id); err != nil {
		return err
	}
	if student != 0 {
		im.affected[student] = true
		im.recomputeAll = im.recomputeAll || im.bulk
	}
	return nil
}

// flush writes every row waiting in a batch, parents first.
func (im *Import) flush() error {
	for _, b := range []*batch{im.students, im.newParticipants, im.sendings, im.unsent} {
		if err := b.flush(); err != nil {
			return err
		}
	}
	return nil
}

// Finish ends the reading: the lists read become the current ones, stored
// participants are matched again with them, statuses are derived, and it
// returns what became of each export file and how many students left the
// current lists.
func (im *Import) Finish() (files map[int]FileSummary, leftRoster int, err error) {
	if err := im.flush(); err != nil {
		return nil, 0, err
	}
	for _, d := range im.followedDecisions {
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO decisions (participant_id, student_id, decided_at) VALUES (?, ?, ?)`,
			d.participant, d.student, d.decidedAt); err != nil {
			return nil, 0, fmt.Errorf("décision suivant un élève dans sa nouvelle classe : %w", err)
		}
	}
	for estab, rr := range im.rosters {
		left, err := im.closeRoster(estab, rr)
		if err != nil {
			return nil, 0, err
		}
		leftRoster += left
	}
	files = im.summaries()
	// Results are matched once the lists are the current ones, and
	// indexed: a list of this import may hold the students they name.
	for estab := range im.rosters {
		im.resultEstabs[estab] = true
	}
	switch {
	case im.recomputeAll:
		if err := im.rebuildAfterBulkLoad(); err != nil {
			return nil, 0, err
		}
		err = recomputeAllStatuses(im.ctx, im.tx)
	case im.bulk:
		if err = im.writeBulkStatuses(); err == nil {
			err = im.rebuildAfterBulkLoad()
		}
	default:
		err = im.writeAffectedStatuses()
	}
	if err != nil {
		return nil, 0, err
	}
	for estab := range im.resultEstabs {
		if err := im.matchResults(estab); err != nil {
			return nil, 0, fmt.Errorf("rapprochement des résultats de certification : %w", err)
		}
	}
	for no, f := range im.files {
		if im.plans[no].Kind != KindResults {
			continue
		}
		s := files[no]
		if err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM certification_result_sources so
			JOIN certification_results r ON r.id = so.result_id WHERE so.import_id = ? AND r.student_id IS NULL AND r.matched_by IS NULL`,
			f.importID).Scan(&s.Unmatched); err != nil {
			return nil, 0, err
		}
		files[no] = s
	}
	return files, leftRoster, nil
}

// closeRoster makes the list an import read the establishment's current
// one, and matches the participants stored before with it.
func (im *Import) closeRoster(estab int64, rr *rosterRun) (left int, err error) {
	placeholders := strings.TrimSuffix(strings.Repeat("?,", len(rr.imports)), ",")
	args := []any{estab}
	for _, id := range rr.imports {
		args = append(args, id)
	}
	res, err := im.tx.ExecContext(im.ctx, `UPDATE students SET current = 0 WHERE establishment_id = ? AND current = 1
		AND roster_import_id NOT IN (`+placeholders+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("liste actuelle : %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if im.storedParticipants > 0 {
		if err := im.rematch(estab, rr); err != nil {
			return 0, err
		}
	}
	return int(n), nil
}

// rematch matches again, with the roster this import read, the
// participants of the establishment stored before it.
func (im *Import) rematch(estab int64, rr *rosterRun) error {
	decisions, err := latestDecisions(im.ctx, im.tx, `p.campaign_id IN (SELECT id FROM campaigns WHERE establishment_id = ?)`, estab)
	if err != nil {
		return err
	}
	type change struct {
		participant, student int64
		method               match.Method
	}
	var changes []change
	err = eachParticipant(im.ctx, im.tx, `c.establishment_id = ? AND p.id <= ?`, []any{estab, im.storedParticipants},
		func(p storedParticipant) error {
			d := decisions[p.id]
			if d != nil && d.Student != 0 && !rr.listed.has(d.Student) {
				d = &match.Decision{} // the student a person chose left the list
			}
			res, err := match.Match(rr.index, p.Participant, d)
			if err != nil {
				return err
			}
			if res.Student != p.student || res.Method != p.method {
				changes = append(changes, change{p.id, res.Student, res.Method})
				im.affected[p.student], im.affected[res.Student] = true, true
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("rapprochement des participants : %w", err)
	}
	update, err := im.tx.PrepareContext(im.ctx, `UPDATE participants SET student_id = ?, matched_by = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer update.Close()
	byID := map[int64]int{} // the participants this import met, by id
	for i, pt := range im.pts {
		if pt.stored {
			byID[int64(pt.id)] = i
		}
	}
	for _, c := range changes {
		var method any
		if c.student != 0 {
			method = string(c.method)
		}
		if _, err := update.ExecContext(im.ctx, nullIfZero(c.student), method, c.participant); err != nil {
			return fmt.Errorf("rapprochement des participants : %w", err)
		}
		if i, ok := byID[c.participant]; ok {
			im.pts[i].student = int32(c.student)
		}
	}
	delete(im.affected, 0)
	return nil
}

// rebuildAfterBulkLoad creates again what a bulk load dropped, and indexes
// the names of the students for search. What the import kept in memory is
// let go first: building an index sorts its keys, which SQLite does in
// memory up to its cache's size, in temporary files beyond.
func (im *Import) rebuildAfterBulkLoad() error {
	if len(im.dropped) == 0 {
		return nil
	}
	im.participants, im.pts, im.sendingsSeen, im.latest, im.rosters = nil, nil, hashIDs{}, nil, nil
	runtime.GC()
	debug.FreeOSMemory()
	if _, err := im.tx.ExecContext(im.ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkIndexCacheKiB)); err != nil {
		return err
	}
	defer im.tx.ExecContext(im.ctx, `PRAGMA cache_size = -2000`) // SQLite's default
	for _, create := range im.dropped {
		if _, err := im.tx.ExecContext(im.ctx, create); err != nil {
			return fmt.Errorf("construction des index : %w", err)
		}
	}
	im.dropped = nil
	// Rebuilt, then merged into one segment: a name is then found by one
	// lookup, not one per segment.
	if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO student_search (student_search) VALUES ('rebuild');
		INSERT INTO student_search (student_search) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("index de recherche des noms : %w", err)
	}
	return nil
}

// writeBulkStatuses writes every student's status, derived as the rows of
// a bulk load went by.
func (im *Import) writeBulkStatuses() error {
	w := newStatusWriter(im.ctx, im.tx)
	w.insert = newBatch(im.ctx, im.tx, `INSERT INTO statuses (student_id, status, sending_id, sendings)`, 4) // into an empty table
	for id := int64(1); id <= im.lastStudent; id++ {
		var l *latestSending
		if id < int64(len(im.latest)) {
			l = &im.latest[id]
		} else {
			l = &latestSending{}
		}
		if err := w.write(id, l); err != nil {
			return fmt.Errorf("calcul des statuts : %w", err)
		}
	}
	if err := w.insert.flush(); err != nil {
		return fmt.Errorf("calcul des statuts : %w", err)
	}
	return nil
}

// writeAffectedStatuses derives again the statuses of the students this
// import touched.
func (im *Import) writeAffectedStatuses() error {
	if len(im.affected) == 0 {
		return nil
	}
	b := newBatch(im.ctx, im.tx, `INSERT OR IGNORE INTO temp.affected_students (id)`, 1)
	for id := range im.affected {
		if err := b.add(id); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	return recomputeStatuses(im.ctx, im.tx)
}

func (im *Import) summaries() map[int]FileSummary {
	out := map[int]FileSummary{}
	for no, f := range im.files {
		s := f.summary
		s.Participants = len(f.members)
		for _, i := range f.members {
			if im.pts[i].student == 0 {
				s.Unmatched++
			}
		}
		out[no] = s
	}
	return out
}

// hashIDs finds the ids stored under a hash, in 8 bytes a slot: a
// sending's id and 32 bits of its hash, which is enough to pick the few
// sendings to compare bytes with. Several ids may share a hash.
type hashIDs struct {
	slots []uint64 // id in the low 32 bits (0: empty), hash in the high ones
	n     int
}

func (t *hashIDs) slotOf(h uint32) int { return int(uint64(h) * uint64(len(t.slots)) >> 32) }

func (t *hashIDs) next(i int) int {
	if i++; i == len(t.slots) {
		return 0
	}
	return i
}

func (t *hashIDs) get(h uint64) []int32 {
	if t.n == 0 {
		return nil
	}
	var out []int32
	for i := t.slotOf(uint32(h)); t.slots[i] != 0; i = t.next(i) {
		if uint32(t.slots[i]>>32) == uint32(h) {
			out = append(out, int32(uint32(t.slots[i])))
		}
	}
	return out
}

// reserve sizes the table for about n ids, at most four fifths full.
func (t *hashIDs) reserve(n int) {
	if size := max(1024, n+n/4+1); size > len(t.slots) {
		old := t.slots
		t.slots, t.n = make([]uint64, size), 0
		for _, s := range old {
			if s != 0 {
				t.put(s>>32, int32(uint32(s)))
			}
		}
	}
}

func (t *hashIDs) put(h uint64, id int32) {
	if (t.n+1)*5 > len(t.slots)*4 {
		t.reserve(max(1024, t.n*3/2))
	}
	i := t.slotOf(uint32(h))
	for t.slots[i] != 0 {
		i = t.next(i)
	}
	t.slots[i] = uint64(uint32(h))<<32 | uint64(uint32(id))
	t.n++
}
