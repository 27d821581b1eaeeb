package store

import (
	"reflect"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// inCampaign puts a participation in another campaign.
func inCampaign(p collecte.Participation, id int64, name string) collecte.Participation {
	p.CampaignID, p.CampaignName = id, name
	return p
}

// A profile is old when the student's class took part in a collecte that
// began after it was sent: the students who did not send again are those
// to remind. Each class has its own latest collecte.
func TestProfilesOlderThanTheLatestCollecteOfTheClass(t *testing.T) {
	students := []roster.Student{
		{NationalID: "1", LastName: "ANCIEN", FirstName: "Paul", Class: "3E1"},
		{NationalID: "2", LastName: "RENVOYE", FirstName: "Léa", Class: "3E1"},
		{NationalID: "3", LastName: "TARDIF", FirstName: "Tom", Class: "3E1"},
		{NationalID: "4", LastName: "JAMAIS", FirstName: "Zoé", Class: "3E1"},
		{NationalID: "5", LastName: "AUTRE", FirstName: "Inès", Class: "3E2"},
		{NationalID: "6", LastName: "JOUR", FirstName: "Hugo", Class: "3E1"},
	}
	autumn := []collecte.Participation{
		inCampaign(sent("ANCIEN", "Paul", "3E1", "2025-10-06 09:00", 6), 1, "Automne"),
		inCampaign(sent("RENVOYE", "Léa", "3E1", "2025-10-07 10:00", 3), 1, "Automne"),
		// Sent to the autumn campaign, still open, after the spring one began.
		inCampaign(sent("TARDIF", "Tom", "3E1", "2026-03-10 11:00", 4), 1, "Automne"),
		inCampaign(sent("AUTRE", "Inès", "3E2", "2025-10-08 08:00", 2), 1, "Automne"),
	}
	spring := []collecte.Participation{
		inCampaign(sent("RENVOYE", "Léa", "3E1", "2026-03-02 14:00", 5), 2, "Printemps"),
		// An export made before 2024 gives the day only: the same day is not before.
		inCampaign(sent("JOUR", "Hugo", "3E1", "2026-03-02", 5), 2, "Printemps"),
	}
	st := openStore(t)
	imp(t, st, students, autumn, spring)
	got := map[string]string{}
	list, err := st.Students(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		got[s.LastName] = s.LatestCollection
	}
	want := map[string]string{
		"ANCIEN":  "Printemps", // sent in October, not since
		"RENVOYE": "", "TARDIF": "", "JOUR": "",
		"JAMAIS": "", // no profile: nothing to date
		"AUTRE":  "", // 3E2 had no spring collecte
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("latest collecte of old profiles %v, want %v", got, want)
	}
	// A filtered list says the same: the class's collectes decide, not the
	// students shown.
	list, err = st.Students(ctx, Filter{Search: "ancien"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].LatestCollection != "Printemps" {
		t.Errorf("ANCIEN alone: %+v", list)
	}
	// A long list, read in SQLite's order, says the same.
	defer func(n int) { sortedInMemory = n }(sortedInMemory)
	sortedInMemory = 2
	list, err = st.Students(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.LatestCollection != want[s.LastName] {
			t.Errorf("long list: %s: %q, want %q", s.LastName, s.LatestCollection, want[s.LastName])
		}
	}
}
