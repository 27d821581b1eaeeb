package sessions

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/visible"
)

// maxExtraTime bounds the extra time a plan computes with, in percent: a
// student's time is at most doubled in practice; past ten times the test,
// no slot fits anyway, and the bound keeps the durations from overflowing.
const maxExtraTime = 1000

// maxProblems bounds the lines of a SpecError: a plan of a thousand slots
// all in one room would otherwise list half a million overlaps.
const maxProblems = 50

// SpecError is a spec no plan can be made from: slots that overlap in one
// room, a supervisor in two rooms at once, a room without seats. Problems
// are French, one a line, each naming the room, the date and the time; it
// is the spec to fix, not the students.
type SpecError struct {
	Problems []string // the first maxProblems
	Total    int      // how many there were
}

func (e *SpecError) Error() string {
	msg := strings.Join(e.Problems, "\n")
	if more := e.Total - len(e.Problems); more > 0 {
		msg += fmt.Sprintf("\n… et %s.", french.Plural(more, "autre problème", "autres problèmes"))
	}
	return msg
}

func (e *SpecError) add(format string, args ...any) {
	e.Total++
	if len(e.Problems) < maxProblems {
		e.Problems = append(e.Problems, fmt.Sprintf(format, args...))
	}
}

// Make spreads candidates over the slots of spec. It fails only when the
// spec itself is wrong (*SpecError); students it cannot place are in
// Plan.Left, each with the reason, so that a referent sees what to add.
//
// It is greedy, class after class in their order, and deterministic: the
// candidates and slots are sorted first, so the plan depends neither on
// their order nor on map iteration. A greedy plan is not always the
// tightest, but a referent can predict it and redo it by hand; and the
// same file gives the same plan, every time it is printed.
func Make(spec Spec, candidates []Candidate) (Plan, error) {
	p, err := newPlanner(spec)
	if err != nil {
		return Plan{}, err
	}
	sorted := sortCandidates(candidates)
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && sorted[end].classKey == sorted[start].classKey {
			end++
		}
		p.placeClass(sorted[start:end])
		start = end
	}
	return p.plan(), nil
}

// slotState is a slot as the plan fills it.
type slotState struct {
	Slot
	order   int    // in the sorted slots
	roomKey string // site and room, folded: « CDI » and « cdi » are one room
	// given: the spec names its supervisors; otherwise the plan gives it
	// one of the shared ones when it first seats a student there.
	given       bool
	supervisors []string
	supIDs      []int
	start       int64 // Start in Unix seconds, compared many times a plan
	opened      bool
	longest     time.Duration // of its candidates' tests; 0 until opened
	candidates  []*candidate
}

func (s *slotState) free() int { return s.Seats - len(s.candidates) }

type planner struct {
	duration, margin time.Duration
	slots            []*slotState
	rooms            map[string][]*slotState
	// Supervisors are numbered, by their folded name: ids. names holds
	// each one's name as first written, held the slots they hold: those
	// the spec names them for, used or not (when the plan gives a shared
	// slot a supervisor, it cannot know yet whether a named slot will be
	// needed), and those the plan gave them; load counts their sessions.
	ids       map[string]int
	names     []string
	held      [][]*slotState
	load      []int
	pool      []int // the shared supervisors, in the order given
	multiSite bool  // name the site in messages only when there are several
	left      []*candidate
}

// supervisor returns the id of the supervisor key, numbering a new one.
func (p *planner) supervisor(key, name string) int {
	if id, ok := p.ids[key]; ok {
		return id
	}
	id := len(p.names)
	p.ids[key] = id
	p.names = append(p.names, name)
	p.held = append(p.held, nil)
	p.load = append(p.load, 0)
	return id
}

// candidate is a Candidate with what sorting and placing it needs.
type candidate struct {
	Candidate
	order    int // in the sorted candidates
	classKey string
	length   time.Duration // of their test, extra time included
	reason   string        // why they were left out
}

