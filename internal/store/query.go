package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"

	"modernc.org/sqlite"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fold"
)

// StudentStatus is a student of the current roster with their status.
type StudentStatus struct {
	ID            int64
	LastName      string
	FirstName     string
	Class         string
	Birthdate     string // YYYY-MM-DD or ""
	NationalID    string // INE; "" when none
	StudentNumber string // higher education; "" when none
	Status        certif.Status
	StatusDate    string // YYYY-MM-DD[ HH:MM] of the latest sending; "" when not communicated
	Sendings      int
	HasProfile    bool   // false when not communicated
	Campaign      string // campaign of the latest sending
	// PendingCampaign is a campaign the student joined without sending a
	// profile, when they never sent one.
	PendingCampaign string
	PixTotal        int
	CertifiableCt   int
	Profile         certif.Profile

	EstablishmentID int64
	Establishment   string // its organization's name; "" while no export named it
	// LatestCollection is the most recent collecte of the student's class
	// (LatestCollections) when their last profile was sent before it
	// began: they should send it again. "" otherwise.
	LatestCollection string

	// Before is the student's status at an earlier day and the sending
	// that decided it ("" when none), in a snapshot compared with that day
	// (Snapshot.CompareWith).
	Before     certif.Status
	BeforeDate string
	BeforeCt   int // certifiable competences then

	// Certification is the status of the student's latest certification
	// as Pix Orga exported it (Validée, Rejetée...), CertifiedOn its day
	// (YYYY-MM-DD); "" when no results export names the student.
	Certification, CertifiedOn string

	classKey string
}

// Sort orders of Students.
const (
	SortName        = "name"
	SortClass       = "class"
	SortCompetences = "competences"
	SortDate        = "date"
)

// Sorts lists the accepted sort orders.
var Sorts = []string{SortName, SortClass, SortCompetences, SortDate}

// Filter selects students; empty fields select everything.
type Filter struct {
	IDs           []int64         // these students
	Establishment int64           // of this establishment
	Classes       []string        // any of these classes, compared folded
	Statuses      []certif.Status // any of these statuses
	Search        string          // words that begin words of the names, compared folded
	Sort          string          // one of Sorts; SortClass when empty
}

// Students lists the students of the current roster that pass the filter.
// Each condition is answered by an index: a class by students_class, a
// name by student_search. A list that may be long is better read with
// EachStudent.
func (s *Store) Students(ctx context.Context, f Filter) ([]StudentStatus, error) {
	var out []StudentStatus
	err := s.EachStudent(ctx, f, func(st *StudentStatus) error {
		out = append(out, *st)
		return nil
	})
	return out, err
}

// EachStudent calls each with the students of the current roster that
// pass the filter, in its order, one at a time: memory does not grow with
// the list. each's argument is reused: copy it to keep it. An error from
// each stops the reading and is returned.
func (s *Store) EachStudent(ctx context.Context, f Filter, each func(*StudentStatus) error) error {
	return eachStudentInOrder(ctx, s.db, today, f, each)
}

// statusSource is where a reading of students takes their statuses from.
type statusSource struct {
	table string // "statuses", kept by every import, or a temporary table of another day's
	until string // that day, YYYY-MM-DD: sendings after it are unknown; "" for today
	// before, when not "", is a temporary table of earlier statuses each
	// student is compared with.
	before string
}

var today = statusSource{table: "statuses"}

// Snapshot is one state of the store, for a command that reads it more
// than once: a long table is measured, then drawn, from the same students
// whatever another pixcert imports meanwhile. It is a read transaction,
// which keeps a writer waiting: close it as soon as the reading is done.
// While it is open, the store is read through it only.
type Snapshot struct {
	tx     *sql.Tx
	source statusSource
}

// Snapshot begins a snapshot of the store.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("lecture de la base : %w", err)
	}
	return &Snapshot{tx: tx, source: today}, nil
}

// Close ends the snapshot.
func (sn *Snapshot) Close() error { return sn.tx.Rollback() }

