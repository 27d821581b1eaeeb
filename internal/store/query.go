package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"pixcert/internal/certif"
	"pixcert/internal/fold"
	"pixcert/internal/roster"
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
	ID       int64           // one student
	Classes  []string        // any of these classes, compared folded
	Statuses []certif.Status // any of these statuses
	Search   string          // part of the last or first name, compared folded
	Sort     string          // one of Sorts; SortClass when empty
}

// Students lists the students of the current roster that pass the filter.
// SQL selects by id or class, through an index; names are folded, searched
// and sorted here, which spares an import three derived columns a student.
func (s *Store) Students(ctx context.Context, f Filter) ([]StudentStatus, error) {
	order := f.Sort
	if order == "" {
		order = SortClass
	}
	if !slices.Contains(Sorts, order) {
		return nil, fmt.Errorf("tri « %s » inconnu : choisissez parmi %s", f.Sort, strings.Join(Sorts, ", "))
	}
	where := []string{"s.active = 1"}
	var args []any
	if f.ID != 0 {
		where = append(where, "s.id = ?")
		args = append(args, f.ID)
	}
	if len(f.Classes) > 0 {
		where = append(where, "s.class_key IN ("+placeholders(len(f.Classes))+")")
		for _, c := range f.Classes {
			args = append(args, fold.Key(c))
		}
	}
	query := `SELECT s.id, s.class, s.record FROM students s WHERE ` + strings.Join(where, " AND ")
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des élèves : %w", err)
	}
	defer rows.Close()
	search := fold.Key(f.Search)
	var out []StudentStatus
	for rows.Next() {
		var st StudentStatus
		var record []byte
		var student roster.Student
		if err := rows.Scan(&st.ID, &st.Class, &record); err != nil {
			return nil, err
		}
		if err := decodeStudent(record, &student); err != nil {
			return nil, err
		}
		if search != "" && !strings.Contains(searchKeyOf(student), search) {
			continue
		}
		st.LastName, st.FirstName, st.Birthdate = student.LastName, student.FirstName, student.Birthdate
		st.NationalID, st.StudentNumber = student.NationalID, student.StudentNumber
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if out, err = s.addStatuses(ctx, out, f.Statuses); err != nil {
		return nil, err
	}
	sortStudents(out, order)
	return out, nil
}

// searchKeyOf is what --search looks into: names in either order, usage
// name included, folded.
func searchKeyOf(s roster.Student) string {
	last, usage, first := fold.Key(s.LastName), fold.Key(s.UsageName), fold.Key(s.FirstName)
	key := last + first + "|" + first + last
	if usage != "" {
		key += "|" + usage + first + "|" + first + usage
	}
	return key
}

