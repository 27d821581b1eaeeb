package view

import (
	"testing"

	"pixcert/internal/certif"
	"pixcert/internal/store"
)

func student(last, class string, status certif.Status, pix map[int]int) store.StudentStatus {
	s := store.StudentStatus{LastName: last, FirstName: "X", Class: class, Status: status}
	if pix != nil {
		s.HasProfile, s.StatusDate, s.Campaign, s.Sendings = true, "2026-03-02 09:15", "Collecte 3e", 1
		for i, n := range pix {
			s.Profile.Pix[i], s.Profile.Levels[i] = n, n/certif.PixPerLevel
		}
		s.CertifiableCt = s.Profile.CertifiableCompetences()
	}
	return s
}

func TestReportGroupsClassesFoldedAndSaysWhatToDo(t *testing.T) {
	students := []store.StudentStatus{
		student("A", "3E2", certif.NotCertifiable, map[int]int{0: 8, 1: 8, 2: 8, 3: 8, 4: 7}),
		student("B", "3e2", certif.NotCommunicated, nil),
		student("C", "3E10", certif.Certifiable, map[int]int{0: 8, 1: 8, 2: 8, 3: 8, 4: 8}),
	}
	students[1].PendingCampaign = "Collecte 3e"
	doc := Report(students, true)
	if len(doc.Sheets) != 2 || doc.Sheets[0].Name != "3e2" || doc.Sheets[1].Name != "3E10" {
		t.Fatalf("sheets %+v, want 3E2 (both spellings) then 3E10", doc.Sheets)
	}
	rows := doc.Sheets[0].Records.([]reportRecord)
	if rows[0].Missing != "1" || rows[0].ToWork != "2.2 Partager et publier (7/8 pix)" {
		t.Errorf("A: missing %q, to work %q", rows[0].Missing, rows[0].ToWork)
	}
	if rows[0].LastSending != "02/03/2026 09:15 (Collecte 3e)" {
		t.Errorf("A: last sending %q", rows[0].LastSending)
	}
	if rows[1].Missing != "" || rows[1].ToWork != "Envoyer son profil (participation commencée dans la campagne « Collecte 3e »)" {
		t.Errorf("B: missing %q, to work %q", rows[1].Missing, rows[1].ToWork)
	}
	certifiable := doc.Sheets[1].Records.([]reportRecord)[0]
	if certifiable.Missing != "0" || certifiable.ToWork != "" {
		t.Errorf("C: missing %q, to work %q", certifiable.Missing, certifiable.ToWork)
	}
	if one := Report(students[:1], false); len(one.Sheets) != 1 || one.Sheets[0].Name != "" {
		t.Errorf("without --by-class: %+v, want one unnamed sheet", one.Sheets)
	}
}