// EachStudent is Store.EachStudent, in the snapshot.
func (sn *Snapshot) EachStudent(ctx context.Context, f Filter, each func(*StudentStatus) error) error {
	return eachStudentInOrder(ctx, sn.tx, sn.source, f, each)
}

// AsOf makes the snapshot's statuses those of the end of day (YYYY-MM-DD,
// Europe/Paris, as sendings are dated): each student's last profile sent
// by then decides. The students are those of the current roster.
func (sn *Snapshot) AsOf(ctx context.Context, day string) error {
	if err := statusesAt(ctx, sn.tx, "statuses_at", day); err != nil {
		return err
	}
	sn.source.table, sn.source.until = "temp.statuses_at", day
	return nil
}

// CompareWith gives each student read from the snapshot their status at
// the end of day too (StudentStatus.Before): "" is before any sending,
// when everyone was not communicated.
func (sn *Snapshot) CompareWith(ctx context.Context, day string) error {
	if err := statusesAt(ctx, sn.tx, "statuses_before", day); err != nil {
		return err
	}
	sn.source.before = "temp.statuses_before"
	return nil
}

// statusesAt fills the temporary table name with the statuses of the
// current students at the end of day; "" leaves it empty: before any
// sending. A temporary table is the connection's own, in the snapshot's
// transaction: nothing is written to the store.
func statusesAt(ctx context.Context, tx *sql.Tx, name, day string) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+name+` (student_id INTEGER PRIMARY KEY, status TEXT NOT NULL,
		sending_id INTEGER, sendings INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("statuts au %s : %w", day, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.`+name); err != nil {
		return fmt.Errorf("statuts au %s : %w", day, err)
	}
	if day == "" {
		return nil
	}
	insert := newBatch(ctx, tx, `INSERT INTO temp.`+name+` (student_id, status, sending_id, sendings)`, 4)
	err := eachDerivedStatus(ctx, tx, "st.current = 1", day, func(student int64, l *latestSending) error {
		return insert.add(student, string(l.status()), nullIfZero(int64(l.rank.id)), l.sendings)
	})
	if err == nil {
		err = insert.flush()
	}
	if err != nil {
		return fmt.Errorf("statuts au %s : %w", day, err)
	}
	return nil
}

// sortedInMemory is how many students are read whole and sorted in Go, as
// fast as it gets for a school; a longer list is sorted by SQLite, which
// keeps a bounded part of it in memory and the rest in temporary files.
var sortedInMemory = 20_000

// errLongList stops the reading of a list too long to sort in memory.
var errLongList = errors.New("liste longue")

// eachStudentInOrder calls each with the students f selects, in f's order,
// each with the latest collecte of their class when their profile is older.
func eachStudentInOrder(ctx context.Context, q querier, src statusSource, f Filter, each func(*StudentStatus) error) error {
	where, args, order, err := f.query()
	if err != nil {
		return err
	}
	var list []StudentStatus
	classes := map[classOf]bool{}
	err = eachStudent(ctx, q, src, where, args, "", func(st *StudentStatus) error {
		if len(list) == sortedInMemory {
			return errLongList
		}
		list = append(list, *st)
		classes[classOf{st.EstablishmentID, st.classKey}] = true
		return nil
	})
	switch {
	case errors.Is(err, errLongList):
		list = nil
		latest, err := latestCollections(ctx, q, src.until, nil)
		if err != nil {
			return err
		}
		return eachStudent(ctx, q, src, where, args, sqlOrders[order], func(st *StudentStatus) error {
			markOlder(st, latest)
			return each(st)
		})
	case err != nil:
		return err
	}
	latest, err := latestCollections(ctx, q, src.until, classes)
	if err != nil {
		return err
	}
	sortStudents(list, order)
	for i := range list {
		markOlder(&list[i], latest)
		if err := each(&list[i]); err != nil {
			return err
		}
	}
	return nil
}

// classOf is a class of an establishment, by its key.
type classOf struct {
	establishment int64
	class         string
}

// collection is a collecte campaign as a class took part in it.
type collection struct {
	campaign string
	began    string // the first profile a student of the class sent in it: YYYY-MM-DD[ HH:MM]
}

