package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/sessions"
	"github.com/pixcert/pixcert/internal/store"
)

type sessionsSession = sessions.Session

func parisTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, frdate.Paris())
}

// session is a session of 1h45 with a margin of 15 min on site « Collège ».
func session(room string, seats int, start time.Time, candidates ...sessions.Candidate) sessions.Session {
	return sessions.Session{Slot: sessions.Slot{Site: "Collège", Room: room, Seats: seats, Start: start},
		Duration: 105 * time.Minute, Margin: 15 * time.Minute, Supervisors: []string{"Mme Durand"}, Candidates: candidates}
}

func candidate(student int64, extraTime int) sessions.Candidate {
	return sessions.Candidate{StudentID: student, ExtraTime: extraTime}
}

// planStore is a store of roster-siecle.csv (8 students) on 1 March, and
// the ids of its students by INE.
func planStore(t *testing.T) (*store.Store, int64, map[string]int64) {
	t.Helper()
	st := newStore(t)
	importAt(t, st, planNow, sample("roster-siecle.csv"))
	ids := map[string]int64{}
	for _, ine := range []string{"123456789AB", "223456789AB", "323456789AB", "423456789AB", "523456789AB", "623456789AB", "723456789AB", "823456789AB"} {
		ids[ine] = studentID(t, st, ine)
	}
	return st, onlyEstablishment(t, st), ids
}

var planNow = parisTime(2026, 3, 1, 9, 0)

