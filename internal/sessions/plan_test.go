package sessions

import (
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
)

// at is a time of the plan, in Paris: "16/03/2026 08:30".
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("02/01/2006 15:04", s, frdate.Paris())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func slot(t testing.TB, room string, seats int, when string, supervisors ...string) Slot {
	return Slot{Site: "Collège Jean Moulin", Room: room, Seats: seats, Start: at(t, when), Supervisors: supervisors}
}

// class makes n students of a class; those at the indexes of extra have
// 33 % extra time. Ids follow the class so that no two classes share one.
func class(name string, n int, extra ...int) []Candidate {
	base := int64(0)
	for _, r := range name {
		base = base*131 + int64(r)
	}
	out := make([]Candidate, n)
	for i := range out {
		out[i] = Candidate{StudentID: base*1000 + int64(i) + 1, LastName: fmt.Sprintf("NOM%02d", i+1),
			FirstName: "Élève", Birthdate: "2011-01-01", Class: name}
	}
	for _, i := range extra {
		out[i].ExtraTime = 33
	}
	return out
}

func join(lists ...[]Candidate) []Candidate {
	var out []Candidate
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// summary writes a plan one line a session, then one a student left:
// « CDI 16/03 08:30-10:15 [Mme Durand] 3E1×24 3E2×3+1 » where +1 counts
// students with extra time.
func summary(plan Plan) string {
	var b strings.Builder
	for _, s := range plan.Sessions {
		fmt.Fprintf(&b, "%s %s-%s [%s]", s.Room, s.Start.In(frdate.Paris()).Format("02/01 15:04"),
			s.End.In(frdate.Paris()).Format("15:04"), strings.Join(s.Supervisors, ", "))
		for i := 0; i < len(s.Candidates); {
			j, extra := i, 0
			for ; j < len(s.Candidates) && s.Candidates[j].Class == s.Candidates[i].Class; j++ {
				if s.Candidates[j].ExtraTime > 0 {
					extra++
				}
			}
			fmt.Fprintf(&b, " %s×%d", s.Candidates[i].Class, j-i-extra)
			if extra > 0 {
				fmt.Fprintf(&b, "+%d", extra)
			}
			i = j
		}
		b.WriteByte('\n')
	}
	for _, l := range plan.Left {
		fmt.Fprintf(&b, "left %s %s: %s\n", l.Class, l.LastName, l.Reason)
	}
	return b.String()
}

func TestMake(t *testing.T) {
	pool := []string{"Mme Durand", "M. Petit"}
	tests := []struct {
		name       string
		spec       Spec
		candidates []Candidate
		want       string
	}{
		{
			// The case: the class with a student with extra time
			// sits together in the last slot of a room, which can run
			// longer; the others fill the first slots, the smaller room
			// to the class it fits best.
			name: "two rooms over two slots, three classes, one student with extra time",
			spec: Spec{Supervisors: pool, Slots: []Slot{
				slot(t, "CDI", 30, "16/03/2026 08:30"), slot(t, "Salle 12", 24, "16/03/2026 08:30"),
				slot(t, "CDI", 30, "16/03/2026 10:45"), slot(t, "Salle 12", 24, "16/03/2026 10:45"),
			}},
			candidates: join(class("3E1", 26, 4), class("3E2", 22), class("3E3", 20)),
			want: "CDI 16/03 08:30-10:15 [Mme Durand] 3E3×20\n" +
				"Salle 12 16/03 08:30-10:15 [M. Petit] 3E2×22\n" +
				"CDI 16/03 10:45-13:05 [Mme Durand] 3E1×25+1\n",
		},
		{
			name: "a class that fits nowhere is split over as few sessions as possible",
			spec: Spec{Supervisors: pool, Slots: []Slot{
				slot(t, "CDI", 30, "16/03/2026 08:30"), slot(t, "Salle 12", 24, "16/03/2026 08:30"),
				slot(t, "Salle 14", 10, "16/03/2026 08:30"),
			}},
			candidates: class("3E1", 40),
			want: "CDI 16/03 08:30-10:15 [Mme Durand] 3E1×30\n" +
				"Salle 14 16/03 08:30-10:15 [M. Petit] 3E1×10\n",
		},
		{
			name: "a split class is cut in alphabetical order, in time order",
			spec: Spec{Supervisors: pool, Slots: []Slot{
				slot(t, "Salle 12", 24, "16/03/2026 10:45"), slot(t, "CDI", 20, "16/03/2026 08:30"),
			}},
			candidates: class("3E1", 30),
			want: "CDI 16/03 08:30-10:15 [M. Petit] 3E1×20\n" +
				"Salle 12 16/03 10:45-12:30 [Mme Durand] 3E1×10\n",
		},
		{
			name:       "a plan that cannot fit says how many seats are missing",
			spec:       Spec{Supervisors: pool, Slots: []Slot{slot(t, "CDI", 4, "16/03/2026 08:30")}},
			candidates: join(class("3E1", 3), class("3E2", 3)),
			want: "CDI 16/03 08:30-10:15 [Mme Durand] 3E1×3 3E2×1\n" +
				"left 3E2 NOM02: plus de place : 2 places manquent pour 3E2 (ajoutez une salle ou un créneau)\n" +
				"left 3E2 NOM03: plus de place : 2 places manquent pour 3E2 (ajoutez une salle ou un créneau)\n",
		},
		{
			name: "pooled supervisors are never in two rooms at once, and share the load",
			spec: Spec{Supervisors: []string{"Mme Durand", "M. Petit", "M. Bernard"}, Slots: []Slot{
				slot(t, "CDI", 10, "16/03/2026 08:30"), slot(t, "Salle 12", 10, "16/03/2026 08:30"),
				slot(t, "CDI", 10, "16/03/2026 10:45"), slot(t, "Salle 12", 10, "16/03/2026 10:45"),
			}},
			candidates: join(class("3E1", 10), class("3E2", 10), class("3E3", 10), class("3E4", 10)),
			want: "CDI 16/03 08:30-10:15 [Mme Durand] 3E1×10\n" +
				"Salle 12 16/03 08:30-10:15 [M. Petit] 3E2×10\n" +
				"CDI 16/03 10:45-12:30 [M. Bernard] 3E3×10\n" +
				"Salle 12 16/03 10:45-12:30 [Mme Durand] 3E4×10\n",
		},
		{
			name: "a slot whose supervisor is given keeps them; a slot no supervisor is free for is not used",
			spec: Spec{Supervisors: []string{"Mme Durand"}, Slots: []Slot{
				slot(t, "CDI", 10, "16/03/2026 08:30", "M. Petit"), slot(t, "Salle 12", 10, "16/03/2026 08:30"),
				slot(t, "Salle 14", 10, "16/03/2026 08:30"),
			}},
			candidates: join(class("3E1", 10), class("3E2", 10), class("3E3", 1)),
			want: "CDI 16/03 08:30-10:15 [M. Petit] 3E1×10\n" +
				"Salle 12 16/03 08:30-10:15 [Mme Durand] 3E2×10\n" +
				"left 3E3 NOM01: plus de place : 1 place manque pour 3E3 ; un créneau reste inutilisé faute de surveillant libre (salle « Salle 14 », 16/03/2026 à 08:30) : ajoutez un surveillant, ou une salle ou un créneau\n",
		},
		{
			// The class fills the first slot; its students with extra time
			// cannot stay, as the room's next slot starts before they
			// would finish: they go to the earliest slot that can run
			// longer, and the next class is then one seat short.
			name: "extra time blocked by the next slot in the same room",
			spec: Spec{Supervisors: pool, Slots: []Slot{
				slot(t, "CDI", 30, "16/03/2026 08:30"), slot(t, "CDI", 30, "16/03/2026 10:45"),
			}},
			candidates: join(class("3E1", 31, 0, 1), class("3E2", 30)),
			want: "CDI 16/03 08:30-10:15 [Mme Durand] 3E1×29 3E2×1\n" +
				"CDI 16/03 10:45-13:05 [M. Petit] 3E1×0+2 3E2×28\n" +
				"left 3E2 NOM30: plus de place : 1 place manque pour 3E2 (ajoutez une salle ou un créneau)\n",
		},
		{
			name: "extra time with no slot long enough left free",
			spec: Spec{Supervisors: pool, Slots: []Slot{
				slot(t, "CDI", 30, "16/03/2026 08:30"), slot(t, "CDI", 1, "16/03/2026 10:45"),
			}},
			candidates: join(class("3E1", 3, 0, 1)),
			want: "CDI 16/03 08:30-10:15 [Mme Durand] 3E1×1\n" +
				"CDI 16/03 10:45-13:05 [M. Petit] 3E1×0+1\n" +
				"left 3E1 NOM02: temps majoré de 33 % : aucun créneau assez long pour 2h20 d'épreuve n'a de place libre (ajoutez un créneau sans autre créneau juste après dans la même salle)\n",
		},
		{
			// The first slot's supervisor has another right after: the
			// class goes to the later slot, which can run longer, to sit
			// together.
			name: "extra time blocked by a supervisor's next slot",
			spec: Spec{Slots: []Slot{
				slot(t, "CDI", 30, "16/03/2026 10:45", "Mme Durand"), slot(t, "Salle 12", 30, "16/03/2026 13:15", "Mme Durand"),
			}},
			candidates: class("3E1", 3, 0),
			want:       "Salle 12 16/03 13:15-15:35 [Mme Durand] 3E1×2+1\n",
		},
		{
			name: "the same student twice is seated once",
			spec: Spec{Supervisors: pool, Slots: []Slot{slot(t, "CDI", 30, "16/03/2026 08:30")}},
			candidates: join(class("3E1", 2), class("3E1", 2),
				[]Candidate{{LastName: "Martin", FirstName: "Léa", Birthdate: "2011-02-03", Class: "3E2"},
					{LastName: "MARTIN", FirstName: "Léa ", Birthdate: "2011-02-03", Class: "3E2"}}),
			want: "CDI 16/03 08:30-10:15 [Mme Durand] 3E1×2 3E2×1\n",
		},
		{
			name:       "duration and margin as the spec says",
			spec:       Spec{Supervisors: pool, Duration: 90 * time.Minute, Margin: 10 * time.Minute, Slots: []Slot{slot(t, "CDI", 30, "16/03/2026 08:30"), slot(t, "CDI", 30, "16/03/2026 10:20")}},
			candidates: class("3E1", 2, 1),
			want:       "CDI 16/03 10:20-12:20 [Mme Durand] 3E1×1+1\n",
		},
		{
			name:       "no candidates, no sessions",
			spec:       Spec{Supervisors: pool, Slots: []Slot{slot(t, "CDI", 30, "16/03/2026 08:30")}},
			candidates: nil,
			want:       "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := Make(tt.spec, tt.candidates)
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(plan); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			checkPlan(t, tt.spec, tt.candidates, plan)
		})
	}
}