// manyClasses is how many classes are looked up by name; more are read
// with all the others.
const manyClasses = 500

// latestCollections finds the most recent collecte of each class of the
// current rosters (of classes, when not nil): among the campaigns its
// students sent profiles to, the one whose first profile from the class
// came last. A class's own dates are what tell: another level's campaign
// run later does not make its profiles old. Every sending counts, not
// only those that decide a status, so that a profile sent late to an
// older campaign does not make it the latest.
func latestCollections(ctx context.Context, q querier, until string, classes map[classOf]bool) (map[classOf]collection, error) {
	where, args := "", []any{}
	if until != "" {
		where, args = " AND substr(se.sent_at, 1, 10) <= ?", append(args, until)
	}
	if classes != nil && len(classes) <= manyClasses {
		if len(classes) == 0 {
			return nil, nil
		}
		keys := map[string]bool{}
		for c := range classes {
			if !keys[c.class] {
				keys[c.class] = true
				args = append(args, c.class)
			}
		}
		where += " AND s.class_key IN (" + placeholders(len(keys)) + ")"
	}
	rows, err := q.QueryContext(ctx, `SELECT s.establishment_id, s.class_key, c.name, min(se.sent_at) FROM students s
		JOIN participants p ON p.student_id = s.id JOIN sendings se ON se.participant_id = p.id JOIN campaigns c ON c.id = p.campaign_id
		WHERE s.current = 1`+where+` GROUP BY s.establishment_id, s.class_key, p.campaign_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des collectes : %w", err)
	}
	defer rows.Close()
	latest := map[classOf]collection{}
	for rows.Next() {
		var class classOf
		var c collection
		if err := rows.Scan(&class.establishment, &class.class, &c.campaign, &c.began); err != nil {
			return nil, fmt.Errorf("lecture des collectes : %w", err)
		}
		if l, ok := latest[class]; !ok || sentBefore(l.began, c.began) || (l.began == c.began && c.campaign < l.campaign) {
			latest[class] = c
		}
	}
	return latest, rows.Err()
}

// markOlder sets the student's LatestCollection when their last profile
// was sent before the latest collecte of their class began.
func markOlder(st *StudentStatus, latest map[classOf]collection) {
	if l, ok := latest[classOf{st.EstablishmentID, st.classKey}]; ok && st.HasProfile && sentBefore(st.StatusDate, l.began) {
		st.LatestCollection = l.campaign
	}
}

// sentBefore tells whether a sending at a came before one at b, both
// YYYY-MM-DD[ HH:MM]. An export made before 2024 gives days only: a day
// compares with a day.
func sentBefore(a, b string) bool {
	if len(a) < len(b) {
		b = b[:len(a)]
	} else {
		a = a[:len(b)]
	}
	return a < b
}

// query is the condition on students s and statuses st that f makes, and
// its order.
func (f Filter) query() (where string, args []any, order string, err error) {
	order = cmp.Or(f.Sort, SortClass)
	if !slices.Contains(Sorts, order) {
		return "", nil, "", fmt.Errorf("tri « %s » inconnu : choisissez parmi %s", f.Sort, strings.Join(Sorts, ", "))
	}
	conditions := []string{"1"}
	if len(f.IDs) > 0 {
		conditions = append(conditions, "s.id IN ("+placeholders(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.Establishment != 0 {
		conditions, args = append(conditions, "s.establishment_id = ?"), append(args, f.Establishment)
	}
	if len(f.Classes) > 0 {
		conditions = append(conditions, "s.class_key IN ("+placeholders(len(f.Classes))+")")
		for _, c := range f.Classes {
			args = append(args, fold.Key(c))
		}
	}
	if len(f.Statuses) > 0 {
		conditions = append(conditions, "st.status IN ("+placeholders(len(f.Statuses))+")")
		for _, status := range f.Statuses {
			args = append(args, string(status))
		}
	}
	if query := searchQuery(f.Search); query != "" {
		conditions, args = append(conditions, "s.id IN (SELECT rowid FROM student_search WHERE student_search MATCH ?)"), append(args, query)
	}
	return strings.Join(conditions, " AND "), args, order, nil
}

// sqlOrders are the Sorts as SQLite sorts a long list, in the order
// sortStudents gives: pixcert_sort_key is fold.SortKey of the class and
// the names, which SQLite computes once per student.
var sqlOrders = map[string]string{
	SortClass: `s.establishment_id, pixcert_sort_key('class', s.class, s.last_name, s.first_names), s.id`,
	SortName:  `pixcert_sort_key('name', s.class, s.last_name, s.first_names), s.id`,
	SortCompetences: `CASE WHEN st.sending_id IS NULL THEN -1 ELSE se.certifiable_competences END DESC,
		pixcert_sort_key('name', '', s.last_name, s.first_names), s.id`,
	SortDate: `coalesce(se.sent_at, '') DESC, pixcert_sort_key('name', '', s.last_name, s.first_names), s.id`,
}

func init() {
	// The key of a class then a name (or a name then a class) is one blob:
	// the keys hold letters, digits and the space between the names, so a
	// 0 byte between them compares as comparing them in turn does.
	sqlite.MustRegisterDeterministicScalarFunction("pixcert_sort_key", 4, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		text := func(v driver.Value) string {
			switch v := v.(type) {
			case string:
				return v
			case []byte:
				return string(v)
			}
			return ""
		}
		class, name := fold.SortKey(text(args[1])), fold.SortKey(text(args[2]))+" "+fold.SortKey(text(args[3]))
		if text(args[0]) == "class" {
			return []byte(class + "\x00" + name), nil
		}
		return []byte(name + "\x00" + class), nil
	})
}

// eachStudent walks the current students a condition on students s and
// statuses st selects, each with their status and the sending that
// decides it. It is the one reading of a student with their status.
// order, when not "", is an ORDER BY clause.
func eachStudent(ctx context.Context, q querier, src statusSource, where string, args []any, order string, each func(*StudentStatus) error) error {
	if order != "" {
		where += " ORDER BY " + order
	}
	before, beforeJoin := "'', '', 0", ""
	if src.before != "" {
		before = "coalesce(b.status, 'not-communicated'), coalesce(bse.sent_at, ''), coalesce(bse.certifiable_competences, 0)"
		beforeJoin = " LEFT JOIN " + src.before + " b ON b.student_id = s.id LEFT JOIN sendings bse ON bse.id = b.sending_id"
	}
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.last_name, s.first_names, coalesce(s.class, ''), coalesce(s.birthdate, ''),
		coalesce(s.national_id, ''), coalesce(s.student_number, ''), st.status, st.sendings, st.sending_id IS NOT NULL,
		coalesce(se.sent_at, ''), coalesce(se.certifiable_competences, 0), coalesce(se.pix_total, 0), coalesce(se.levels, ''),
		coalesce(se.pix, ''), coalesce(c.name, ''),
		CASE WHEN st.sending_id IS NULL THEN coalesce((SELECT c2.name FROM participants p2
			JOIN unsent_participations u ON u.participant_id = p2.id JOIN campaigns c2 ON c2.id = p2.campaign_id
			WHERE p2.student_id = s.id ORDER BY u.import_id DESC, p2.id DESC LIMIT 1), '') ELSE '' END,
		s.establishment_id, coalesce(e.name, ''), s.class_key, `+before+`,
		coalesce((SELECT r.status || '|' || coalesce(r.passed_on, '') FROM certification_results r
			WHERE r.student_id = s.id AND (?1 = '' OR coalesce(r.passed_on, '') <= ?1)
			ORDER BY coalesce(r.passed_on, '') DESC, r.id DESC LIMIT 1), '')
		FROM students s
		JOIN establishments e ON e.id = s.establishment_id
		JOIN `+src.table+` st ON st.student_id = s.id`+beforeJoin+`
		LEFT JOIN sendings se ON se.id = st.sending_id
		LEFT JOIN participants p ON p.id = se.participant_id
		LEFT JOIN campaigns c ON c.id = p.campaign_id
		WHERE s.current = 1 AND `+where, append([]any{src.until}, args...)...)
	if err != nil {
		return fmt.Errorf("lecture des élèves : %w", err)
	}
	defer rows.Close()
	var st StudentStatus
	for rows.Next() {
		var levels, pix, certification string
		st = StudentStatus{}
		if err := rows.Scan(&st.ID, &st.LastName, &st.FirstName, &st.Class, &st.Birthdate, &st.NationalID, &st.StudentNumber,
			&st.Status, &st.Sendings, &st.HasProfile, &st.StatusDate, &st.CertifiableCt, &st.PixTotal, &levels, &pix,
			&st.Campaign, &st.PendingCampaign, &st.EstablishmentID, &st.Establishment, &st.classKey, &st.Before, &st.BeforeDate, &st.BeforeCt, &certification); err != nil {
			return fmt.Errorf("lecture des élèves : %w", err)
		}
		st.Certification, st.CertifiedOn, _ = strings.Cut(certification, "|")
		if st.HasProfile {
			if err := parseProfile(&st.Profile, levels, pix); err != nil {
				return fmt.Errorf("lecture des élèves : élève n° %d : %w", st.ID, err)
			}
		}
		if err := each(&st); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lecture des élèves : %w", err)
	}
	return nil
}