// described is each session: "room start–end: INE/extra time, ...".
func described(t *testing.T, st *store.Store) []string {
	t.Helper()
	list, err := st.Sessions(ctx, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, se := range list {
		var cs []string
		for _, c := range se.Candidates {
			cs = append(cs, fmt.Sprintf("%s/%d", c.NationalID, c.ExtraTime))
		}
		out = append(out, fmt.Sprintf("%d %s %s–%s: %s", se.ID, se.Room, se.Start.Format("02/01 15:04"), se.End.Format("15:04"), strings.Join(cs, ",")))
	}
	return out
}

func TestSaveSessionsAndSessions(t *testing.T) {
	st, estab, id := planStore(t)
	plan := []sessions.Session{
		session("CDI", 3, parisTime(2026, 3, 16, 8, 30), candidate(id["323456789AB"], 0), candidate(id["123456789AB"], 0)),
		session("Salle 12", 2, parisTime(2026, 3, 16, 10, 45), candidate(id["523456789AB"], 33), candidate(id["423456789AB"], 0)),
	}
	plan[0].Observations = "Prévoir des casques"
	ids, err := st.SaveSessions(ctx, estab, plan, planNow)
	if err != nil || len(ids) != 2 {
		t.Fatalf("SaveSessions = %v, %v", ids, err)
	}
	// 105 min with a third more is 140 min: 10:45 + 2h20 = 13:05.
	if got := sessions.LengthFor(105*time.Minute, 33); got != 140*time.Minute {
		t.Fatalf("LengthFor(1h45, 33 %%) = %v", got)
	}
	want := []string{
		fmt.Sprintf("%d CDI 16/03 08:30–10:15: 323456789AB/0,123456789AB/0", ids[0]), // by class: 3E1, then 3E2
		fmt.Sprintf("%d Salle 12 16/03 10:45–13:05: 423456789AB/0,523456789AB/33", ids[1]),
	}
	if got := described(t, st); !slices.Equal(got, want) {
		t.Errorf("sessions\n%q\nwant\n%q", got, want)
	}
	list, err := st.Sessions(ctx, estab, ids[1:])
	if err != nil || len(list) != 1 {
		t.Fatalf("Sessions of %v = %+v, %v", ids[1:], list, err)
	}
	se := list[0]
	if se.Site != "Collège" || se.Seats != 2 || se.Duration != 105*time.Minute || se.Margin != 15*time.Minute ||
		!slices.Equal(se.Supervisors, []string{"Mme Durand"}) || se.EstablishmentID != estab || !se.PlannedAt.Equal(planNow) ||
		se.Start.Location() != frdate.Paris() {
		t.Errorf("session read back %+v", se)
	}
	if c := se.Candidates[0]; c.LastName != "LEFÈVRE" || c.FirstName != "Hugo" || c.Birthdate != "2011-01-01" || c.Class != "3E1" {
		t.Errorf("candidate read back %+v", c)
	}
	if all, _ := st.Sessions(ctx, 0, nil); all[0].Observations != "Prévoir des casques" {
		t.Errorf("observations %q", all[0].Observations)
	}
	if other, err := st.Sessions(ctx, estab+1, nil); err != nil || len(other) != 0 {
		t.Errorf("sessions of another establishment: %+v, %v", other, err)
	}
	planned, err := st.PlannedToCome(ctx, estab, parisTime(2026, 3, 16, 7, 0))
	wantPlanned := map[int64]int64{id["323456789AB"]: ids[0], id["123456789AB"]: ids[0], id["523456789AB"]: ids[1], id["423456789AB"]: ids[1]}
	if err != nil || !mapsEqual(planned, wantPlanned) {
		t.Errorf("PlannedToCome(16/03 07:00) = %v, %v; want %v", planned, err, wantPlanned)
	}
	if planned, err := st.PlannedToCome(ctx, 0, parisTime(2026, 3, 17, 7, 0)); err != nil || len(planned) != 0 {
		t.Errorf("PlannedToCome(17/03 07:00) = %v, %v; want none", planned, err)
	}
	checked(t, st, "sessions saved")
}

func TestSaveSessionsRefusals(t *testing.T) {
	tests := []struct {
		name string
		// plan is saved after a first session of 16 March holding
		// DUPONT Léa (123456789AB), on now.
		plan func(id map[string]int64) []sessions.Session
		now  time.Time
		want string // "" for saved
	}{
		{"a student in a session still to come", func(id map[string]int64) []sessions.Session {
			return []sessions.Session{session("B", 4, parisTime(2026, 3, 20, 8, 0), candidate(id["223456789AB"], 0), candidate(id["123456789AB"], 0))}
		}, planNow, "déjà prévu(e) dans la session n° 1"},
		{"a student in a session later today", func(id map[string]int64) []sessions.Session {
			return []sessions.Session{session("B", 4, parisTime(2026, 3, 20, 8, 0), candidate(id["123456789AB"], 0))}
		}, parisTime(2026, 3, 16, 7, 0), "déjà prévu(e)"},
		// Begun, a session is held: its candidates were there or absent.
		{"a student in a session begun today", func(id map[string]int64) []sessions.Session {
			return []sessions.Session{session("B", 4, parisTime(2026, 3, 20, 8, 0), candidate(id["123456789AB"], 0))}
		}, parisTime(2026, 3, 16, 8, 45), ""},
		{"a student whose session is past", func(id map[string]int64) []sessions.Session {
			return []sessions.Session{session("B", 4, parisTime(2026, 3, 20, 8, 0), candidate(id["123456789AB"], 0))}
		}, parisTime(2026, 3, 17, 0, 30), ""},
		{"a student twice in one plan", func(id map[string]int64) []sessions.Session {
			return []sessions.Session{
				session("B", 4, parisTime(2026, 3, 20, 8, 0), candidate(id["223456789AB"], 0)),
				session("C", 4, parisTime(2026, 3, 21, 8, 0), candidate(id["223456789AB"], 0)),
			}
		}, planNow, "déjà prévu(e) dans la session n° 2"},
		{"a student of no current list", func(id map[string]int64) []sessions.Session {
			return []sessions.Session{session("B", 4, parisTime(2026, 3, 20, 8, 0), candidate(id["223456789AB"], 0), candidate(9999, 0))}
		}, planNow, "n'est pas dans la liste actuelle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, estab, id := planStore(t)
			if _, err := st.SaveSessions(ctx, estab, []sessions.Session{session("A", 4, parisTime(2026, 3, 16, 8, 30), candidate(id["123456789AB"], 0))}, planNow); err != nil {
				t.Fatal(err)
			}
			before := described(t, st)
			_, err := st.SaveSessions(ctx, estab, tt.plan(id), tt.now)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got := described(t, st); len(got) != len(before)+1 {
					t.Errorf("sessions %q", got)
				}
				return
			}
			var se *store.SessionError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("SaveSessions: %v, want a SessionError saying %q", err, tt.want)
			}
			if got := described(t, st); !slices.Equal(got, before) {
				t.Errorf("a refused plan changed the sessions: %q, want %q", got, before)
			}
			checked(t, st, "refused plan")
		})
	}
}

