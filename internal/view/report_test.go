package view

import (
	"reflect"
	"testing"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
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
	sheets := sheetsOf(t, Report(List(students), true, Scope{}))
	if len(sheets) != 2 || sheets[0].Name != "3E2" || sheets[1].Name != "3E10" {
		t.Fatalf("sheets %+v, want 3E2 (both spellings) then 3E10", sheets)
	}
	rows := sheets[0].Records.([]reportRecord)
	if rows[0].Missing != "1" || rows[0].ToWork != "2.2 Partager et publier (7/8 pix)" {
		t.Errorf("A: missing %q, to work %q", rows[0].Missing, rows[0].ToWork)
	}
	if rows[0].LastSending != "02/03/2026 09:15 (Collecte 3e)" {
		t.Errorf("A: last sending %q", rows[0].LastSending)
	}
	if rows[1].Missing != "" || rows[1].ToWork != "Envoyer son profil (participation commencée dans la campagne « Collecte 3e »)" {
		t.Errorf("B: missing %q, to work %q", rows[1].Missing, rows[1].ToWork)
	}
	if sheets[0].Footer != "2 élèves : 1 non certifiable, 1 non communiqué" {
		t.Errorf("3E2: footer %q", sheets[0].Footer)
	}
	certifiable := sheets[1].Records.([]reportRecord)[0]
	if certifiable.Missing != "0" || certifiable.ToWork != "" {
		t.Errorf("C: missing %q, to work %q", certifiable.Missing, certifiable.ToWork)
	}
	if one := sheetsOf(t, Report(List(students[:1]), false, Scope{})); len(one) != 1 || one[0].Name != "" {
		t.Errorf("without --by-class: %+v, want one unnamed sheet", one)
	}
	if none := sheetsOf(t, Report(List(nil), true, Scope{})); len(none) != 1 || none[0].Footer != "0 élève" {
		t.Errorf("no student: %+v, want one empty sheet saying so", none)
	}
}

// sheetsOf collects a document's sheets.
func sheetsOf(t *testing.T, doc output.Document) []output.Sheet {
	t.Helper()
	var c sheetCollector
	if err := doc.Sheets(&c); err != nil {
		t.Fatal(err)
	}
	return c.sheets
}

type sheetCollector struct{ sheets []output.Sheet }

func (c *sheetCollector) Begin(name string, record any) error {
	c.sheets = append(c.sheets, output.Sheet{Name: name, Records: reflect.MakeSlice(reflect.SliceOf(reflect.TypeOf(record)), 0, 0).Interface()})
	return nil
}

func (c *sheetCollector) Record(record any) error {
	s := &c.sheets[len(c.sheets)-1]
	s.Records = reflect.Append(reflect.ValueOf(s.Records), reflect.ValueOf(record)).Interface()
	return nil
}

func (c *sheetCollector) End(footer string) error {
	c.sheets[len(c.sheets)-1].Footer = footer
	return nil
}

// --by-class in JSON: an array of classes, each with its students as the
// report lists them, spellings that fold alike in one class, and the two
// 3E1 of two establishments as two classes.
func TestReportByClassInJSON(t *testing.T) {
	students := []store.StudentStatus{
		student("A", "3E2", certif.NotCertifiable, map[int]int{0: 8, 1: 8, 2: 8, 3: 8, 4: 7}),
		student("B", "3e2", certif.NotCommunicated, nil),
		student("C", "3E10", certif.Certifiable, map[int]int{0: 8, 1: 8, 2: 8, 3: 8, 4: 8}),
		student("D", "3E10", certif.NotCommunicated, nil),
	}
	students[3].EstablishmentID, students[3].Establishment = 2, "Lycée Victor Hugo"
	var got []reportClassJSON
	err := Report(List(students), true, Scope{Several: true}).JSONList(func(item any) error {
		got = append(got, *item.(*reportClassJSON))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	type class struct {
		name, establishment string
		students            []string
	}
	var classes []class
	for _, c := range got {
		k := class{name: c.Class}
		if c.Establishment != nil {
			k.establishment = *c.Establishment
		}
		for _, s := range c.Students {
			k.students = append(k.students, s.LastName)
		}
		classes = append(classes, k)
	}
	want := []class{{"3E2", "", []string{"A", "B"}}, {"3E10", "", []string{"C"}}, {"3E10", "Lycée Victor Hugo", []string{"D"}}}
	if !reflect.DeepEqual(classes, want) {
		t.Errorf("classes %+v, want %+v", classes, want)
	}
	if got[0].Students[0].MissingCompetences == nil || *got[0].Students[0].MissingCompetences != 1 {
		t.Errorf("A in its class: %+v, want the report's object (1 competence missing)", got[0].Students[0])
	}
	n := 0
	if err := Report(List(nil), true, Scope{}).JSONList(func(any) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("no student: %d classes, %v; want none", n, err)
	}
}
