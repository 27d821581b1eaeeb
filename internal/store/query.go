package store

import (
	"context"
	"fmt"
	"strings"

	"pixcert/internal/certif"
	"pixcert/internal/fold"
)

// StudentStatus is a student of the current roster with their status.
type StudentStatus struct {
	LastName      string
	FirstName     string
	Class         string
	Birthdate     string // YYYY-MM-DD or ""
	NationalID    string // INE; "" when none
	StudentNumber string // higher education; "" when none
	Status        certif.Status
	StatusDate    string // YYYY-MM-DD[ HH:MM] of the latest sending; "" when not communicated
	Sendings      int
	HasProfile    bool // false when not communicated
	PixTotal      int
	CertifiableCt int
	Profile       certif.Profile
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

var orderBy = map[string]string{
	SortName:        "s.sort_key, s.class_sort_key, s.id",
	SortClass:       "s.class_sort_key, s.sort_key, s.id",
	SortCompetences: "coalesce(p.certifiable_competences, -1) DESC, s.sort_key, s.id",
	SortDate:        "p.sent_at IS NULL, p.sent_at DESC, s.sort_key, s.id",
}

// Filter selects students; empty fields select everything.
type Filter struct {
	Classes  []string        // any of these classes, compared folded
	Statuses []certif.Status // any of these statuses
	Search   string          // part of the last or first name, compared folded
	Sort     string          // one of Sorts; SortClass when empty
}

// Students lists the students of the current roster that pass the filter.
func (s *Store) Students(ctx context.Context, f Filter) ([]StudentStatus, error) {
	var where []string
	var args []any
	where = append(where, "s.active = 1")
	if len(f.Classes) > 0 {
		where = append(where, "s.class_key IN ("+placeholders(len(f.Classes))+")")
		for _, c := range f.Classes {
			args = append(args, fold.Key(c))
		}
	}
	if len(f.Statuses) > 0 {
		where = append(where, "s.status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if key := fold.Key(f.Search); key != "" {
		where = append(where, "instr(s.search_key, ?) > 0")
		args = append(args, key)
	}
	sort := f.Sort
	if sort == "" {
		sort = SortClass
	}
	order, ok := orderBy[sort]
	if !ok {
		return nil, fmt.Errorf("tri « %s » inconnu : choisissez parmi %s", f.Sort, strings.Join(Sorts, ", "))
	}
	query := `SELECT s.last_name, s.first_name, s.class, coalesce(s.birthdate, ''),
			coalesce(s.national_id, ''), coalesce(s.student_number, ''), s.status, s.sendings,
			p.id IS NOT NULL, coalesce(p.sent_at, ''), coalesce(p.pix_total, 0),
			coalesce(p.levels, ''), coalesce(p.pix, '')
		FROM students s LEFT JOIN participations p ON p.id = s.latest_sent_id
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("lecture des élèves : %w", err)
	}
	defer rows.Close()
	var out []StudentStatus
	for rows.Next() {
		var st StudentStatus
		var status, levels, pix string
		if err := rows.Scan(&st.LastName, &st.FirstName, &st.Class, &st.Birthdate, &st.NationalID, &st.StudentNumber, &status, &st.Sendings,
			&st.HasProfile, &st.StatusDate, &st.PixTotal, &levels, &pix); err != nil {
			return nil, err
		}
		st.Status = certif.Status(status)
		if st.HasProfile {
			if err := decodeProfile(&st.Profile, levels, pix); err != nil {
				return nil, err
			}
			st.CertifiableCt = st.Profile.CertifiableCompetences()
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// CountStudents counts the students of the current roster; zero means
// nothing was imported yet.
func (s *Store) CountStudents(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM students WHERE active = 1`).Scan(&n)
	return n, err
}

func decodeProfile(p *certif.Profile, levels, pix string) error {
	l, err := splitInts(levels)
	if err != nil {
		return err
	}
	x, err := splitInts(pix)
	if err != nil {
		return err
	}
	if len(l) != certif.CompetenceCount || len(x) != certif.CompetenceCount {
		return fmt.Errorf("profil stocké incomplet : %d niveaux, %d nombres de pix", len(l), len(x))
	}
	copy(p.Levels[:], l)
	copy(p.Pix[:], x)
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