func TestMakeRefusesAWrongSpec(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want []string
	}{
		{"no slot", Spec{Supervisors: []string{"Mme Durand"}}, []string{"aucun créneau"}},
		{"no seats", Spec{Supervisors: []string{"Mme Durand"}, Slots: []Slot{slot(t, "CDI", 0, "16/03/2026 08:30")}},
			[]string{"salle « CDI », 16/03/2026 à 08:30 : 0 place ; indiquez le nombre de places"}},
		{"overlapping slots in one room", Spec{Supervisors: []string{"Mme Durand", "M. Petit"}, Slots: []Slot{
			slot(t, "CDI", 30, "16/03/2026 08:30"), slot(t, "cdi", 30, "16/03/2026 10:30"), slot(t, "Salle 12", 30, "16/03/2026 10:30"),
		}}, []string{"salle « CDI » : les créneaux de 16/03/2026 à 08:30 et de 16/03/2026 à 10:30 se chevauchent (chacun occupe la salle 15 min avant et après l'épreuve de 1h45) ; espacez-les d'au moins 2h15"}},
		{"a supervisor in two rooms at once", Spec{Slots: []Slot{
			slot(t, "CDI", 30, "16/03/2026 08:30", "Mme Durand"), slot(t, "Salle 12", 30, "16/03/2026 09:00", "mme DURAND", "M. Petit"),
		}}, []string{"Mme Durand surveille deux créneaux qui se chevauchent : salle « CDI », 16/03/2026 à 08:30 et salle « Salle 12 », 16/03/2026 à 09:00"}},
		{"a slot without supervisors and none shared", Spec{Slots: []Slot{
			slot(t, "CDI", 30, "16/03/2026 08:30", "Mme Durand"), slot(t, "Salle 12", 30, "16/03/2026 08:30"),
		}}, []string{"salle « Salle 12 », 16/03/2026 à 08:30 : aucun surveillant"}},
		{"every problem at once", Spec{Slots: []Slot{
			slot(t, "CDI", -1, "16/03/2026 08:30"), slot(t, "CDI", 30, "16/03/2026 08:30", "M. Petit"),
		}}, []string{"-1 place", "aucun surveillant", "se chevauchent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Make(tt.spec, class("3E1", 3))
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SpecError", err)
			}
			if len(se.Problems) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(se.Problems), len(tt.want), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got:\n%v\nwant it to hold %q", err, w)
				}
			}
		})
	}
}