func TestMoveRemoveCancel(t *testing.T) {
	st, estab, id := planStore(t)
	ids, err := st.SaveSessions(ctx, estab, []sessions.Session{
		session("A", 2, parisTime(2026, 3, 16, 8, 30), candidate(id["123456789AB"], 0), candidate(id["223456789AB"], 0)),
		session("B", 3, parisTime(2026, 3, 16, 10, 45), candidate(id["323456789AB"], 25)),
	}, planNow)
	if err != nil {
		t.Fatal(err)
	}
	a, b := ids[0], ids[1]
	extra := func(n int) *int { return &n }
	steps := []struct {
		name       string
		do         func() (int64, error)
		wantFrom   int64
		wantErr    string // of a SessionError; "" for none
		wantLayout []string
	}{
		{"into a full session", func() (int64, error) { return st.MoveCandidate(ctx, id["423456789AB"], a, nil, planNow) }, 0, "complète (2 places)",
			[]string{"A: 123456789AB/0,223456789AB/0", "B: 323456789AB/25"}},
		{"into a session that does not exist", func() (int64, error) { return st.MoveCandidate(ctx, id["423456789AB"], 99, nil, planNow) }, 0, "aucune session n° 99",
			[]string{"A: 123456789AB/0,223456789AB/0", "B: 323456789AB/25"}},
		{"into the session one is in", func() (int64, error) { return st.MoveCandidate(ctx, id["323456789AB"], b, nil, planNow) }, 0, "déjà dans la session",
			[]string{"A: 123456789AB/0,223456789AB/0", "B: 323456789AB/25"}},
		{"a student who was in none", func() (int64, error) { return st.MoveCandidate(ctx, id["423456789AB"], b, nil, planNow) }, 0, "",
			[]string{"A: 123456789AB/0,223456789AB/0", "B: 423456789AB/0,323456789AB/25"}},
		{"between sessions, with the extra time one had", func() (int64, error) { return st.MoveCandidate(ctx, id["223456789AB"], b, nil, planNow) }, a, "",
			[]string{"A: 123456789AB/0", "B: 423456789AB/0,323456789AB/25,223456789AB/0"}}, // by class, then name
		// A third more time would run A into B, which Mme Durand supervises.
		{"back, with an extra time that runs into the next session", func() (int64, error) {
			return st.MoveCandidate(ctx, id["323456789AB"], a, extra(33), planNow)
		}, 0, "finirait à 10:50, et sa salle et ses surveillants ne seraient libres que 15 min plus tard : Mme Durand surveille la session n° 2",
			[]string{"A: 123456789AB/0", "B: 423456789AB/0,323456789AB/25,223456789AB/0"}},
		{"back, with an extra time given", func() (int64, error) { return st.MoveCandidate(ctx, id["323456789AB"], a, extra(0), planNow) }, b, "",
			[]string{"A: 323456789AB/0,123456789AB/0", "B: 423456789AB/0,223456789AB/0"}},
		{"removed", func() (int64, error) { return st.RemoveCandidate(ctx, id["423456789AB"], planNow) }, b, "",
			[]string{"A: 323456789AB/0,123456789AB/0", "B: 223456789AB/0"}},
		{"removed again", func() (int64, error) { return st.RemoveCandidate(ctx, id["423456789AB"], planNow) }, 0, "aucune session à venir",
			[]string{"A: 323456789AB/0,123456789AB/0", "B: 223456789AB/0"}},
		{"removed once the session is past", func() (int64, error) { return st.RemoveCandidate(ctx, id["123456789AB"], parisTime(2026, 3, 17, 9, 0)) }, 0, "aucune session à venir",
			[]string{"A: 323456789AB/0,123456789AB/0", "B: 223456789AB/0"}},
		{"a student of no current list", func() (int64, error) { return st.MoveCandidate(ctx, 9999, b, nil, planNow) }, 0, "n'est pas dans la liste actuelle",
			[]string{"A: 323456789AB/0,123456789AB/0", "B: 223456789AB/0"}},
	}
	for _, step := range steps {
		from, err := step.do()
		var se *store.SessionError
		switch {
		case step.wantErr == "" && err != nil:
			t.Errorf("%s: %v", step.name, err)
		case step.wantErr != "" && (!errors.As(err, &se) || !strings.Contains(err.Error(), step.wantErr)):
			t.Errorf("%s: %v, want a SessionError saying %q", step.name, err, step.wantErr)
		case from != step.wantFrom:
			t.Errorf("%s: from %d, want %d", step.name, from, step.wantFrom)
		}
		if got := layout(t, st, a, b); !slices.Equal(got, step.wantLayout) {
			t.Errorf("%s: sessions %q, want %q", step.name, got, step.wantLayout)
		}
	}
	checked(t, st, "moves")

	// Cancelling: an unknown number refuses all, nothing removed.
	var se *store.SessionError
	if _, err := st.CancelSessions(ctx, []int64{a, 99, 100}); !errors.As(err, &se) || !strings.Contains(err.Error(), "aucune session n° 99, 100") {
		t.Errorf("cancel with unknown numbers: %v", err)
	}
	if got := layout(t, st, a, b); len(got) != 2 {
		t.Errorf("a refused cancel removed sessions: %q", got)
	}
	n, err := st.CancelSessions(ctx, []int64{a})
	if err != nil || n != 2 {
		t.Errorf("cancel %d: %d candidates, %v; want 2", a, n, err)
	}
	if got := layout(t, st, a, b); !slices.Equal(got, []string{"B: 223456789AB/0"}) {
		t.Errorf("after cancelling A: %q", got)
	}
	if planned, err := st.PlannedToCome(ctx, estab, parisTime(2026, 3, 1, 0, 0)); err != nil || len(planned) != 1 {
		t.Errorf("PlannedToCome after cancelling = %v, %v", planned, err)
	}
	// Its candidates are in no session: they may be planned again.
	if _, err := st.MoveCandidate(ctx, id["323456789AB"], b, nil, planNow); err != nil {
		t.Errorf("moving a candidate of a cancelled session: %v", err)
	}
	checked(t, st, "cancel")
}

