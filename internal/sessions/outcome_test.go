package sessions

import (
	"slices"
	"testing"
	"time"
)

func TestAttendanceOf(t *testing.T) {
	tests := []struct {
		name                                   string
		plannedOn, passedOn, classResultsUntil string
		want                                   Attendance
	}{
		{"named by results, not planned", "", "2026-03-16", "2026-03-16", Presented},
		{"named by results of another day than planned", "2026-03-16", "2026-03-20", "2026-03-20", Presented},
		{"neither planned nor presented", "", "", "2026-03-16", NotPresented},
		{"neither planned nor any result of the class", "", "", "", NotPlanned},
		{"planned, the class's results not imported", "2026-03-16", "", "", ToCome},
		{"planned, the class's results older than the session", "2026-03-16", "", "2026-01-10", ToCome},
		{"planned, missing from the class's results of that day", "2026-03-16", "", "2026-03-16", Absent},
		{"planned, missing from later results of the class", "2026-03-16", "", "2026-03-18", Absent},
		{"rejected, then planned again", "2026-04-02", "2026-03-16", "2026-03-16", ToCome},
		{"rejected, planned again, missing from that day's results", "2026-04-02", "2026-03-16", "2026-04-02", Absent},
		{"rejected, planned again, presented again", "2026-04-02", "2026-04-02", "2026-04-02", Presented},
	}
	for _, tt := range tests {
		if got := AttendanceOf(tt.plannedOn, tt.passedOn, tt.classResultsUntil); got != tt.want {
			t.Errorf("%s: AttendanceOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestToReschedule(t *testing.T) {
	tests := []struct {
		attendance Attendance
		status     string
		want       bool
		reason     string
	}{
		{Absent, "", true, "absent à la session"},
		{Presented, "Rejetée", true, "certification rejetée"},
		{Presented, "REJETEE", true, "certification rejetée"},
		{Presented, "Annulée", true, "certification annulée"},
		{Presented, "Validée", false, ""},
		{Presented, "En erreur", false, ""},
		{Presented, "Démarrée", false, ""},
		{ToCome, "", false, ""},
		{NotPlanned, "", false, ""},
		{NotPresented, "", false, ""},
	}
	for _, tt := range tests {
		reason, ok := ToReschedule(tt.attendance, tt.status)
		if ok != tt.want || reason != tt.reason {
			t.Errorf("ToReschedule(%q, %q) = %q, %v; want %q, %v", tt.attendance, tt.status, reason, ok, tt.reason, tt.want)
		}
	}
	if !Certified("Validée") || Certified("Rejetée") || !Rejected("Rejetée") {
		t.Error("Certified/Rejected misread Pix's statuses")
	}
}

func TestClash(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 3, 16, h, m, 0, 0, time.UTC) }
	session := func(room string, start time.Time, length time.Duration, supervisors ...string) *Session {
		return &Session{Slot: Slot{Site: "Collège", Room: room, Start: start}, Supervisors: supervisors,
			End: start.Add(length), Duration: DefaultDuration, Margin: DefaultMargin}
	}
	tests := []struct {
		name        string
		a, b        *Session
		room        bool
		supervisors []string
	}{
		{"the same room at the same time", session("CDI", at(8, 30), 105*time.Minute, "Mme Durand"), session("cdi", at(9, 0), 105*time.Minute, "M. Petit"), true, nil},
		{"one supervisor in two rooms", session("CDI", at(8, 30), 105*time.Minute, "Mme Durand"), session("Salle 12", at(8, 30), 105*time.Minute, "MME DURAND", "M. Petit"), false, []string{"Mme Durand"}},
		{"2h15 apart: the margins meet", session("CDI", at(8, 30), 105*time.Minute, "Mme Durand"), session("CDI", at(10, 45), 105*time.Minute, "Mme Durand"), false, nil},
		{"extra time runs into the next session", session("CDI", at(8, 30), 140*time.Minute, "Mme Durand"), session("CDI", at(10, 45), 105*time.Minute), true, nil},
	}
	for _, tt := range tests {
		room, supervisors := Clash(tt.a, tt.b)
		if room != tt.room || !slices.Equal(supervisors, tt.supervisors) {
			t.Errorf("%s: Clash = %v, %q; want %v, %q", tt.name, room, supervisors, tt.room, tt.supervisors)
		}
	}
}