func TestExtraTimeLength(t *testing.T) {
	p := &planner{duration: DefaultDuration}
	for _, tt := range []struct {
		extra int
		want  time.Duration
	}{{0, 105 * time.Minute}, {-5, 105 * time.Minute}, {33, 140 * time.Minute}, {50, 158 * time.Minute}, {100, 210 * time.Minute},
		{1, 107 * time.Minute}, {1 << 40, 105 * 11 * time.Minute}} {
		if got := p.lengthOf(Candidate{ExtraTime: tt.extra}); got != tt.want {
			t.Errorf("%d %%: got %v, want %v", tt.extra, got, tt.want)
		}
	}
}

// TestMakeIsStable: the order of the candidates and of the slots does not
// change the plan.
func TestMakeIsStable(t *testing.T) {
	spec := Spec{Supervisors: []string{"Mme Durand", "M. Petit", "M. Bernard"}, Slots: []Slot{
		slot(t, "CDI", 30, "16/03/2026 08:30"), slot(t, "Salle 12", 24, "16/03/2026 08:30"),
		slot(t, "CDI", 30, "16/03/2026 10:45"), slot(t, "Salle 12", 24, "16/03/2026 10:45"),
		slot(t, "Salle 14", 12, "16/03/2026 13:30"),
	}}
	candidates := join(class("3E1", 26, 4), class("3E2", 22, 1, 2), class("3E3", 20), class("3E4", 29), class("3E1", 3))
	want, err := Make(spec, candidates)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	for range 20 {
		c := append([]Candidate(nil), candidates...)
		rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
		s := spec
		s.Slots = append([]Slot(nil), spec.Slots...)
		rng.Shuffle(len(s.Slots), func(i, j int) { s.Slots[i], s.Slots[j] = s.Slots[j], s.Slots[i] })
		got, err := Make(s, c)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("a shuffled input gives another plan:\n%s\nrather than:\n%s", summary(got), summary(want))
		}
	}
}

