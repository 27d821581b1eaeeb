package store

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

var (
	ctx     = context.Background()
	testNow = time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
)

func openStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "sub", "pixcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// imp runs one committed import of a roster (nil: no roster) and exports,
// and returns the summary of each export, by its position among exports.
func imp(t *testing.T, st *Store, students []roster.Student, exports ...[]collecte.Participation) (map[int]FileSummary, int) {
	t.Helper()
	im, err := st.BeginImport(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	files, left, err := feed(im, students, exports...)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return files, left
}

// feed gives an import a roster (nil: none) and exports, as the importer
// does, and finishes it.
func feed(im *Import, students []roster.Student, exports ...[]collecte.Participation) (map[int]FileSummary, int, error) {
	var plans []FilePlan
	first := 0
	if students != nil {
		plans, first = append(plans, FilePlan{Kind: KindRoster}), 1
	}
	for _, rows := range exports {
		plan := FilePlan{Kind: KindCollecte}
		if len(rows) > 0 {
			plan.Organization = rows[0].Organization
		}
		plans = append(plans, plan)
	}
	decisions, err := im.Plan(plans, "")
	if err != nil {
		return nil, 0, err
	}
	for _, d := range decisions {
		if d.Err != nil {
			return nil, 0, d.Err
		}
	}
	if students != nil {
		if err := im.BeginFile(0, FileInfo{Name: "eleves.csv", Format: "test"}); err != nil {
			return nil, 0, err
		}
		for _, s := range students {
			if _, err := im.AddStudent(0, PrepareStudent(s)); err != nil {
				return nil, 0, err
			}
		}
		if err := im.EndFile(0, len(students)); err != nil {
			return nil, 0, err
		}
	}
	for no, rows := range exports {
		if err := im.BeginFile(first+no, FileInfo{Name: "Resultats.csv", Format: "test"}); err != nil {
			return nil, 0, err
		}
		for _, p := range rows {
			row := PrepareParticipation(p)
			if _, err := im.AddParticipation(first+no, &row); err != nil {
				return nil, 0, err
			}
		}
		if err := im.EndFile(first+no, len(rows)); err != nil {
			return nil, 0, err
		}
	}
	summaries, left, err := im.Finish()
	if err != nil {
		return nil, 0, err
	}
	byExport := map[int]FileSummary{}
	for no := range exports {
		byExport[no] = summaries[first+no]
	}
	return byExport, left, nil
}

func profile(certifiable int) certif.Profile {
	var p certif.Profile
	for i := 0; i < certifiable; i++ {
		p.Levels[i], p.Pix[i] = 1, 8
	}
	return p
}

func sent(last, first, class, at string, certifiable int) collecte.Participation {
	return collecte.Participation{CampaignID: 1, CampaignName: "Collecte", LastName: last, FirstName: first, Class: class,
		Sent: true, SentAt: at, PixTotal: certifiable * 8, Profile: profile(certifiable)}
}

func unsent(last, first, class string) collecte.Participation {
	return collecte.Participation{CampaignID: 1, CampaignName: "Collecte", LastName: last, FirstName: first, Class: class}
}

// statuses maps "LAST First" to "status/count/date" for every student of
// the current roster.
func statuses(t *testing.T, st *Store) map[string]string {
	t.Helper()
	return statusesBy(t, st, func(s StudentStatus) string { return s.LastName + " " + s.FirstName })
}

// statusesByClass is statuses keyed "LAST First (class)": namesakes of two
// classes apart.
func statusesByClass(t *testing.T, st *Store) map[string]string {
	t.Helper()
	return statusesBy(t, st, func(s StudentStatus) string { return s.LastName + " " + s.FirstName + " (" + s.Class + ")" })
}

func statusesBy(t *testing.T, st *Store, key func(StudentStatus) string) map[string]string {
	t.Helper()
	list, err := st.Students(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range list {
		v := string(s.Status)
		if s.HasProfile {
			v += "/" + strconv.Itoa(s.CertifiableCt) + "/" + s.StatusDate
		}
		out[key(s)] = v
	}
	return out
}

func TestMatching(t *testing.T) {
	tests := []struct {
		name      string
		roster    []roster.Student
		export    []collecte.Participation
		want      map[string]string
		unmatched int
	}{
		{
			name:   "same name in the same class is matched whatever the case, accents and hyphens",
			roster: []roster.Student{{LastName: "LEFÈVRE", FirstName: "Jean-Baptiste", Class: "3E1"}},
			export: []collecte.Participation{sent("Lefevre", "jean baptiste", "3e1", "2026-01-10 10:00", 5)},
			want:   map[string]string{"LEFÈVRE Jean-Baptiste (3E1)": "certifiable/5/2026-01-10 10:00"},
		},
		{
			name: "homonyms in one class are not guessed",
			roster: []roster.Student{
				{NationalID: "A1", LastName: "MARTIN", FirstName: "Tom", Class: "3E2", Birthdate: "2011-01-01"},
				{NationalID: "A2", LastName: "MARTIN", FirstName: "Tom", Class: "3E2", Birthdate: "2011-06-06"},
			},
			export:    []collecte.Participation{sent("MARTIN", "Tom", "3E2", "2026-01-10 10:00", 5)},
			want:      map[string]string{"MARTIN Tom (3E2)": "not-communicated"},
			unmatched: 1,
		},
		{
			name: "homonyms in two classes are told apart by the class",
			roster: []roster.Student{
				{NationalID: "A1", LastName: "MARTIN", FirstName: "Tom", Class: "3E1"},
				{NationalID: "A2", LastName: "MARTIN", FirstName: "Léo", Class: "3E2"},
				{NationalID: "A3", LastName: "MARTIN", FirstName: "Tom", Class: "3E2"},
			},
			export: []collecte.Participation{sent("MARTIN", "Tom", "3E2", "2026-01-10 10:00", 6)},
			want:   map[string]string{"MARTIN Tom (3E1)": "not-communicated", "MARTIN Tom (3E2)": "certifiable/6/2026-01-10 10:00", "MARTIN Léo (3E2)": "not-communicated"},
		},
		{
			name:   "a student who changed class is found by name when it is unique",
			roster: []roster.Student{{LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}},
			export: []collecte.Participation{sent("DUPONT", "Léa", "4E2", "2025-06-12", 3)},
			want:   map[string]string{"DUPONT Léa (3E2)": "non-certifiable/3/2025-06-12"},
		},
		{
			name:   "the usage name matches too",
			roster: []roster.Student{{LastName: "DUBOIS", UsageName: "MOREAU", FirstName: "Chloé", Class: "3E1"}},
			export: []collecte.Participation{sent("Moreau", "Chloé", "3E1", "2026-02-01 09:00", 7)},
			want:   map[string]string{"DUBOIS Chloé (3E1)": "certifiable/7/2026-02-01 09:00"},
		},
		{
			name:   "all first names in the roster, the first one in the export",
			roster: []roster.Student{{LastName: "ROUSSEAU", FirstName: "Zoé Anne", Class: "3E2"}},
			export: []collecte.Participation{sent("ROUSSEAU", "Zoé", "3E2", "2026-02-01 09:00", 1)},
			want:   map[string]string{"ROUSSEAU Zoé Anne (3E2)": "non-certifiable/1/2026-02-01 09:00"},
		},
		{
			name:   "the identifier wins over a different name",
			roster: []roster.Student{{StudentNumber: "21400123", LastName: "Le Gall", FirstName: "Maëlle", Class: "TD1"}},
			export: []collecte.Participation{func() collecte.Participation {
				p := sent("Gall", "M.", "", "2025-11-03 10:00", 10)
				p.StudentNumber = "21400123"
				return p
			}()},
			want: map[string]string{"Le Gall Maëlle (TD1)": "certifiable/10/2025-11-03 10:00"},
		},
		{
			name:   "an external id holding the INE identifies",
			roster: []roster.Student{{NationalID: "123456789AB", LastName: "N'DIAYE", FirstName: "Inès", Class: "3E1"}},
			export: []collecte.Participation{func() collecte.Participation {
				p := sent("NDIAYE", "Ines", "2NDE", "2026-01-20 14:00", 5)
				p.ExternalID, p.ExternalIDLabel = "123456789ab", "INE"
				return p
			}()},
			want: map[string]string{"N'DIAYE Inès (3E1)": "certifiable/5/2026-01-20 14:00"},
		},
		{
			name:      "a participant in no roster is kept and counted",
			roster:    []roster.Student{{LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}},
			export:    []collecte.Participation{sent("INCONNU", "Paul", "3E2", "2026-01-10 10:00", 5), unsent("INCONNU", "Paul", "3E2")},
			want:      map[string]string{"DUPONT Léa (3E2)": "not-communicated"},
			unmatched: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			files, _ := imp(t, st, tt.roster, tt.export)
			got := statusesByClass(t, st)
			if list, err := st.Students(ctx, Filter{}); err != nil || len(list) != len(tt.roster) {
				t.Errorf("%d students listed (%v), want %d", len(list), err, len(tt.roster))
			}
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s: %q, want %q (all: %v)", name, got[name], want, got)
				}
			}
			if files[0].Unmatched != tt.unmatched {
				t.Errorf("unmatched = %d, want %d", files[0].Unmatched, tt.unmatched)
			}
		})
	}
}