// newPlanner checks spec and makes the slots ready to fill.
func newPlanner(spec Spec) (*planner, error) {
	p := &planner{duration: spec.Duration, margin: spec.Margin, rooms: map[string][]*slotState{}, ids: map[string]int{}}
	problems := &SpecError{}
	if p.duration == 0 {
		p.duration = DefaultDuration
	}
	if p.margin == 0 {
		p.margin = DefaultMargin
	}
	badLengths := p.duration < 0 || p.duration > 24*time.Hour || p.margin < 0 || p.margin > 24*time.Hour
	if p.duration < 0 || p.duration > 24*time.Hour {
		problems.add("durée de l'épreuve impossible (%s) : indiquez-la en heures et minutes, par exemple 1h45.", formatLength(p.duration))
	}
	if p.margin < 0 || p.margin > 24*time.Hour {
		problems.add("marge impossible (%s) : indiquez le temps d'accueil avant l'épreuve, par exemple 15 min.", formatLength(p.margin))
	}
	if len(spec.Slots) == 0 {
		problems.add("aucun créneau : indiquez au moins une salle, avec son nombre de places, et une date et une heure.")
	}
	for _, name := range spec.Supervisors {
		name = tidy(name)
		if key := fold.Key(name); key != "" {
			if id := p.supervisor(key, name); !slices.Contains(p.pool, id) {
				p.pool = append(p.pool, id)
			}
		}
	}

	sites := map[string]bool{}
	for _, slot := range spec.Slots {
		s := &slotState{Slot: slot, start: slot.Start.Unix()}
		s.Site, s.Room = tidy(s.Site), tidy(s.Room)
		s.roomKey = fold.Key(s.Site) + "\x00" + fold.Key(s.Room)
		sites[fold.Key(s.Site)] = true
		for _, name := range slot.Supervisors {
			name = tidy(name)
			if key := fold.Key(name); key != "" {
				if id := p.supervisor(key, name); !slices.Contains(s.supIDs, id) {
					s.supervisors = append(s.supervisors, name)
					s.supIDs = append(s.supIDs, id)
				}
			}
		}
		s.given = len(s.supervisors) > 0
		p.slots = append(p.slots, s)
	}
	p.multiSite = len(sites) > 1
	slices.SortStableFunc(p.slots, func(a, b *slotState) int {
		return cmp.Or(a.Start.Compare(b.Start),
			cmp.Compare(fold.SortKey(a.Site), fold.SortKey(b.Site)), cmp.Compare(a.Site, b.Site),
			cmp.Compare(fold.SortKey(a.Room), fold.SortKey(b.Room)), cmp.Compare(a.Room, b.Room),
			cmp.Compare(a.Seats, b.Seats))
	})
	for i, s := range p.slots {
		s.order = i
		switch {
		case fold.Key(s.Room) == "":
			problems.add("%s : la salle n'a pas de nom ; nommez-la (« CDI », « Salle 12 »…).", p.where(s))
		case s.Start.IsZero():
			problems.add("salle « %s » : un créneau sans date ni heure ; indiquez-les (jj/mm/aaaa et HH:MM).", visible.Quote(s.Room))
		}
		if s.Seats <= 0 {
			problems.add("%s : %d place ; indiquez le nombre de places de la salle (au moins 1).", p.where(s), s.Seats)
		}
		if !s.given && len(p.pool) == 0 {
			problems.add("%s : aucun surveillant ; nommez-en un pour ce créneau, ou donnez des surveillants communs aux créneaux qui n'en nomment pas.", p.where(s))
		}
		p.rooms[s.roomKey] = append(p.rooms[s.roomKey], s)
		for _, id := range s.supIDs {
			p.held[id] = append(p.held[id], s)
		}
	}
	if len(spec.Slots) == 0 || badLengths {
		return nil, problems // overlaps mean nothing yet
	}

	// Every slot lasts as long before extra time: one that overlaps any
	// later slot of its room overlaps the next one, and checking
	// neighbours names each overlap once.
	for _, key := range sortedKeys(p.rooms) {
		room := p.rooms[key]
		for i := 1; i < len(room); i++ {
			a, b := room[i-1], room[i]
			if p.overlap(a, p.duration, b, p.duration) {
				problems.add("%s : les créneaux de %s et de %s se chevauchent (chacun occupe la salle %s avant et après l'épreuve de %s) ; espacez-les d'au moins %s, ou retirez-en un.",
					p.room(a), p.when(a), p.when(b), formatLength(p.margin), formatLength(p.duration), formatLength(p.duration+2*p.margin))
			}
		}
	}
	for _, key := range sortedKeys(p.ids) {
		id := p.ids[key]
		held := p.held[id]
		for i := 1; i < len(held); i++ {
			a, b := held[i-1], held[i]
			if p.overlap(a, p.duration, b, p.duration) {
				problems.add("%s surveille deux créneaux qui se chevauchent : %s et %s ; nommez un autre surveillant pour l'un des deux.",
					visible.Quote(p.names[id]), p.where(a), p.where(b))
			}
		}
	}
	if problems.Total > 0 {
		return nil, problems
	}
	return p, nil
}