// TestMakeRandomSpecs holds random plans to what every plan must be.
func TestMakeRandomSpecs(t *testing.T) {
	var left, longer, split int // plans that show each, so that the seeds test something
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		spec, candidates := randomInput(t, rng)
		plan, err := Make(spec, candidates)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkPlan(t, spec, candidates, plan)
		if len(plan.Left) > 0 {
			left++
		}
		sessionsOf := map[string]map[int]bool{}
		for i, s := range plan.Sessions {
			if s.End.Sub(s.Start) > DefaultDuration {
				longer++
			}
			for _, c := range s.Candidates {
				if c.ExtraTime == 0 {
					if sessionsOf[c.Class] == nil {
						sessionsOf[c.Class] = map[int]bool{}
					}
					sessionsOf[c.Class][i] = true
				}
			}
		}
		for _, in := range sessionsOf {
			if len(in) > 1 {
				split++
			}
		}
		rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
		rng.Shuffle(len(spec.Slots), func(i, j int) { spec.Slots[i], spec.Slots[j] = spec.Slots[j], spec.Slots[i] })
		again, err := Make(spec, candidates)
		if err != nil || !reflect.DeepEqual(again, plan) {
			t.Fatalf("seed %d: shuffled, another plan (%v):\n%s\nrather than:\n%s", seed, err, summary(again), summary(plan))
		}
	}
	t.Logf("%d plans with students left, %d sessions with extra time, %d split classes", left, longer, split)
	if left < 10 || longer < 10 || split < 10 {
		t.Errorf("the random plans test little: %d with students left, %d sessions with extra time, %d split classes", left, longer, split)
	}
}