func TestLatestSendingWinsNotTheBest(t *testing.T) {
	st := openStore(t)
	hugo := []roster.Student{{NationalID: "4", LastName: "LEFÈVRE", FirstName: "Hugo", Class: "3E1"}}
	imp(t, st, hugo,
		[]collecte.Participation{sent("LEFÈVRE", "Hugo", "3E1", "2026-02-10 11:30", 4), unsent("LEFÈVRE", "Hugo", "3E1")},
		[]collecte.Participation{sent("LEFÈVRE", "Hugo", "3E1", "2025-12-05 16:45", 5)})
	if got := statuses(t, st)["LEFÈVRE Hugo"]; got != "non-certifiable/4/2026-02-10 11:30" {
		t.Errorf("status %q, want the latest sending (4 competences)", got)
	}
	list, _ := st.Students(ctx, Filter{})
	if list[0].Sendings != 2 {
		t.Errorf("sendings = %d, want 2 (the unsent row is not a sending)", list[0].Sendings)
	}
}

func TestImportIsIdempotentAndOrderFree(t *testing.T) {
	students := []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2", Birthdate: "2011-03-14"}}
	export := []collecte.Participation{sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 10), sent("DUPONT", "Léa", "3E2", "2025-10-02 09:05", 3)}

	rosterFirst := openStore(t)
	imp(t, rosterFirst, students)
	imp(t, rosterFirst, nil, export)

	exportFirst := openStore(t)
	files, _ := imp(t, exportFirst, nil, export)
	if files[0].Unmatched != 1 {
		t.Errorf("before the roster: %d unmatched, want 1", files[0].Unmatched)
	}
	imp(t, exportFirst, students)
	// Again, and once more with the date re-typed without its time by Excel.
	imp(t, exportFirst, students, export)
	retyped := append([]collecte.Participation(nil), export...)
	for i := range retyped {
		retyped[i].SentAt = retyped[i].SentAt[:10]
	}
	imp(t, exportFirst, nil, retyped)

	a, b := statuses(t, rosterFirst), statuses(t, exportFirst)
	if a["DUPONT Léa"] != "certifiable/10/2026-03-14 10:42" || a["DUPONT Léa"] != b["DUPONT Léa"] {
		t.Errorf("roster first %v, export first %v", a, b)
	}
	list, _ := exportFirst.Students(ctx, Filter{})
	if list[0].Sendings != 2 {
		t.Errorf("sendings = %d after importing the same export three times, want 2", list[0].Sendings)
	}
}

