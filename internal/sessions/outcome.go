package sessions

import (
	"github.com/pixcert/pixcert/internal/fold"
)

// Attendance is where a student stands for the certification, from what
// the school planned and what Pix's results export says. Its values are
// the JSON contract's.
type Attendance string

const (
	// NotPlanned: in no session, and no results of their class imported.
	NotPlanned Attendance = "not_planned"
	// NotPresented: in no session, and missing from their class's results:
	// Pix's export lists the candidates who were presented.
	NotPresented Attendance = "not_presented"
	// ToCome: planned in a session that has not taken place, or whose
	// class's results are not imported yet.
	ToCome Attendance = "planned"
	// Presented: a results export names them (pix-formats.md §7).
	Presented Attendance = "presented"
	// Absent: planned in a session of a day whose results, imported for
	// the class, do not name them.
	Absent Attendance = "absent"
)

// AttendanceOf tells where a student stands. plannedOn is the day
// (YYYY-MM-DD) of the latest session they are planned in, "" when none;
// passedOn, the day of their latest certification a results export gave,
// "" when none; classResultsUntil, the latest day of the certifications of
// their class that results exports gave ("" when none was imported). A
// student planned again after a certification stands for that session.
func AttendanceOf(plannedOn, passedOn, classResultsUntil string) Attendance {
	switch {
	case passedOn != "" && passedOn >= plannedOn:
		return Presented
	case plannedOn == "" && classResultsUntil != "":
		return NotPresented
	case plannedOn == "":
		return NotPlanned
	case classResultsUntil >= plannedOn:
		return Absent
	}
	return ToCome
}

// Statuses of a certification that Pix writes (pix-formats.md §7), folded
// as fold.Key folds them: others may appear, kept as Pix writes them.
const (
	statusValidated = "validee"
	statusRejected  = "rejetee"
	statusCancelled = "annulee"
)

// Certified tells whether a certification status, as Pix writes it, is a
// certification obtained.
func Certified(status string) bool { return fold.Key(status) == statusValidated }

// Rejected tells whether a certification status is a rejected one.
func Rejected(status string) bool { return fold.Key(status) == statusRejected }

// ToReschedule tells whether a student should be offered another session,
// and why, in French: absent from their session, or a certification
// rejected or cancelled. A certification in progress or in error is
// Pix's to settle, not a new session; a student planned again since stands
// for that session (AttendanceOf).
func ToReschedule(a Attendance, status string) (reason string, ok bool) {
	switch {
	case a == Absent:
		return "absent à la session", true
	case a != Presented:
		return "", false
	}
	switch fold.Key(status) {
	case statusRejected:
		return "certification rejetée", true
	case statusCancelled:
		return "certification annulée", true
	}
	return "", false
}