// layout is "room: INE/extra time, ..." of sessions a and b, those left.
func layout(t *testing.T, st *store.Store, a, b int64) []string {
	t.Helper()
	list, err := st.Sessions(ctx, 0, []int64{a, b})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, se := range list {
		var cs []string
		for _, c := range se.Candidates {
			cs = append(cs, fmt.Sprintf("%s/%d", c.NationalID, c.ExtraTime))
		}
		out = append(out, se.Room+": "+strings.Join(cs, ","))
	}
	return out
}

// pixcert sessions cancel 2 2 --yes: the number given twice.
func TestCancelASessionNamedTwice(t *testing.T) {
	st, estab, id := planStore(t)
	ids, err := st.SaveSessions(ctx, estab, []sessions.Session{session("A", 2, parisTime(2026, 3, 16, 8, 30), candidate(id["123456789AB"], 0))}, planNow)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.CancelSessions(ctx, []int64{ids[0], ids[0]})
	if err != nil {
		t.Fatalf("cancel a session named twice: %v", err)
	}
	if n != 1 || len(described(t, st)) != 0 {
		t.Errorf("cancel %d twice: %d candidates, sessions left %q", ids[0], n, described(t, st))
	}
}

// A store of one school: a roster, a collecte-free year with results of
// 16 March (session 18842) and of 20 April, and sessions on both days.
func certifiedYear(t *testing.T) (st *store.Store, rosterImport, resultsImport int64) {
	t.Helper()
	st, estab, id := planStore(t)
	if _, err := st.SaveSessions(ctx, estab, []sessions.Session{
		session("A", 4, parisTime(2026, 3, 16, 8, 30), candidate(id["323456789AB"], 0), candidate(id["423456789AB"], 0)),
		session("B", 4, parisTime(2026, 4, 20, 8, 30), candidate(id["123456789AB"], 0)),
	}, planNow); err != nil {
		t.Fatal(err)
	}
	importAt(t, st, parisTime(2026, 3, 20, 9, 0), sample("resultats-3E1.csv"))
	importAt(t, st, parisTime(2026, 4, 25, 9, 0), file("avril.csv", resultsCSV(certRow{number: "20489999", first: "Léa", last: "DUPONT",
		born: "14/03/2011", ine: "123456789AB", status: "Validée", pix: "250", session: "19000", date: "20/04/2026", levels: sixLv})))
	list, err := st.Imports(ctx, 0)
	if err != nil || len(list) != 3 || list[0].Kind != store.KindRoster || list[1].Kind != store.KindResults {
		t.Fatalf("imports %+v, %v", list, err)
	}
	checked(t, st, "certified year")
	return st, list[0].ID, list[1].ID
}

func tableCounts(t *testing.T, st *store.Store) string {
	t.Helper()
	db := rawDB(t, st)
	return fmt.Sprintf("results %d, sessions %d, candidates %d, students %d",
		count(t, db, `SELECT count(*) FROM certification_results`), count(t, db, `SELECT count(*) FROM certification_sessions`),
		count(t, db, `SELECT count(*) FROM session_candidates`), count(t, db, `SELECT count(*) FROM students`))
}