func TestRosterChanges(t *testing.T) {
	st := openStore(t)
	lea := roster.Student{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2", Birthdate: "2011-03-14"}
	tom := roster.Student{NationalID: "2", LastName: "MARTIN", FirstName: "Tom", Class: "3E2", Birthdate: "2011-11-02"}
	imp(t, st, []roster.Student{lea, tom}, []collecte.Participation{sent("MARTIN", "Tom", "3E2", "2026-03-02 09:15", 4)})

	if _, left := imp(t, st, []roster.Student{lea}); left != 1 {
		t.Errorf("left = %d, want 1", left)
	}
	if got := statuses(t, st); len(got) != 1 {
		t.Errorf("current list %v, want Léa alone", got)
	}

	// Tom comes back in another class, found by INE, with his history.
	tom.Class = "3E1"
	imp(t, st, []roster.Student{lea, tom})
	list, _ := st.Students(ctx, Filter{Classes: []string{"3e1"}})
	if len(list) != 1 || list[0].LastName != "MARTIN" || list[0].Status != certif.NotCertifiable {
		t.Errorf("3E1 = %+v, want MARTIN back, non-certifiable", list)
	}

	// A roster without ids finds the same students by name and birth date.
	noIDs := []roster.Student{{LastName: "Dupont", FirstName: "Léa", Class: "3E2", Birthdate: "2011-03-14"}}
	imp(t, st, noIDs)
	var n int
	if err := st.db.QueryRow(`SELECT count(*) FROM students`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d students stored, want 2 (nobody duplicated): %v", n, err)
	}
}

func TestFilterAndSort(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{NationalID: "1", LastName: "ZOLA", FirstName: "Émile", Class: "3E1"},
		{NationalID: "2", LastName: "ABEL", FirstName: "Anne", Class: "3E2"},
		{NationalID: "3", LastName: "ÉLUARD", FirstName: "Paul", Class: "3E1"},
		{NationalID: "4", LastName: "BRUN", FirstName: "Lou", Class: "3E10"},
	}, []collecte.Participation{
		sent("ZOLA", "Émile", "3E1", "2026-01-01 10:00", 6),
		sent("ABEL", "Anne", "3E2", "2026-02-01 10:00", 2),
	})
	names := func(f Filter) []string {
		list, err := st.Students(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.LastName)
		}
		return out
	}
	tests := []struct {
		filter Filter
		want   []string
	}{
		{Filter{}, []string{"ÉLUARD", "ZOLA", "ABEL", "BRUN"}},
		{Filter{Sort: SortName}, []string{"ABEL", "BRUN", "ÉLUARD", "ZOLA"}},
		{Filter{Sort: SortCompetences}, []string{"ZOLA", "ABEL", "BRUN", "ÉLUARD"}},
		{Filter{Sort: SortDate}, []string{"ABEL", "ZOLA", "BRUN", "ÉLUARD"}},
		{Filter{Classes: []string{"3E2", "3e1"}, Sort: SortName}, []string{"ABEL", "ÉLUARD", "ZOLA"}},
		{Filter{Statuses: []certif.Status{certif.NotCommunicated, certif.Certifiable}}, []string{"ÉLUARD", "ZOLA", "BRUN"}},
		{Filter{Search: "emile"}, []string{"ZOLA"}},
		{Filter{Search: "Paul Eluard"}, []string{"ÉLUARD"}},
		{Filter{Search: "x"}, nil},
	}
	for _, tt := range tests {
		if got := names(tt.filter); !equal(got, tt.want) {
			t.Errorf("%+v: %v, want %v", tt.filter, got, tt.want)
		}
	}
	if _, err := st.Students(ctx, Filter{Sort: "age"}); err == nil {
		t.Error("unknown sort accepted")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRollbackLeavesTheStoreUnchanged(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}})
	before := statuses(t, st)

	im, err := st.BeginImport(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := feed(im, []roster.Student{{NationalID: "2", LastName: "MARTIN", FirstName: "Tom", Class: "3E2"}},
		[]collecte.Participation{sent("MARTIN", "Tom", "3E2", "2026-01-01 10:00", 5)}); err != nil {
		t.Fatal(err)
	}
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	if after := statuses(t, st); len(after) != 1 || after["DUPONT Léa"] != before["DUPONT Léa"] {
		t.Errorf("after rollback %v, want %v", after, before)
	}
}

func TestStoreFileIsPrivateAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "pixcert.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	imp(t, st, []roster.Student{{LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}})
	st.Close()
	for p, want := range map[string]os.FileMode{filepath.Dir(path): 0o700, path: 0o600} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s mode %o, want %o", p, got, want)
		}
	}
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if list, err := st.Students(ctx, Filter{}); err != nil || len(list) != 1 {
		t.Errorf("reopened store has %d students (%v), want 1", len(list), err)
	}
}

func TestNamesakesOfTwoClassesInOneCampaignStayTwo(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{NationalID: "1", LastName: "MARTIN", FirstName: "Lucas", Class: "2NDE1"},
		{NationalID: "2", LastName: "MARTIN", FirstName: "Lucas", Class: "2NDE4"},
	}, []collecte.Participation{
		sent("MARTIN", "Lucas", "2NDE1", "2026-01-10 10:00", 6),
		sent("Martin", "Lucas", "2NDE4", "2026-02-10 10:00", 2),
	})
	list, err := st.Students(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range list {
		got[s.Class] = string(s.Status) + " " + s.StatusDate
	}
	want := map[string]string{"2NDE1": "certifiable 2026-01-10 10:00", "2NDE4": "non-certifiable 2026-02-10 10:00"}
	if got["2NDE1"] != want["2NDE1"] || got["2NDE4"] != want["2NDE4"] {
		t.Errorf("statuses by class %v, want %v", got, want)
	}
}