// parseProfile reads the JSON arrays of a sending's levels and pix.
func parseProfile(p *certif.Profile, levels, pix string) error {
	if err := parseIntArray(p.Levels[:], levels); err != nil {
		return fmt.Errorf("niveaux « %s » illisibles : %w", levels, err)
	}
	if err := parseIntArray(p.Pix[:], pix); err != nil {
		return fmt.Errorf("pix « %s » illisibles : %w", pix, err)
	}
	return nil
}

// parseIntArray reads a JSON array of exactly len(dst) non-negative
// integers, as profileJSON writes it (spaces allowed, as a person editing
// the store may write them).
func parseIntArray(dst []int, s string) error {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return fmt.Errorf("tableau JSON attendu")
	}
	parts := strings.Split(s[1:len(s)-1], ",")
	if len(parts) != len(dst) {
		return fmt.Errorf("%d valeurs au lieu de %d", len(parts), len(dst))
	}
	for i, part := range parts {
		part = strings.TrimSpace(part)
		n := 0
		if part == "" || len(part) > 9 {
			return fmt.Errorf("« %s » n'est pas un nombre", part)
		}
		for _, c := range []byte(part) {
			if c < '0' || c > '9' {
				return fmt.Errorf("« %s » n'est pas un nombre", part)
			}
			n = n*10 + int(c-'0')
		}
		dst[i] = n
	}
	return nil
}