// sortCandidates sorts candidates by class, last name, first name, birth
// date and id, and drops those already there: the same student twice in
// the list (two imports, a student who changed class) is seated once. The
// first in that order is kept, whatever the input order.
func sortCandidates(in []Candidate) []*candidate {
	type keyed struct {
		c                  *candidate
		class, last, first string
		identity           string
	}
	all := make([]keyed, len(in))
	for i, c := range in {
		k := keyed{c: &candidate{Candidate: c, classKey: fold.Key(c.Class)},
			class: fold.SortKey(c.Class), last: fold.SortKey(c.LastName), first: fold.SortKey(c.FirstName)}
		if c.StudentID != 0 {
			k.identity = fmt.Sprintf("id:%d", c.StudentID)
		} else {
			k.identity = "name:" + fold.Key(c.LastName) + "\x00" + fold.Key(c.FirstName) + "\x00" + c.Birthdate
		}
		all[i] = k
	}
	slices.SortFunc(all, func(a, b keyed) int {
		x, y := a.c.Candidate, b.c.Candidate
		return cmp.Or(cmp.Compare(a.class, b.class), cmp.Compare(a.last, b.last), cmp.Compare(a.first, b.first),
			cmp.Compare(x.Birthdate, y.Birthdate), cmp.Compare(x.StudentID, y.StudentID),
			// What is left only tells apart entries that are the same
			// student, of which one is kept: the same one, whatever the
			// input order.
			cmp.Compare(x.Class, y.Class), cmp.Compare(x.LastName, y.LastName), cmp.Compare(x.FirstName, y.FirstName),
			cmp.Compare(x.NationalID, y.NationalID), cmp.Compare(x.ExtraTime, y.ExtraTime))
	})
	seen := make(map[string]bool, len(all))
	out := make([]*candidate, 0, len(all))
	for _, k := range all {
		if seen[k.identity] {
			continue
		}
		seen[k.identity] = true
		k.c.order = len(out)
		out = append(out, k.c)
	}
	return out
}

// lengthOf is the test of a candidate.
func (p *planner) lengthOf(c Candidate) time.Duration { return LengthFor(p.duration, c.ExtraTime) }

// refusal is why a slot cannot take a student, from the slot nearest to
// taking them (only full) to the farthest (its room is taken after): a
// student left out is told of the nearest, the one to fix.
type refusal int

const (
	fits           refusal = iota
	full                   // not enough free seats
	noSupervisor           // no shared supervisor is free for that long
	supervisorBusy         // one of its supervisors has another slot before the end
	roomTaken              // the room's next slot starts before the end
)