func TestASendingReexportedAfterAClassChangeIsStillOne(t *testing.T) {
	st := openStore(t)
	tom := []roster.Student{{NationalID: "2", LastName: "MARTIN", FirstName: "Tom", Class: "3E2"}}
	imp(t, st, tom, []collecte.Participation{sent("MARTIN", "Tom", "3E1", "2026-01-10 10:00", 6)})
	// The same campaign downloaded again: Pix shows his new class for the
	// same sending, and a new one.
	imp(t, st, nil, []collecte.Participation{
		sent("MARTIN", "Tom", "3E2", "2026-01-10 10:00", 6),
		sent("MARTIN", "Tom", "3E2", "2026-03-01 09:00", 7),
	})
	list, err := st.Students(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Sendings != 2 || list[0].StatusDate != "2026-03-01 09:00" {
		t.Errorf("got %+v, want 2 sendings, the latest on 2026-03-01", list)
	}
}

func TestCandidatesOfAnUnmatchedParticipant(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"},
		{NationalID: "2", LastName: "MARTIN", FirstName: "Tom", Class: "3E2"},
		{NationalID: "3", LastName: "DURAND", FirstName: "Ana", Class: "3E1"},
		{NationalID: "4", LastName: "ZOLA", FirstName: "Émile", Class: "3E1"},
	}, []collecte.Participation{
		sent("DUPOND", "Léa", "", "2026-01-10 10:00", 5), // a typo, no class
		sent("INCONNU", "Jean", "3E1", "2026-01-10 10:00", 5),
	})
	list, err := st.Unmatched(ctx, 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("unmatched %+v (%v), want 2", list, err)
	}
	names := func(p Participant) []string {
		var out []string
		for _, c := range p.Candidates {
			out = append(out, c.LastName)
		}
		return out
	}
	byName := map[string]Participant{}
	for _, p := range list {
		byName[p.LastName] = p
	}
	if got := names(byName["DUPOND"]); len(got) != 1 || got[0] != "DUPONT" {
		t.Errorf("candidates of DUPOND Léa: %v, want DUPONT", got)
	}
	// A name close to no one: the students of the same class, closest first.
	if got := names(byName["INCONNU"]); len(got) != 2 || got[0] != "DURAND" && got[0] != "ZOLA" {
		t.Errorf("candidates of INCONNU Jean (3E1): %v, want the two students of 3E1", got)
	}
}