// sortStudents puts students in one of the Sorts orders: names and classes
// in natural order (fold.SortKey), ties broken by id.
func sortStudents(list []StudentStatus, order string) {
	type entry struct {
		name, class string // sort keys
		st          *StudentStatus
	}
	entries := make([]entry, len(list))
	for i := range list {
		st := &list[i]
		entries[i] = entry{fold.SortKey(st.LastName) + " " + fold.SortKey(st.FirstName), fold.SortKey(st.Class), st}
	}
	competences := func(st *StudentStatus) int {
		if !st.HasProfile {
			return -1
		}
		return st.CertifiableCt
	}
	slices.SortFunc(entries, func(a, b entry) int {
		var c int
		switch order {
		case SortName:
			c = cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.class, b.class))
		case SortClass:
			// Establishment by establishment: two schools' 3E1 are two classes.
			c = cmp.Or(cmp.Compare(a.st.EstablishmentID, b.st.EstablishmentID), strings.Compare(a.class, b.class), strings.Compare(a.name, b.name))
		case SortCompetences:
			c = cmp.Or(cmp.Compare(competences(b.st), competences(a.st)), strings.Compare(a.name, b.name))
		case SortDate:
			// Latest first, students without a sending last.
			c = cmp.Or(cmp.Compare(b.st.StatusDate, a.st.StatusDate), strings.Compare(a.name, b.name))
		}
		return cmp.Or(c, cmp.Compare(a.st.ID, b.st.ID))
	})
	sorted := make([]StudentStatus, len(list))
	for i, e := range entries {
		sorted[i] = *e.st
	}
	copy(list, sorted)
}