// randomInput makes a valid spec, slots of each room far enough apart,
// some with their supervisors, and candidates with a few with extra time
// and a few twice.
func randomInput(t testing.TB, rng *rand.Rand) (Spec, []Candidate) {
	var spec Spec
	names := []string{"Mme Durand", "M. Petit", "M. Bernard", "Mme Roux", "M. Blanc"}
	spec.Supervisors = names[:rng.Intn(4)]
	day := at(t, "16/03/2026 08:00")
	for r := range 1 + rng.Intn(4) {
		start := day.Add(time.Duration(rng.Intn(8)) * 15 * time.Minute)
		for range 1 + rng.Intn(4) {
			s := Slot{Room: fmt.Sprintf("Salle %d", r+1), Seats: 1 + rng.Intn(35), Start: start}
			if len(spec.Supervisors) == 0 || rng.Intn(3) == 0 {
				s.Supervisors = []string{names[rng.Intn(len(names))]}
			}
			spec.Slots = append(spec.Slots, s)
			start = start.Add(DefaultDuration + 2*DefaultMargin + time.Duration(rng.Intn(6))*15*time.Minute)
		}
	}
	// Supervisors the spec names in two overlapping slots are moved to the
	// shared pool: the spec must be valid.
	for {
		_, err := Make(spec, nil)
		if err == nil {
			break
		}
		if len(spec.Supervisors) == 0 {
			spec.Supervisors = names[:1+rng.Intn(len(names))]
		}
		for i := range spec.Slots {
			if len(spec.Slots[i].Supervisors) > 0 && rng.Intn(2) == 0 {
				spec.Slots[i].Supervisors = nil
			}
		}
	}
	var candidates []Candidate
	for c := range rng.Intn(7) {
		n := rng.Intn(36)
		for i := range n {
			cand := Candidate{StudentID: int64(c*100 + i + 1), LastName: fmt.Sprintf("NOM%d", rng.Intn(20)),
				FirstName: "Élève", Class: fmt.Sprintf("3E%d", c+1)}
			if rng.Intn(10) == 0 {
				cand.ExtraTime = []int{25, 33, 50}[rng.Intn(3)]
			}
			if rng.Intn(8) == 0 {
				cand.StudentID = 0 // by name: those of the same name are one
			}
			candidates = append(candidates, cand)
			if rng.Intn(20) == 0 {
				candidates = append(candidates, cand)
			}
		}
	}
	return spec, candidates
}

// checkPlan fails when plan breaks what every plan must hold: no room over
// its seats, each student once, no supervisor in two sessions at once, no
// two sessions in a room at once, every session supervised and long enough
// for its students.
func checkPlan(t *testing.T, spec Spec, candidates []Candidate, plan Plan) {
	t.Helper()
	duration, margin := spec.Duration, spec.Margin
	if duration == 0 {
		duration = DefaultDuration
	}
	if margin == 0 {
		margin = DefaultMargin
	}
	identity := func(c Candidate) string {
		if c.StudentID != 0 {
			return fmt.Sprint(c.StudentID)
		}
		return fold.Key(c.LastName) + "/" + fold.Key(c.FirstName) + "/" + c.Birthdate
	}
	want := map[string]bool{}
	for _, c := range candidates {
		want[identity(c)] = true
	}
	seen := map[string]bool{}
	once := func(c Candidate) {
		if seen[identity(c)] {
			t.Fatalf("%s %s is placed twice", c.LastName, identity(c))
		}
		seen[identity(c)] = true
	}
	for i, s := range plan.Sessions {
		if len(s.Candidates) == 0 || len(s.Candidates) > s.Seats {
			t.Fatalf("session %d: %d candidates for %d seats", i, len(s.Candidates), s.Seats)
		}
		if len(s.Supervisors) == 0 {
			t.Fatalf("session %d has no supervisor", i)
		}
		if i > 0 && plan.Sessions[i-1].Start.After(s.Start) {
			t.Fatalf("sessions out of order")
		}
		longest := duration
		for _, c := range s.Candidates {
			once(c)
			longest = max(longest, (&planner{duration: duration}).lengthOf(c))
		}
		if !s.End.Equal(s.Start.Add(longest)) {
			t.Fatalf("session %d ends at %v, its longest test at %v", i, s.End, s.Start.Add(longest))
		}
		for _, o := range plan.Sessions[:i] {
			apart := !s.Start.Add(-margin).Before(o.End.Add(margin)) || !o.Start.Add(-margin).Before(s.End.Add(margin))
			if apart {
				continue
			}
			if fold.Key(o.Site) == fold.Key(s.Site) && fold.Key(o.Room) == fold.Key(s.Room) {
				t.Fatalf("two sessions in %s at once:\n%s", s.Room, summary(plan))
			}
			for _, a := range s.Supervisors {
				for _, b := range o.Supervisors {
					if fold.Key(a) == fold.Key(b) {
						t.Fatalf("%s in two sessions at once:\n%s", a, summary(plan))
					}
				}
			}
		}
	}
	for _, l := range plan.Left {
		once(l.Candidate)
		if l.Reason == "" {
			t.Fatalf("%s left without a reason", l.LastName)
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("%d students placed or left, %d given", len(seen), len(want))
	}
}