// addOne imports a roster of one student and says what it did.
func addOne(t *testing.T, st *Store, s roster.Student) StudentChange {
	t.Helper()
	im, err := st.BeginImport(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if _, err := im.Plan([]FilePlan{{Kind: KindRoster}}, ""); err != nil {
		t.Fatal(err)
	}
	if err := im.BeginFile(0, FileInfo{Name: "eleves.csv"}); err != nil {
		t.Fatal(err)
	}
	change, err := im.AddStudent(0, PrepareStudent(s))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := im.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return change
}

// A roster row updates the student it names; ids and birth date it lacks
// are kept from the stored student.
func TestRosterRowUpdatesItsStudent(t *testing.T) {
	st := openStore(t)
	steps := []struct {
		row  roster.Student
		want StudentChange
	}{
		{roster.Student{NationalID: "123456789AB", LastName: "DUPONT", FirstName: "Léa", Class: "3E1", Birthdate: "2011-04-15"}, StudentAdded},
		{roster.Student{NationalID: "123456789AB", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}, StudentUpdated},
		{roster.Student{NationalID: "123456789AB", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}, StudentUnchanged},
		{roster.Student{NationalID: "123456789AB", LastName: "DUPONT", UsageName: "MARTIN", FirstName: "Léa", Class: "3E2"}, StudentUpdated},
	}
	for i, step := range steps {
		if got := addOne(t, st, step.row); got != step.want {
			t.Errorf("step %d: change %v, want %v", i, got, step.want)
		}
	}
	list, err := st.Students(ctx, Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("students: %+v, %v", list, err)
	}
	if s := list[0]; s.Class != "3E2" || s.Birthdate != "2011-04-15" || s.NationalID != "123456789AB" {
		t.Errorf("stored student %+v: want class 3E2, the birth date and INE kept", s)
	}
	if found, err := st.FindStudents(ctx, "123456789ab", 0); err != nil || len(found) != 1 || found[0].ID != list[0].ID {
		t.Errorf("FindStudents by INE: %+v, %v", found, err)
	}
	if found, err := st.FindStudents(ctx, "martin", 0); err != nil || len(found) != 1 {
		t.Errorf("FindStudents by usage name: %+v, %v", found, err)
	}
}

// Class counts, derived in SQL, agree with the students listed one by one;
// spellings of a class that fold alike are one class.
func TestClassCountsAgreeWithTheStudents(t *testing.T) {
	st := openStore(t)
	students := []roster.Student{
		{LastName: "DUPONT", FirstName: "Léa", Class: "3e1", Birthdate: "2011-04-15"},
		{LastName: "MARTIN", FirstName: "Tom", Class: "3E1", Birthdate: "2011-05-15"},
		{LastName: "MARTIN", FirstName: "Tom", Class: "3E2", Birthdate: "2011-05-15"}, // the same student again: the first row stands
		{LastName: "BONO", FirstName: "Paul", Class: "", Birthdate: "2011-06-15"},
		{LastName: "ROUSSEAU", FirstName: "Zoé", Class: "3E2", Birthdate: "2011-07-15"},
		{LastName: "DUBOIS", FirstName: "Chloé", Class: "3E2", Birthdate: "2011-08-15"},
	}
	export := []collecte.Participation{
		sent("DUPONT", "Léa", "3e1", "2026-01-10 10:00", 5),
		sent("MARTIN", "Tom", "3E1", "2026-01-10 10:00", 2),
		sent("ROUSSEAU", "Zoé", "3E2", "2026-01-10 10:00", 6),
		unsent("DUBOIS", "Chloé", "3E2"),
	}
	check := func(step string) {
		t.Helper()
		got, err := st.ClassCounts(ctx, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		list, err := st.Students(ctx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		byClass := map[string]*ClassCount{}
		var want []ClassCount
		for _, s := range list {
			key := strings.ToUpper(s.Class)
			c := byClass[key]
			if c == nil {
				want = append(want, ClassCount{EstablishmentID: s.EstablishmentID, Establishment: s.Establishment, Class: s.Class})
				c = &want[len(want)-1]
				byClass[key] = c
			}
			c.Students++
			switch s.Status {
			case certif.Certifiable:
				c.Certifiable++
			case certif.NotCertifiable:
				c.NotCertifiable++
			default:
				c.NotCommunicated++
			}
			c.Class = min(c.Class, s.Class)
		}
		sortCounts := func(c []ClassCount) {
			slices.SortFunc(c, func(a, b ClassCount) int { return strings.Compare(a.Class, b.Class) })
		}
		sortCounts(got)
		sortCounts(want)
		if !reflect.DeepEqual(got, want) || len(want) != 3 {
			t.Errorf("%s: class counts %+v, the students give %+v", step, got, want)
		}
	}
	imp(t, st, students, export)
	check("bulk load")
	imp(t, st, students)
	check("the roster again")
}

// A student number without a digit is found too, once no name holds it.
func TestFindStudentsByANumberWithoutDigits(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{StudentNumber: "etu-abc", LastName: "LE GALL", FirstName: "Maëlle", Class: "L1"},
		{StudentNumber: "22104567", LastName: "DUPONT", FirstName: "Léa", Class: "L1"},
	})
	for text, want := range map[string]string{"etu-abc": "LE GALL", "22104567": "DUPONT", "gall": "LE GALL"} {
		found, err := st.FindStudents(ctx, text, 0)
		if err != nil || len(found) != 1 || found[0].LastName != want {
			t.Errorf("FindStudents(%q) = %+v, %v; want %s", text, found, err, want)
		}
	}
	if found, err := st.FindStudents(ctx, "martin", 0); err != nil || len(found) != 0 {
		t.Errorf("FindStudents(martin) = %+v, %v; want none", found, err)
	}
}

// The classes of the current roster, and the classes a person names that
// none of its students is in: compared folded, as filters compare them.
func TestClassesAndUnknownClasses(t *testing.T) {
	st := openStore(t)
	imp(t, st, []roster.Student{
		{LastName: "DUPONT", FirstName: "Léa", Class: "3e1", Birthdate: "2011-04-15"},
		{LastName: "MARTIN", FirstName: "Tom", Class: "3E1", Birthdate: "2011-05-15"},
		{LastName: "BONO", FirstName: "Paul", Class: "", Birthdate: "2011-06-15"},
		{LastName: "ROUSSEAU", FirstName: "Zoé", Class: "3E10", Birthdate: "2011-07-15"},
		{LastName: "DUBOIS", FirstName: "Chloé", Class: "3E2", Birthdate: "2011-08-15"},
	})
	estabs, err := st.Establishments(ctx)
	if err != nil || len(estabs) != 1 {
		t.Fatalf("establishments: %+v, %v", estabs, err)
	}
	for _, establishment := range []int64{0, estabs[0].ID} {
		classes, err := st.Classes(ctx, establishment)
		if err != nil || !slices.Equal(classes, []string{"3E1", "3E2", "3E10"}) {
			t.Errorf("Classes(%d) = %q, %v; want 3E1 3E2 3E10 (one spelling each, natural order)", establishment, classes, err)
		}
	}
	tests := []struct{ asked, unknown []string }{
		{[]string{"3E1", "3e2", "3 E 10"}, nil},
		{[]string{"4Z", "3E1", "4Z", "3E3"}, []string{"4Z", "3E3"}},
	}
	for _, tt := range tests {
		got, err := st.UnknownClasses(ctx, 0, tt.asked)
		if err != nil || !slices.Equal(got, tt.unknown) {
			t.Errorf("UnknownClasses(%q) = %q, %v; want %q", tt.asked, got, err, tt.unknown)
		}
	}
	if got, err := st.UnknownClasses(ctx, estabs[0].ID+1, []string{"3E1"}); err != nil || !slices.Equal(got, []string{"3E1"}) {
		t.Errorf("UnknownClasses of another establishment = %q, %v; want 3E1 unknown there", got, err)
	}
}