// check tells whether s can seat need more students whose longest test is
// length, and which shared supervisor it would get if it has none yet.
func (p *planner) check(s *slotState, need int, length time.Duration) (refusal, int) {
	longer := max(p.length(s), length)
	if longer > p.duration {
		for _, o := range p.rooms[s.roomKey] {
			if o != s && p.overlap(s, longer, o, p.length(o)) {
				return roomTaken, -1
			}
		}
	}
	pick := -1
	if s.given || s.opened {
		if longer > p.length(s) || !s.opened {
			for _, id := range s.supIDs {
				if p.busy(id, s, longer) {
					return supervisorBusy, -1
				}
			}
		}
	} else if pick = p.pickSupervisor(s, longer); pick < 0 {
		return noSupervisor, -1
	}
	if s.free() < need {
		return full, -1
	}
	return fits, pick
}

// pickSupervisor gives a slot without supervisors the shared supervisor
// free for all of it who holds the fewest sessions so far, the first
// given on ties: the load is spread, and the order of the list, which the
// referent chose, settles the rest.
func (p *planner) pickSupervisor(s *slotState, length time.Duration) int {
	best := -1
	for _, id := range p.pool {
		if (best < 0 || p.load[id] < p.load[best]) && !p.busy(id, s, length) {
			best = id
		}
	}
	return best
}

// busy tells whether the supervisor id holds a slot other than s that
// overlaps s lasting length.
func (p *planner) busy(id int, s *slotState, length time.Duration) bool {
	for _, o := range p.held[id] {
		if o != s && p.overlap(s, length, o, p.length(o)) {
			return true
		}
	}
	return false
}

// length is how long s lasts now: its longest test once it has students,
// the test otherwise.
func (p *planner) length(s *slotState) time.Duration {
	if s.opened {
		return s.longest
	}
	return p.duration
}

// overlap tells whether a lasting la and b lasting lb occupy their room,
// or their supervisors, at the same time: from the margin before the
// start to the margin after the end.
func (p *planner) overlap(a *slotState, la time.Duration, b *slotState, lb time.Duration) bool {
	m := seconds(p.margin)
	return a.start-m < b.start+seconds(lb)+m && b.start-m < a.start+seconds(la)+m
}

// seconds rounds d up to the second: lengths are whole minutes but for a
// Spec written by hand, which then errs on the side of an overlap.
func seconds(d time.Duration) int64 { return int64((d + time.Second - 1) / time.Second) }

// open makes s a session, giving it the shared supervisor pick when it
// has none.
func (p *planner) open(s *slotState, pick int, length time.Duration) {
	if s.opened {
		return
	}
	if !s.given {
		s.supervisors, s.supIDs = []string{p.names[pick]}, []int{pick}
		p.held[pick] = append(p.held[pick], s)
	}
	for _, id := range s.supIDs {
		p.load[id]++
	}
	s.opened, s.longest = true, length
}

func (p *planner) seat(s *slotState, c *candidate) {
	s.candidates = append(s.candidates, c)
	s.longest = max(s.longest, c.length)
}

// choose finds where to seat need students whose longest test is length,
// among the slots where allows (all when nil): the earliest, so that
// sessions follow one another from the first slot and the later ones stay
// free for those who could not come; at the same time, the one whose free
// seats fit best, so that a small class leaves a big room to a big one.
// Site and room order settle the rest.
func (p *planner) choose(need int, length time.Duration, allows func(*slotState) bool) (*slotState, int) {
	var best *slotState
	bestPick := -1
	for _, s := range p.slots {
		if allows != nil && !allows(s) {
			continue
		}
		if best != nil && s.start > best.start {
			break
		}
		if s.free() < need || best != nil && s.free() >= best.free() {
			continue // would not be chosen: spare the check
		}
		r, pick := p.check(s, need, length)
		if r != fits {
			continue
		}
		if best == nil || s.free() < best.free() {
			best, bestPick = s, pick
		}
	}
	return best, bestPick
}

