package sessions

import "testing"

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
