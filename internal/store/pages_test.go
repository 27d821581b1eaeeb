package store

import (
	"reflect"
	"testing"

	"pixcert/internal/certif"
	"pixcert/internal/collecte"
	"pixcert/internal/roster"
)

func TestPageRoundTrip(t *testing.T) {
	checkPageRoundTrip(t, 41, []storedParticipation{
		{id: 41, participant: 7, dedup: 1<<63 + 5, sentAt: "2026-03-14 10:42", pixTotal: 143, profile: encodeProfile(profile(10))},
		{id: 42, participant: 7, dedup: 9},
		{id: 43, participant: 1 << 40, dedup: 0, sentAt: "2025-06-12", pixTotal: 0},
	}, appendParticipation, decodePage)
}

// checkPageRoundTrip encodes records into a page whose first id is firstID,
// decodes it back, and checks that a cut or lengthened page is refused.
func checkPageRoundTrip[T any](t *testing.T, firstID int64, in []T, encode func([]byte, *T) []byte,
	decode func(int64, int, []byte, func(*T) error) error) {
	t.Helper()
	var data []byte
	for i := range in {
		data = encode(data, &in[i])
	}
	var out []T
	if err := decode(firstID, len(in), data, func(r *T) error { out = append(out, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("decoded %+v\nwant %+v", out, in)
	}
	ignore := func(*T) error { return nil }
	for cut := range len(data) {
		if err := decode(firstID, len(in), data[:cut], ignore); err == nil {
			t.Errorf("a page cut at %d bytes of %d decodes", cut, len(data))
		}
	}
	if err := decode(firstID, len(in), append(data, 0), ignore); err == nil {
		t.Error("a page with a byte too many decodes")
	}
}

func TestParticipantPageRoundTrip(t *testing.T) {
	checkPageRoundTrip(t, 10, []storedParticipant{
		{id: 10, key: 1<<64 - 1, student: 3, method: matchNameClass, named: collecte.Participation{CampaignID: 4521, LastName: "N'DIAYE", FirstName: "Inès", Class: "3E1"}},
		{id: 11, key: 0, student: 0, method: "", named: collecte.Participation{CampaignID: 1, LastName: "Le Gall", FirstName: "Maëlle",
			StudentNumber: "22104567", ExternalID: "123456789AB"}},
		{id: 12, student: 1 << 40, method: matchManual},
	}, appendParticipant, decodeParticipantPage)
}

func TestStudentRecordRoundTrip(t *testing.T) {
	for _, s := range []roster.Student{
		{NationalID: "123456789AB", LastName: "DUPONT", UsageName: "MARTIN", FirstName: "Léa", Birthdate: "2011-04-15"},
		{StudentNumber: "22104567", LastName: "Le Gall", FirstName: "Maëlle"},
		{},
	} {
		data := appendStudent(nil, s, s.StudentNumber)
		if ine, number, err := studentIDs(data); err != nil || string(ine) != s.NationalID || string(number) != s.StudentNumber {
			t.Errorf("ids of %+v read as %q, %q, %v", s, ine, number, err)
		}
		var got roster.Student
		if err := decodeStudent(data, &got); err != nil || !reflect.DeepEqual(got, s) {
			t.Errorf("student %+v decodes to %+v, %v", s, got, err)
		}
		for cut := range len(data) {
			if err := decodeStudent(data[:cut], &got); err == nil {
				t.Errorf("student %+v cut at %d bytes decodes", s, cut)
			}
		}
		if err := decodeStudent(append(data, 0), &got); err == nil {
			t.Errorf("student %+v with a byte too many decodes", s)
		}
	}
}

func TestStatusPageRoundTrip(t *testing.T) {
	in := []storedStatus{
		{student: 5},
		{student: 6, campaign: 4521},
		{student: 7, campaign: 1, latestSent: 1 << 33, at: newSendingTime("2026-03-14 10:42"), competences: 10, sendings: 2},
		{student: 8, campaign: 1, latestSent: 3, at: newSendingTime("2025-06-12"), competences: 0, sendings: 1},
	}
	checkPageRoundTrip(t, 5, in, appendStatus, decodeStatusPage)
	want := []certif.Status{certif.NotCommunicated, certif.NotCommunicated, certif.Certifiable, certif.NotCertifiable}
	for i := range in {
		if got := in[i].status(); got != want[i] {
			t.Errorf("status of %+v: %s, want %s", in[i], got, want[i])
		}
	}
	if got := in[3].at.String(); got != "2025-06-12" {
		t.Errorf("date-only sending reads back as %q", got)
	}
}

func TestSendingTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-03-14 10:42", "2026-03-14 10:42"},
		{"2025-06-12", "2025-06-12"},
		{"2024-02-29 23:59", "2024-02-29 23:59"},
		{"1900-01-01", "1900-01-01"},
		{"1850-05-01 08:00", "1900-01-01 00:00"}, // a typing mistake, clamped
	}
	for _, tt := range tests {
		if got := newSendingTime(tt.in).String(); got != tt.want {
			t.Errorf("newSendingTime(%q) reads back as %q, want %q", tt.in, got, tt.want)
		}
	}
	order := []string{"1850-05-01", "2025-06-12", "2025-06-12 00:01", "2026-03-14 10:42", "9999-12-31 23:59"}
	for i := 1; i < len(order); i++ {
		if a, b := newSendingTime(order[i-1]), newSendingTime(order[i]); a.minute() >= b.minute() {
			t.Errorf("%s (%d) is not before %s (%d)", order[i-1], a.minute(), order[i], b.minute())
		}
	}
	if a, b := newSendingTime("2025-06-12"), newSendingTime("2025-06-12 00:00"); a.minute() != b.minute() {
		t.Error("a date alone is not the midnight of that day")
	}
}