// placeClass seats one class. A class sits together when one slot can
// hold it, its extra-time students included (they are then not singled
// out); failing that, its other students sit together, or, when no slot
// holds them, over as few sessions as possible. Students with extra time
// then join a session of their class when it can run longer, or the
// earliest that can: they still sit the test, and those of several
// classes tend to share a room that can run longer, as schools arrange.
func (p *planner) placeClass(members []*candidate) {
	var regular, extra []*candidate
	longest := p.duration
	for _, c := range members {
		c.length = p.lengthOf(c.Candidate)
		if c.length > p.duration {
			extra = append(extra, c)
		} else {
			regular = append(regular, c)
		}
		longest = max(longest, c.length)
	}
	if s, pick := p.choose(len(members), longest, nil); s != nil {
		p.open(s, pick, longest)
		for _, c := range members {
			p.seat(s, c)
		}
		return
	}
	var home []*slotState
	if len(regular) > 0 && len(extra) > 0 {
		if s, pick := p.choose(len(regular), p.duration, nil); s != nil {
			p.open(s, pick, p.duration)
			for _, c := range regular {
				p.seat(s, c)
			}
			home = []*slotState{s}
		}
	}
	if home == nil && len(regular) > 0 {
		home = p.split(regular)
	}
	for _, c := range extra {
		inHome := func(s *slotState) bool { return slices.Contains(home, s) }
		s, pick := p.choose(1, c.length, inHome)
		if s == nil {
			s, pick = p.choose(1, c.length, nil)
		}
		if s == nil {
			c.reason = p.extraTimeReason(c)
			p.left = append(p.left, c)
			continue
		}
		p.open(s, pick, c.length)
		p.seat(s, c)
	}
}

// split seats students that no one slot holds over as few sessions as
// possible: the slots with the most free seats, but for the last, the
// one that fits the rest best, which leaves bigger rooms to other
// classes; the earliest on ties. They are filled in time order, so that
// the class is cut in alphabetical order. Those left over are left, with
// the seats missing. It returns the sessions it used.
func (p *planner) split(students []*candidate) []*slotState {
	var chosen []*slotState
	for seats := 0; seats < len(students); {
		rest := len(students) - seats
		var best *slotState
		bestPick := -1
		better := func(s *slotState) bool {
			switch {
			case best == nil:
				return true
			case s.free() >= rest && best.free() >= rest:
				return s.free() < best.free()
			}
			return s.free() > best.free()
		}
		for _, s := range p.slots {
			if s.free() == 0 || !better(s) || slices.Contains(chosen, s) {
				continue
			}
			if r, pick := p.check(s, 1, p.duration); r == fits {
				best, bestPick = s, pick
			}
		}
		if best == nil {
			break
		}
		p.open(best, bestPick, p.duration)
		chosen = append(chosen, best)
		seats += best.free()
	}
	slices.SortFunc(chosen, func(a, b *slotState) int { return a.order - b.order })
	next := 0
	for _, s := range chosen {
		for s.free() > 0 && next < len(students) {
			p.seat(s, students[next])
			next++
		}
	}
	if rest := students[next:]; len(rest) > 0 {
		reason := p.seatsReason(rest[0].Class, len(rest))
		for _, c := range rest {
			c.reason = reason
			p.left = append(p.left, c)
		}
	}
	return chosen
}

