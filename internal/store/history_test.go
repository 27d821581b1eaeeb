package store

import (
	"reflect"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// A school year: an autumn collecte, a winter export of the same campaign
// (the autumn sendings again, and new ones), a spring campaign where one
// student's competences were reset.
func yearOfCollectes(t *testing.T) *Store {
	t.Helper()
	students := []roster.Student{
		{NationalID: "1", LastName: "ARNAUD", FirstName: "Paul", Class: "3E1"},
		{NationalID: "2", LastName: "BRUN", FirstName: "Léa", Class: "3E1"},
		{NationalID: "3", LastName: "COLIN", FirstName: "Tom", Class: "3E2"},
	}
	autumn := []collecte.Participation{
		sent("ARNAUD", "Paul", "3E1", "2025-10-06 09:00", 3),
		sent("BRUN", "Léa", "3E1", "2025-10-07 10:00", 6),
	}
	winter := []collecte.Participation{
		sent("ARNAUD", "Paul", "3E1", "2025-10-06 09:00", 3),
		sent("BRUN", "Léa", "3E1", "2025-10-07 10:00", 6),
		sent("ARNAUD", "Paul", "3E1", "2026-01-15 14:00", 5),
		sent("COLIN", "Tom", "3E1", "2026-01-16 08:30", 2), // in 3E1 then: he changed class since
	}
	spring := []collecte.Participation{
		inCampaign(sent("BRUN", "Léa", "3E1", "2026-03-10 11:00", 2), 2, "Printemps"),
		inCampaign(sent("COLIN", "Tom", "3E2", "2026-03-12 16:00", 7), 2, "Printemps"),
	}
	st := openStore(t)
	imp(t, st, students, autumn)
	imp(t, st, nil, winter)
	imp(t, st, nil, spring)
	return st
}

func TestClassHistory(t *testing.T) {
	st := yearOfCollectes(t)
	days, err := st.CollecteDays(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2025-10-07", "2026-01-16", "2026-03-12"}; !reflect.DeepEqual(days, want) {
		t.Fatalf("collecte days %v, want %v", days, want)
	}
	got, err := st.ClassHistory(ctx, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	summary := map[string][]string{}
	for _, h := range got {
		for _, p := range h.Points {
			summary[h.Class] = append(summary[h.Class], p.Day+" "+string(rune('0'+p.Certifiable))+"/"+string(rune('0'+p.NotCertifiable))+"/"+string(rune('0'+p.NotCommunicated)))
		}
	}
	want := map[string][]string{
		// ARNAUD 3 then 5 competences; BRUN 6, then reset to 2 in the spring.
		"3E1": {"2025-10-07 1/1/0", "2026-01-16 2/0/0", "2026-03-12 1/1/0"},
		// COLIN, now in 3E2, counts there at every day.
		"3E2": {"2025-10-07 0/0/1", "2026-01-16 0/1/0", "2026-03-12 1/0/0"},
	}
	if !reflect.DeepEqual(summary, want) {
		t.Errorf("history %v, want %v", summary, want)
	}
	if len(got) != 2 || got[0].Class != "3E1" || got[0].Establishment != "" {
		t.Errorf("classes %+v", got)
	}
	only, err := st.ClassHistory(ctx, 0, []string{"3e2"})
	if err != nil || len(only) != 1 || only[0].Class != "3E2" {
		t.Errorf("3E2 alone: %+v, %v", only, err)
	}
}

// The statuses of a past day are those its sendings give; comparing with a
// day tells each student's status then.
func TestStatusesOfAPastDay(t *testing.T) {
	st := yearOfCollectes(t)
	at := func(day, before string) map[string]string {
		t.Helper()
		snap, err := st.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Close()
		if day != "" {
			if err := snap.AsOf(ctx, day); err != nil {
				t.Fatal(err)
			}
		}
		if before != "-" {
			if err := snap.CompareWith(ctx, before); err != nil {
				t.Fatal(err)
			}
		}
		got := map[string]string{}
		err = snap.EachStudent(ctx, Filter{}, func(s *StudentStatus) error {
			got[s.LastName] = string(s.Status) + " " + s.StatusDate + " " + s.LatestCollection
			if before != "-" {
				got[s.LastName] += " <- " + string(s.Before) + " " + s.BeforeDate
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	tests := []struct {
		day, before string
		want        map[string]string
	}{
		{"2025-10-31", "-", map[string]string{
			"ARNAUD": "non-certifiable 2025-10-06 09:00 ", "BRUN": "certifiable 2025-10-07 10:00 ", "COLIN": "not-communicated  "}},
		// In January, the spring collecte has not begun: nobody's profile is old.
		{"2026-01-31", "-", map[string]string{
			"ARNAUD": "certifiable 2026-01-15 14:00 ", "BRUN": "certifiable 2025-10-07 10:00 ", "COLIN": "non-certifiable 2026-01-16 08:30 "}},
		// Today, compared with the end of the winter collecte.
		{"", "2026-01-16", map[string]string{
			"ARNAUD": "certifiable 2026-01-15 14:00 Printemps <- certifiable 2026-01-15 14:00",
			"BRUN":   "non-certifiable 2026-03-10 11:00  <- certifiable 2025-10-07 10:00",
			"COLIN":  "certifiable 2026-03-12 16:00  <- non-certifiable 2026-01-16 08:30"}},
		// Compared with before any sending.
		{"2025-10-06", "", map[string]string{
			"ARNAUD": "non-certifiable 2025-10-06 09:00  <- not-communicated ", "BRUN": "not-communicated   <- not-communicated ",
			"COLIN": "not-communicated   <- not-communicated "}},
	}
	for _, tt := range tests {
		if got := at(tt.day, tt.before); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("day %q before %q:\n got %q\nwant %q", tt.day, tt.before, got, tt.want)
		}
	}
}
