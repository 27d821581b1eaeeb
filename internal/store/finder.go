package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/pixcert/pixcert/internal/match"
)

// storedRoster is an establishment's current roster as the store holds it:
// a match.Finder for what an import without a roster, or a person's
// decision, asks. Ids are looked up in their unique indexes; names through
// student_search, which finds the students whose names hold the words of a
// name key, whose keys are then compared exactly by match.
type storedRoster struct {
	ctx   context.Context
	q     querier
	estab int64
	named map[string][]match.Student // by name key, what student_search found
}

func newStoredRoster(ctx context.Context, q querier, estab int64) *storedRoster {
	return &storedRoster{ctx: ctx, q: q, estab: estab, named: map[string][]match.Student{}}
}

// ByID implements match.Finder.
func (r *storedRoster) ByID(id string) (int64, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT id FROM students WHERE national_id = ?1 AND establishment_id = ?2 AND current = 1
		UNION SELECT id FROM students WHERE student_number = ?1 AND establishment_id = ?2 AND current = 1 LIMIT 2`, id, r.estab)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var found []int64
	for rows.Next() {
		var student int64
		if err := rows.Scan(&student); err != nil {
			return 0, err
		}
		found = append(found, student)
	}
	return one(found), rows.Err()
}

// one is the student of a list of ids, as a Finder says it.
func one(ids []int64) int64 {
	switch len(ids) {
	case 0:
		return 0
	case 1:
		return ids[0]
	}
	return match.Ambiguous
}

// withName lists the current students who have a name key.
func (r *storedRoster) withName(nameKey string) ([]match.Student, error) {
	if list, ok := r.named[nameKey]; ok {
		return list, nil
	}
	last, first, _ := strings.Cut(nameKey, "|")
	var list []match.Student
	if last != "" {
		candidates, err := r.students(`s.id IN (SELECT rowid FROM student_search WHERE student_search MATCH ?)`, exactQuery(last, first))
		if err != nil {
			return nil, err
		}
		for _, s := range candidates {
			for _, key := range s.NameKeys() {
				if key == nameKey {
					list = append(list, s)
					break
				}
			}
		}
	}
	r.named[nameKey] = list
	return list, nil
}

// students lists the current students of the establishment a condition on
// students s selects.
func (r *storedRoster) students(where string, args ...any) ([]match.Student, error) {
	return matchStudents(r.ctx, r.q, `s.establishment_id = ? AND s.current = 1 AND `+where, append([]any{r.estab}, args...)...)
}

// matchStudentsQuery selects, as matching knows them, the students a
// condition on students s selects.
const matchStudentsQuery = `SELECT s.id, coalesce(s.national_id, ''), coalesce(s.student_number, ''), s.last_name,
	coalesce(s.usage_name, ''), s.first_names, coalesce(s.class, '') FROM students s WHERE `

// matchStudents lists, as matching knows them, the students a condition
// on students s selects.
func matchStudents(ctx context.Context, q querier, where string, args ...any) ([]match.Student, error) {
	rows, err := q.QueryContext(ctx, matchStudentsQuery+where+` ORDER BY s.id`, args...)
	return scanMatchStudents(rows, err)
}

func scanMatchStudents(rows *sql.Rows, err error) ([]match.Student, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []match.Student
	for rows.Next() {
		var s match.Student
		if err := rows.Scan(&s.ID, &s.NationalID, &s.StudentNumber, &s.LastName, &s.UsageName, &s.FirstNames, &s.Class); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ByNameClass implements match.Finder.
func (r *storedRoster) ByNameClass(nameKey, classKey string) (int64, error) {
	list, err := r.withName(nameKey)
	var ids []int64
	for _, s := range list {
		if match.ClassKey(s.Class) == classKey {
			ids = append(ids, s.ID)
		}
	}
	return one(ids), err
}

// ByName implements match.Finder.
func (r *storedRoster) ByName(nameKey string) (int64, error) {
	list, err := r.withName(nameKey)
	var ids []int64
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	return one(ids), err
}

// ByNameBirthdate implements match.BirthFinder.
func (r *storedRoster) ByNameBirthdate(nameKey, birthdate string) (int64, error) {
	list, err := r.withName(nameKey)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	var ids []int64
	for _, s := range list {
		var born string
		if err := r.q.QueryRowContext(r.ctx, `SELECT coalesce(birthdate, '') FROM students WHERE id = ?`, s.ID).Scan(&born); err != nil {
			return 0, err
		}
		if born == birthdate {
			ids = append(ids, s.ID)
		}
	}
	return one(ids), nil
}