// seatsReason says that missing students of class found no seat, and
// which slots were left unused for want of a supervisor, if any.
func (p *planner) seatsReason(class string, missing int) string {
	var b strings.Builder
	who := "les élèves sans classe"
	if class = tidy(class); class != "" {
		who = visible.Quote(class)
	}
	fmt.Fprintf(&b, "plus de place : %s pour %s", french.Plural(missing, "place manque", "places manquent"), who)
	var starved []string
	for _, s := range p.slots {
		if !s.opened && s.free() > 0 {
			if r, _ := p.check(s, 1, p.duration); r == noSupervisor || r == supervisorBusy {
				starved = append(starved, p.where(s))
			}
		}
	}
	switch {
	case len(starved) == 0:
		b.WriteString(" (ajoutez une salle ou un créneau)")
	default:
		fmt.Fprintf(&b, " ; %s faute de surveillant libre (%s) : ajoutez un surveillant, ou une salle ou un créneau",
			french.Pick(len(starved), "un créneau reste inutilisé", fmt.Sprintf("%d créneaux restent inutilisés", len(starved))),
			strings.Join(firstOf(starved, 3), " ; "))
	}
	return b.String()
}

// extraTimeReason says why no slot takes c, whose test is longer, from
// the slot nearest to taking them.
func (p *planner) extraTimeReason(c *candidate) string {
	nearest := roomTaken
	for _, s := range p.slots {
		if r, _ := p.check(s, 1, c.length); r < nearest {
			nearest = r
		}
	}
	head := fmt.Sprintf("temps majoré de %d %% : ", c.ExtraTime)
	length := formatLength(c.length)
	switch nearest {
	case full:
		return head + fmt.Sprintf("aucun créneau assez long pour %s d'épreuve n'a de place libre (ajoutez un créneau sans autre créneau juste après dans la même salle)", length)
	case noSupervisor:
		return head + fmt.Sprintf("aucun surveillant commun n'est libre pendant tout un créneau assez long pour %s d'épreuve (ajoutez un surveillant)", length)
	case supervisorBusy:
		return head + fmt.Sprintf("les surveillants des créneaux assez longs pour %s d'épreuve en surveillent un autre juste après (nommez un autre surveillant, ou espacez les créneaux)", length)
	}
	return head + fmt.Sprintf("aucun créneau assez long pour %s d'épreuve (prévoyez un créneau sans autre créneau juste après dans la même salle)", length)
}

// plan writes out the sessions used and the students left, in their
// order.
func (p *planner) plan() Plan {
	var plan Plan
	for _, s := range p.slots {
		if len(s.candidates) == 0 {
			continue
		}
		slices.SortFunc(s.candidates, func(a, b *candidate) int { return a.order - b.order })
		session := Session{Slot: s.Slot, Supervisors: slices.Clone(s.supervisors), End: s.Start.Add(s.longest),
			Duration: p.duration, Margin: p.margin}
		session.Slot.Supervisors = slices.Clone(s.Slot.Supervisors)
		for _, c := range s.candidates {
			session.Candidates = append(session.Candidates, c.Candidate)
		}
		plan.Sessions = append(plan.Sessions, session)
	}
	slices.SortFunc(p.left, func(a, b *candidate) int { return a.order - b.order })
	for _, c := range p.left {
		plan.Left = append(plan.Left, Left{Candidate: c.Candidate, Reason: c.reason})
	}
	return plan
}

// where names a slot in a message: its room, date and time.
func (p *planner) where(s *slotState) string {
	return p.room(s) + ", " + p.when(s)
}

func (p *planner) room(s *slotState) string {
	if p.multiSite && s.Site != "" {
		return fmt.Sprintf("salle « %s » (%s)", visible.Quote(s.Room), visible.Quote(s.Site))
	}
	return fmt.Sprintf("salle « %s »", visible.Quote(s.Room))
}

func (p *planner) when(s *slotState) string {
	t := s.Start.In(frdate.Paris())
	return t.Format("02/01/2006") + " à " + t.Format("15:04")
}

// formatLength writes a duration as a timetable does: 1h45, 2h, 45 min.
func formatLength(d time.Duration) string {
	if d < 0 {
		return "-" + formatLength(-d)
	}
	minutes := int64((d + time.Minute - 1) / time.Minute)
	h, m := minutes/60, minutes%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02d", h, m)
}

// tidy trims a name and collapses its inner spaces, as a person reads it.
func tidy(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstOf(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(slices.Clone(items[:n]), "…")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
