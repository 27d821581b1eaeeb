// Package sessions plans certification sessions (pix-formats.md §8): it
// spreads the students to present over the rooms and times a school has,
// keeping classes together, never over a room's seats, never a supervisor
// in two rooms at once. It knows nothing of the store or of files but the
// plan file it reads (spec.go); the plan it makes is stable: the same
// input gives the same plan.
//
// A session holds its room and its supervisors from the margin before the
// test, when students are seated and their identity checked, to the
// margin after the last of them finishes: the supervisor stays until the
// room is empty, and the next session's students wait outside. Two slots
// of one room, or of one supervisor, are thus at least the test and two
// margins apart (2h15 by default), and a student with extra time can sit
// only where the session may run longer.
//
// The plan is greedy rather than optimal: a referent must be able to
// predict it, explain it to a colleague and fix it by hand, and what
// cannot be placed is said with what to add, not left to a solver.
package sessions

import (
	"slices"
	"time"

	"github.com/pixcert/pixcert/internal/fold"
)

// Default lengths (pix-formats.md §8): the test lasts 1h45 (v3), and
// students are seated before it and leave after it.
const (
	DefaultDuration = 105 * time.Minute
	DefaultMargin   = 15 * time.Minute
	// DefaultExtraTime is the usual « tiers temps » of a student with
	// extra time, in percent, when none is said.
	DefaultExtraTime = 33
)

// Slot is a room free at a time: where a session may take place.
type Slot struct {
	Site  string // « Nom du site »
	Room  string // « Nom de la salle »
	Seats int    // students the room holds
	// Start is when the test starts, in Europe/Paris time
	// (frdate.Paris()).
	Start time.Time
	// Supervisors who supervise this slot; empty: taken from
	// Spec.Supervisors.
	Supervisors  []string
	Observations string
}

// Spec is what a referent gives to plan sessions: where and when.
type Spec struct {
	Slots []Slot
	// Supervisors are shared among the slots that name none.
	Supervisors []string
	Duration    time.Duration // the test; DefaultDuration when zero
	Margin      time.Duration // seating before and leaving after; DefaultMargin when zero
}

// Candidate is a student to present.
type Candidate struct {
	StudentID  int64
	LastName   string // birth name
	FirstName  string
	Birthdate  string // YYYY-MM-DD; "" when unknown
	Class      string
	NationalID string // INE; "" when unknown
	// ExtraTime is the student's extra time in percent (33 for a third);
	// 0 for none.
	ExtraTime int
}

// Session is a slot a plan uses, with its candidates.
type Session struct {
	Slot
	// Duration is the test for candidates without extra time, Margin the
	// time to seat them before it and to leave after it.
	Duration, Margin time.Duration
	// Supervisors are the slot's, or those the plan gave it.
	Supervisors []string
	// End is when the last candidate finishes: Start + Duration, longer
	// by the largest extra time among its candidates.
	End        time.Time
	Candidates []Candidate // by class, then name
}

// Left is a candidate a plan could not place, and why, in French.
type Left struct {
	Candidate
	Reason string
}

// Plan is sessions with their candidates, and who could not be placed.
type Plan struct {
	Sessions []Session // by start, then site and room
	Left     []Left
}

// LengthFor is the test of a candidate with extra time x %: duration
// times 1 + x/100, rounded up to the minute, since a candidate told to
// stop a minute early loses it; a convocation states the same end.
func LengthFor(duration time.Duration, extraTime int) time.Duration {
	x := min(max(extraTime, 0), maxExtraTime)
	if x == 0 {
		return duration
	}
	total := duration * time.Duration(100+x)
	unit := 100 * time.Minute
	return (total + unit - 1) / unit * time.Minute
}

// Clash says what two sessions would share at the same time: their room
// (same site and room, compared folded), and the supervisors both name.
// A session holds its room and supervisors from its margin before its
// start to its margin after its end, as a plan (Make) counts them.
func Clash(a, b *Session) (room bool, supervisors []string) {
	if !a.Start.Add(-a.Margin).Before(b.End.Add(b.Margin)) || !b.Start.Add(-b.Margin).Before(a.End.Add(a.Margin)) {
		return false, nil
	}
	room = fold.Key(a.Site) == fold.Key(b.Site) && fold.Key(a.Room) == fold.Key(b.Room)
	for _, x := range a.Supervisors {
		for _, y := range b.Supervisors {
			if k := fold.Key(x); k != "" && k == fold.Key(y) && !slices.Contains(supervisors, x) {
				supervisors = append(supervisors, x)
			}
		}
	}
	return room, supervisors
}