func TestForgetResultsAndEstablishments(t *testing.T) {
	// The March results export alone: its rows go, the rest stays.
	st, _, march := certifiedYear(t)
	plan, err := st.PlanForget(ctx, []int64{march})
	if err != nil || plan.Results != 2 || plan.Sessions != 0 || plan.Students != 0 || len(plan.Establishments) != 0 {
		t.Errorf("PlanForget(%d) = %+v, %v; want 2 results", march, plan, err)
	}
	gone, err := st.Forget(ctx, []int64{march})
	if err != nil || gone.Results != 2 {
		t.Fatalf("Forget(%d) = %+v, %v", march, gone, err)
	}
	if got, want := tableCounts(t, st), "results 1, sessions 2, candidates 3, students 8"; got != want {
		t.Errorf("after forgetting the March results: %s, want %s", got, want)
	}
	if got := storedResults(t, st); len(got) != 1 || got["20489999"] == "" {
		t.Errorf("results left %v, want April's", got)
	}
	checked(t, st, "forget a results export")

	// The whole establishment: its sessions, candidates and results too.
	st, _, _ = certifiedYear(t)
	var all []int64
	list, _ := st.Imports(ctx, 0)
	for _, r := range list {
		all = append(all, r.ID)
	}
	plan, err = st.PlanForget(ctx, all)
	if err != nil || plan.Results != 3 || plan.Sessions != 2 || plan.Students != 8 || len(plan.Establishments) != 1 {
		t.Errorf("PlanForget(all) = %+v, %v", plan, err)
	}
	gone, err = st.Forget(ctx, all)
	if err != nil || gone.Results != plan.Results || gone.Sessions != plan.Sessions {
		t.Fatalf("Forget(all) = %+v, %v; planned %+v", gone, err, plan)
	}
	if got, want := tableCounts(t, st), "results 0, sessions 0, candidates 0, students 0"; got != want {
		t.Errorf("after forgetting the establishment: %s, want %s", got, want)
	}
	if has, err := st.HasResults(ctx, 0, ""); err != nil || has {
		t.Errorf("HasResults after forgetting everything = %v, %v", has, err)
	}
	checked(t, st, "forget the establishment")
}

func TestPurgeBeforeRemovesCertificationsOfThePast(t *testing.T) {
	st, _, _ := certifiedYear(t)
	before := tableCounts(t, st)
	dry, err := st.PurgeBefore(ctx, "2026-04-01", true)
	if err != nil || dry.Results != 2 || dry.Sessions != 1 {
		t.Fatalf("dry run %+v, %v; want 2 results, 1 session", dry, err)
	}
	if got := tableCounts(t, st); got != before {
		t.Fatalf("a dry run changed the store: %s, was %s", got, before)
	}
	purged, err := st.PurgeBefore(ctx, "2026-04-01", false)
	if err != nil || purged != dry {
		t.Fatalf("purge %+v (the dry run said %+v), %v", purged, dry, err)
	}
	if got, want := tableCounts(t, st), "results 1, sessions 1, candidates 1, students 8"; got != want {
		t.Errorf("after the purge: %s, want %s", got, want)
	}
	if got := storedResults(t, st); len(got) != 1 || !strings.HasPrefix(got["20489999"], "Validée|250|") {
		t.Errorf("results left %v, want April's", got)
	}
	list, err := st.Sessions(ctx, 0, nil)
	if err != nil || len(list) != 1 || list[0].Room != "B" || len(list[0].Candidates) != 1 {
		t.Errorf("sessions left %+v, %v; want B", list, err)
	}
	// The March results import, made before the day, holds nothing now:
	// it goes; the roster, which lists the students, and April's stay.
	imports, _ := st.Imports(ctx, 0)
	if len(imports) != 2 || imports[0].Kind != store.KindRoster || !strings.HasSuffix(imports[1].File, "avril.csv") {
		t.Errorf("imports after the purge: %+v, want the roster and April's results", imports)
	}
	checked(t, st, "purge")
	// A purge after every certification: April's too, and its import.
	again, err := st.PurgeBefore(ctx, "2026-09-01", false)
	if err != nil || again.Results != 1 || again.Sessions != 1 || again.Imports != 1 {
		t.Errorf("purge of 1 September: %+v, %v", again, err)
	}
	if got, want := tableCounts(t, st), "results 0, sessions 0, candidates 0, students 8"; got != want {
		t.Errorf("after the second purge: %s, want %s", got, want)
	}
	checked(t, st, "second purge")
}