// HasStudents tells whether the current roster has any student: false
// means no roster was imported yet.
func (s *Store) HasStudents(ctx context.Context) (bool, error) {
	var has bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM students WHERE current = 1)`).Scan(&has)
	return has, err
}

// FindStudents finds the students of the current roster a person means by
// text: those whose national id or student number it is (one, unless two
// establishments share a student number), else those whose names hold
// words beginning with its words. establishment, when not 0, limits them
// to one establishment.
func (s *Store) FindStudents(ctx context.Context, text string, establishment int64) ([]StudentStatus, error) {
	found, err := s.StudentsWithID(ctx, text, establishment)
	if err != nil || len(found) > 0 {
		return found, err
	}
	if searchQuery(text) == "" {
		return nil, nil
	}
	return s.Students(ctx, Filter{Search: text, Establishment: establishment, Sort: SortName})
}

// StudentsWithID finds the students of the current roster whose national
// id or student number is id (spaces and case aside): one, unless two
// establishments share a student number. establishment, when not 0,
// limits them to one establishment.
func (s *Store) StudentsWithID(ctx context.Context, id string, establishment int64) ([]StudentStatus, error) {
	id = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(id), " ", ""))
	if id == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM students WHERE national_id = ?1 AND current = 1 AND ?2 IN (0, establishment_id)
		UNION SELECT id FROM students WHERE student_number = ?1 AND current = 1 AND ?2 IN (0, establishment_id)`, id, establishment)
	if err != nil {
		return nil, fmt.Errorf("recherche de l'élève %s : %w", id, err)
	}
	var ids []int64
	for rows.Next() {
		var student int64
		if err := rows.Scan(&student); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, student)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recherche de l'élève %s : %w", id, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return s.Students(ctx, Filter{IDs: ids, Establishment: establishment, Sort: SortName})
}

// ClassCount is how a class stands.
type ClassCount struct {
	EstablishmentID                              int64
	Establishment                                string // its organization's name; "" while no export named it
	Class                                        string
	Students                                     int
	Certifiable, NotCertifiable, NotCommunicated int
}