// addStatuses fills in the status of each student, from their status
// record, their latest sending and the campaigns' names, and keeps those
// whose status is one of keep (all when keep is empty).
func (s *Store) addStatuses(ctx context.Context, list []StudentStatus, keep []certif.Status) ([]StudentStatus, error) {
	ids := make([]int64, len(list))
	for i, st := range list {
		ids[i] = st.ID
	}
	statuses, err := statusesByID(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	campaigns, err := s.campaignNames(ctx)
	if err != nil {
		return nil, err
	}
	if len(keep) > 0 {
		list = slices.DeleteFunc(list, func(st StudentStatus) bool {
			stored := statuses[st.ID]
			return !slices.Contains(keep, stored.status())
		})
	}
	var latest []int64 // sendings to read from their pages
	for i := range list {
		st, stored := &list[i], statuses[list[i].ID]
		st.Status, st.Sendings = stored.status(), stored.sendings
		if st.HasProfile = stored.latestSent != 0; st.HasProfile {
			st.StatusDate, st.CertifiableCt, st.Campaign = stored.at.String(), stored.competences, campaigns[stored.campaign]
			latest = append(latest, stored.latestSent)
		} else {
			st.PendingCampaign = campaigns[stored.campaign]
		}
	}
	sendings, err := participationsByID(ctx, s.db, latest)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if st := &list[i]; st.HasProfile {
			id := statuses[st.ID].latestSent
			p, ok := sendings[id]
			if !ok {
				return nil, fmt.Errorf("lecture des élèves : participation %d introuvable", id)
			}
			st.Profile, st.PixTotal = p.Profile(), p.pixTotal
		}
	}
	return list, nil
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
			c = cmp.Or(strings.Compare(a.class, b.class), strings.Compare(a.name, b.name))
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
// means nothing was imported yet. It reads one index entry, not a million.
func (s *Store) HasStudents(ctx context.Context) (bool, error) {
	var has bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM students WHERE active = 1)`).Scan(&has)
	return has, err
}

// FindStudents finds the students of the current roster a person means by
// text: the one whose national id or student number it is, else those whose
// names contain it (as --search does).
func (s *Store) FindStudents(ctx context.Context, text string) ([]StudentStatus, error) {
	id := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(text), " ", ""))
	// Ids hold digits, names do not: text without one is looked for among
	// ids only when no name holds it, which at an académie's scale spares
	// reading a million records for nothing.
	looksLikeID := strings.ContainsAny(id, "0123456789")
	if looksLikeID {
		if list, err := s.studentWithID(ctx, id); err != nil || len(list) > 0 {
			return list, err
		}
	}
	list, err := s.Students(ctx, Filter{Search: text, Sort: SortName})
	if err != nil || len(list) > 0 || looksLikeID || id == "" {
		return list, err
	}
	return s.studentWithID(ctx, id)
}

// studentWithID lists the student of the current roster whose national id
// or student number is id, if there is one.
func (s *Store) studentWithID(ctx context.Context, id string) ([]StudentStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, record FROM students WHERE active = 1`)
	if err != nil {
		return nil, fmt.Errorf("lecture des élèves : %w", err)
	}
	var found int64
	for found == 0 && rows.Next() {
		var studentID int64
		var record []byte
		if err := rows.Scan(&studentID, &record); err != nil {
			rows.Close()
			return nil, err
		}
		nationalID, number, err := studentIDs(record)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if string(nationalID) == id || string(number) == id {
			found = studentID
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || found == 0 {
		return nil, err
	}
	return s.Students(ctx, Filter{ID: found})
}

// ClassCount is how a class stands.
type ClassCount struct {
	Class                                        string
	Students                                     int
	Certifiable, NotCertifiable, NotCommunicated int
}

// ClassCounts counts the students of each class of the current roster by
// status, classes in natural order; classes limits it to those. The counts
// are kept up to date by every import and decision (countClasses).
func (s *Store) ClassCounts(ctx context.Context, classes []string) ([]ClassCount, error) {
	where, args := "", []any{}
	if len(classes) > 0 {
		where = " WHERE class_key IN (" + placeholders(len(classes)) + ")"
		for _, c := range classes {
			args = append(args, fold.Key(c))
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT class, students, certifiable, non_certifiable, not_communicated
		FROM class_counts`+where+` ORDER BY class_sort_key`, args...)
	if err != nil {
		return nil, fmt.Errorf("décompte par classe : %w", err)
	}
	defer rows.Close()
	var out []ClassCount
	for rows.Next() {
		var c ClassCount
		if err := rows.Scan(&c.Class, &c.Students, &c.Certifiable, &c.NotCertifiable, &c.NotCommunicated); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
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

// History lists a student's participations, latest sending first, started
// ones last.
func (s *Store) History(ctx context.Context, studentID int64) ([]Sending, error) {
	if studentID == 0 {
		return nil, nil
	}
	campaigns, err := s.campaignNames(ctx)
	if err != nil {
		return nil, err
	}
	type participant struct {
		campaign string
		manual   bool
	}
	participants := map[int64]participant{}
	err = eachParticipant(ctx, s.db, func(p *storedParticipant) error {
		if p.student == studentID {
			participants[p.id] = participant{campaigns[p.named.CampaignID], p.method == matchManual}
		}
		return nil
	})
	if err != nil || len(participants) == 0 {
		return nil, err
	}
	type entry struct {
		Sending
		id int64
	}
	var list []entry
	err = eachParticipation(ctx, s.db, func(p *storedParticipation) error {
		pt, ok := participants[p.participant]
		if !ok {
			return nil
		}
		h := Sending{Ref: participantRef(p.participant), Campaign: pt.campaign, Manual: pt.manual, Sent: p.sent(), SentAt: p.sentAt}
		if h.Sent {
			h.CertifiableCompetences, h.PixTotal = p.competences(), p.pixTotal
		}
		list = append(list, entry{h, p.id})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.SentAt != b.SentAt {
			return a.SentAt > b.SentAt // "" (not sent) last
		}
		return a.id > b.id
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
