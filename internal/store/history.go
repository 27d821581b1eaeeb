package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fold"
)

// A school runs a collecte in the autumn and another before the
// certification: what changed between them is what staff need, and what
// Pix Orga, which freezes each profile when it is sent, does not show.
// Every sending is dated, so the statuses of any past day are derived
// again from the sendings dated up to it, by the rule of today's
// (statuses.go).

// CollecteDays lists the days of the collectes imported for an
// establishment (0: all), oldest first: for each collecte export, the day
// of the latest sending it brought, the day that collecte stood at when it
// was exported. Two exports of one day are one day.
func (s *Store) CollecteDays(ctx context.Context, establishment int64) ([]string, error) {
	byEstab, err := collecteDays(ctx, s.db, establishment)
	if err != nil {
		return nil, err
	}
	var days []string
	for _, d := range byEstab {
		days = append(days, d...)
	}
	slices.Sort(days)
	return slices.Compact(days), nil
}

// collecteDays are the collecte days of each establishment (of one, when
// establishment is not 0), each list sorted.
func collecteDays(ctx context.Context, q querier, establishment int64) (map[int64][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT i.establishment_id, max(substr(se.sent_at, 1, 10)) FROM imports i
		JOIN sendings se ON se.import_id = i.id WHERE i.kind = 'collecte' AND ?1 IN (0, i.establishment_id) GROUP BY i.id`, establishment)
	if err != nil {
		return nil, fmt.Errorf("dates des collectes : %w", err)
	}
	defer rows.Close()
	days := map[int64][]string{}
	for rows.Next() {
		var estab int64
		var day string
		if err := rows.Scan(&estab, &day); err != nil {
			return nil, fmt.Errorf("dates des collectes : %w", err)
		}
		days[estab] = append(days[estab], day)
	}
	for e, d := range days {
		slices.Sort(d)
		days[e] = slices.Compact(d)
	}
	return days, rows.Err()
}

// ClassHistory is how a class stood at each collecte of its establishment.
type ClassHistory struct {
	EstablishmentID int64
	Establishment   string // its organization's name; "" while no export named it
	Class           string
	Points          []HistoryPoint // one per collecte day, oldest first
}

// HistoryPoint is a class at the end of a collecte day: its students (those
// of the current roster) by status as their sendings up to that day give.
type HistoryPoint struct {
	Day                         string // YYYY-MM-DD
	Students                    int
	Certifiable, NotCertifiable int
	NotCommunicated             int
}

// Rate is the share of certifiable students, 0 for an empty class.
func (p HistoryPoint) Rate() float64 {
	if p.Students == 0 {
		return 0
	}
	return float64(p.Certifiable) / float64(p.Students)
}

// ClassHistory tells, for each class of the current roster (of an
// establishment, 0: all; of classes, when given), how it stood at the end
// of each collecte day of its establishment (CollecteDays). Students are
// those of today's roster, in today's class: a student who changed class
// counts in the new one at every day. One reading of the students and
// their sendings, whatever the number of days.
func (s *Store) ClassHistory(ctx context.Context, establishment int64, classes []string) ([]ClassHistory, error) {
	daysOf, err := collecteDays(ctx, s.db, establishment)
	if err != nil {
		return nil, err
	}
	names, err := s.EstablishmentNames(ctx)
	if err != nil {
		return nil, err
	}
	where, args := "st.current = 1 AND ?1 IN (0, st.establishment_id)", []any{establishment}
	if len(classes) > 0 {
		where += " AND st.class_key IN (" + placeholders(len(classes)) + ")"
		for _, c := range classes {
			args = append(args, fold.Key(c))
		}
	}
	// The students and their sendings are read side by side: in one
	// transaction, which holds the store's one connection.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("historique des classes : %w", err)
	}
	defer tx.Rollback()
	byClass := map[classOf]*ClassHistory{}
	cutoffs := map[int64][]uint32{}
	err = eachStudentSendings(ctx, tx, where, args, "", func(st studentRef, ranks []sendingRank) error {
		key := classOf{st.establishment, st.classKey}
		h := byClass[key]
		days := daysOf[st.establishment]
		if h == nil {
			h = &ClassHistory{EstablishmentID: st.establishment, Class: st.class}
			for _, e := range names {
				if e.ID == st.establishment {
					h.Establishment = e.Name
				}
			}
			for _, d := range days {
				h.Points = append(h.Points, HistoryPoint{Day: d})
			}
			byClass[key] = h
			if _, ok := cutoffs[st.establishment]; !ok {
				for _, d := range days {
					cutoffs[st.establishment] = append(cutoffs[st.establishment], sendingTime(d+" 23:59"))
				}
			}
		}
		// Spellings of a class that fold alike are one class, named as
		// ClassCounts names it: by the first of them.
		h.Class = min(h.Class, st.class)
		for i, cutoff := range cutoffs[st.establishment] {
			var l latestSending
			for _, r := range ranks {
				if r.at <= cutoff {
					l.add(r)
				}
			}
			p := &h.Points[i]
			p.Students++
			switch l.status() {
			case certif.Certifiable:
				p.Certifiable++
			case certif.NotCertifiable:
				p.NotCertifiable++
			default:
				p.NotCommunicated++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("historique des classes : %w", err)
	}
	out := make([]ClassHistory, 0, len(byClass))
	for _, h := range byClass {
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b ClassHistory) int {
		return cmp.Or(cmp.Compare(a.EstablishmentID, b.EstablishmentID), strings.Compare(fold.SortKey(a.Class), fold.SortKey(b.Class)))
	})
	return out, nil
}

// ImportRecord is one file imported, as `pixcert imports` lists it.
type ImportRecord struct {
	ID            int64
	ImportedAt    time.Time
	File          string
	Kind          Kind
	Establishment string // its organization's name; "" while no export named it
	SHA256        string // "" for data carried over from an older store
	Rows          int
	Campaign      string // a collecte's; "" for a roster
}

// Imports lists the files imported (of an establishment, 0: all), oldest
// first.
func (s *Store) Imports(ctx context.Context, establishment int64) ([]ImportRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT i.id, i.imported_at, i.file_name, i.kind, coalesce(e.name, ''), coalesce(i.sha256, ''),
		i.row_count, coalesce(c.name, '') FROM imports i JOIN establishments e ON e.id = i.establishment_id
		LEFT JOIN campaigns c ON c.id = i.campaign_id WHERE ?1 IN (0, i.establishment_id) ORDER BY i.id`, establishment)
	if err != nil {
		return nil, fmt.Errorf("lecture des imports : %w", err)
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		var at string
		if err := rows.Scan(&r.ID, &at, &r.File, &r.Kind, &r.Establishment, &r.SHA256, &r.Rows, &r.Campaign); err != nil {
			return nil, fmt.Errorf("lecture des imports : %w", err)
		}
		if r.ImportedAt, err = time.Parse(time.RFC3339, at); err != nil {
			return nil, fmt.Errorf("lecture des imports : import n° %d : date « %s » illisible", r.ID, at)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