// ClassCounts counts the students of each class of the current roster by
// status, establishment by establishment (in the order they came), classes
// in natural order; establishment (0: all) and classes limit it to those.
// Spellings of a class that fold alike are one class, named by the first
// of them; classes of two establishments are two.
func (s *Store) ClassCounts(ctx context.Context, establishment int64, classes []string) ([]ClassCount, error) {
	where, args := "", []any{}
	if establishment != 0 {
		where, args = " AND s.establishment_id = ?", append(args, establishment)
	}
	if len(classes) > 0 {
		where += " AND s.class_key IN (" + placeholders(len(classes)) + ")"
		for _, c := range classes {
			args = append(args, fold.Key(c))
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT s.establishment_id, coalesce(e.name, ''), coalesce(min(s.class), ''), count(*),
		sum(st.status = 'certifiable'), sum(st.status = 'non-certifiable')
		FROM students s JOIN statuses st ON st.student_id = s.id JOIN establishments e ON e.id = s.establishment_id
		WHERE s.current = 1`+where+` GROUP BY s.establishment_id, s.class_key`, args...)
	if err != nil {
		return nil, fmt.Errorf("décompte par classe : %w", err)
	}
	defer rows.Close()
	var out []ClassCount
	for rows.Next() {
		var c ClassCount
		if err := rows.Scan(&c.EstablishmentID, &c.Establishment, &c.Class, &c.Students, &c.Certifiable, &c.NotCertifiable); err != nil {
			return nil, err
		}
		c.NotCommunicated = c.Students - c.Certifiable - c.NotCertifiable
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b ClassCount) int {
		return cmp.Or(cmp.Compare(a.EstablishmentID, b.EstablishmentID), strings.Compare(fold.SortKey(a.Class), fold.SortKey(b.Class)))
	})
	return out, rows.Err()
}

// Classes lists the classes of the current roster, of one establishment
// (0: all), in natural order. Spellings that fold alike are one class,
// named by the first of them, as ClassCounts names it; a student without
// a class adds none.
func (s *Store) Classes(ctx context.Context, establishment int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT min(class) FROM students
		WHERE current = 1 AND class_key <> '' AND ?1 IN (0, establishment_id) GROUP BY class_key`, establishment)
	if err != nil {
		return nil, fmt.Errorf("lecture des classes : %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var class string
		if err := rows.Scan(&class); err != nil {
			return nil, fmt.Errorf("lecture des classes : %w", err)
		}
		out = append(out, class)
	}
	slices.SortStableFunc(out, func(a, b string) int { return strings.Compare(fold.SortKey(a), fold.SortKey(b)) })
	return out, rows.Err()
}

// UnknownClasses returns those of classes that no student of the current
// roster of an establishment (0: any) is in, compared folded as a filter
// compares them: a class a person mistyped selects nobody. It looks the
// classes up in the index, without reading the roster.
func (s *Store) UnknownClasses(ctx context.Context, establishment int64, classes []string) ([]string, error) {
	var unknown []string
	for _, class := range classes {
		var known bool
		err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM students
			WHERE class_key = ?1 AND current = 1 AND ?2 IN (0, establishment_id))`, fold.Key(class), establishment).Scan(&known)
		if err != nil {
			return nil, fmt.Errorf("lecture des classes : %w", err)
		}
		if !known && !slices.Contains(unknown, class) {
			unknown = append(unknown, class)
		}
	}
	return unknown, nil
}

// Sending is one participation of a student, sent or only started.
type Sending struct {
	Ref                    string // the participant's reference, for pixcert unlink
	Campaign               string
	Sent                   bool
	SentAt                 string // YYYY-MM-DD[ HH:MM]; "" when not sent
	CertifiableCompetences int
	PixTotal               int
	Manual                 bool // tied to the student by a person (pixcert link)
}

// History lists a student's participations: sendings, the one that
// decides their status first, then the started ones.
func (s *Store) History(ctx context.Context, studentID int64) ([]Sending, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, c.name, p.matched_by = 'manual', se.id, se.sent_at, se.certifiable_competences, se.pix_total, se.pix
		FROM participants p JOIN campaigns c ON c.id = p.campaign_id JOIN sendings se ON se.participant_id = p.id WHERE p.student_id = ?1
		UNION ALL
		SELECT p.id, c.name, p.matched_by = 'manual', 0, '', 0, 0, ''
		FROM participants p JOIN campaigns c ON c.id = p.campaign_id JOIN unsent_participations u ON u.participant_id = p.id WHERE p.student_id = ?1`,
		studentID)
	if err != nil {
		return nil, fmt.Errorf("lecture des envois : %w", err)
	}
	defer rows.Close()
	type entry struct {
		Sending
		rank sendingRank
	}
	var list []entry
	for rows.Next() {
		var e entry
		var participant, id int64
		var pix string
		if err := rows.Scan(&participant, &e.Campaign, &e.Manual, &id, &e.SentAt, &e.CertifiableCompetences, &e.PixTotal, &pix); err != nil {
			return nil, err
		}
		e.Ref, e.Sent = participantRef(participant), id != 0
		e.rank = newSendingRank(id, e.SentAt, int64(e.CertifiableCompetences), int64(e.PixTotal), pix)
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(list, func(a, b entry) int {
		switch {
		case a.Sent != b.Sent && a.Sent:
			return -1
		case a.Sent != b.Sent:
			return 1
		case b.rank.after(a.rank):
			return 1
		case a.rank.after(b.rank):
			return -1
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	out := make([]Sending, len(list))
	for i, e := range list {
		out[i] = e.Sending
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
