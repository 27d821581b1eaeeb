package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/pixcert/pixcert/internal/importer"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/store"
)

// The certification (schema 4) through real files: rosters and Pix Orga's
// certification results exports read by the importer, as pixcert import
// reads them.

// certNow is when the imports of these tests are made.
var certNow = time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)

const (
	rosterHeader = "\uFEFFIdentifiant unique*;Premier prénom*;Deuxième prénom;Troisième prénom;Nom de famille*;Nom d'usage;" +
		"Code sexe*;Date de naissance (jj/mm/aaaa)*;Code commune naissance**;Libellé commune naissance**;" +
		"Code département naissance*;Code pays naissance*;Statut*;Code MEF*;Division*\n"
	resultsHeader = "\uFEFF\"Numéro de certification\";\"Prénom\";\"Nom\";\"Date de naissance\";\"Lieu de naissance\";" +
		"\"Identifiant Externe\";\"Statut\";\"Nombre de Pix\";\"1.1\";\"1.2\";\"1.3\";\"2.1\";\"2.2\";\"2.3\";\"2.4\";\"3.1\";" +
		"\"3.2\";\"3.3\";\"3.4\";\"4.1\";\"4.2\";\"4.3\";\"5.1\";\"5.2\";\"Commentaire jury pour l’organisation\";\"Session\";" +
		"\"Date de passage de la certification\"\n"
)

// pupil is a line of a SIECLE roster.
type pupil struct{ ine, first, last, born, class string } // born: dd/mm/yyyy

func rosterCSV(pupils ...pupil) string {
	var b strings.Builder
	b.WriteString(rosterHeader)
	for _, p := range pupils {
		fmt.Fprintf(&b, "%s;%s;;;%s;;Féminin;%s;75056;;075;99100;ST;10310019110;%s\n", p.ine, p.first, p.last, p.born, p.class)
	}
	return b.String()
}

// certRow is a line of a certification results export.
type certRow struct {
	number, first, last, born, ine, status, pix, session, date string // born, date: dd/mm/yyyy; pix "-" for none
	levels                                                     string // 16 cells separated by ";", "" for sixteen "-"
}

func resultsCSV(rows ...certRow) string {
	var b strings.Builder
	b.WriteString(resultsHeader)
	for _, r := range rows {
		levels := r.levels
		if levels == "" {
			levels = strings.Repeat(`"-";`, 15) + `"-"`
		}
		fmt.Fprintf(&b, "%s;%q;%q;%q;\"PARIS\";%q;%q;%s;%s;\"\";%s;%q\n", r.number, r.first, r.last, r.born, r.ine, r.status, r.pix,
			levels, r.session, r.date)
	}
	return b.String()
}

// The students of roster-siecle.csv that resultats-3E1.csv names.
var (
	lea   = pupil{"123456789AB", "Léa", "DUPONT", "14/03/2011", "3E2"}
	tom   = pupil{"223456789AB", "Tom", "MARTIN", "02/11/2011", "3E2"}
	ines  = pupil{"323456789AB", "Inès", "N'DIAYE", "30/06/2011", "3E1"}
	hugo  = pupil{"423456789AB", "Hugo", "LEFÈVRE", "01/01/2011", "3E1"}
	sixLv = "2;1;2;\"-\";1;2;\"-\";1;\"-\";\"-\";\"-\";2;1;\"-\";2;1" // Inès's levels in resultats-3E1.csv
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "pixcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// importAt imports files (name → content; a content starting with "@"
// is the sample file of that name) in one pixcert import made at now.
func importAt(t *testing.T, st *store.Store, now time.Time, files ...[2]string) *importer.Result {
	t.Helper()
	return importInto(t, st, importer.Options{Now: now}, files...)
}

// importInto is importAt with options.
func importInto(t *testing.T, st *store.Store, opts importer.Options, files ...[2]string) *importer.Result {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		path := filepath.Join(dir, f[0])
		if name, ok := strings.CutPrefix(f[1], "@"); ok {
			path = samples.Path(name)
		} else if err := os.WriteFile(path, []byte(f[1]), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	res, err := importer.Run(ctx, st, paths, opts)
	if err != nil {
		var problems []string
		if res != nil {
			for _, f := range res.Files {
				for _, e := range f.Errors.Kept {
					problems = append(problems, e.Error())
				}
			}
		}
		t.Fatalf("import %v: %v %q", paths, err, problems)
	}
	return res
}

func file(name, content string) [2]string { return [2]string{name, content} }

// sample is a sample file of testdata/samples.
func sample(name string) [2]string { return [2]string{name, "@" + name} }

// checked fails the test when pixcert check finds a problem.
func checked(t *testing.T, st *store.Store, step string) store.CheckReport {
	t.Helper()
	r, err := st.Check(ctx)
	if err != nil || len(r.Problems) > 0 {
		t.Fatalf("%s: check found %q, %v", step, r.Problems, err)
	}
	return r
}

// rawDB reads the store's file directly, read only.
func rawDB(t *testing.T, st *store.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+st.Path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// storedResults describes every stored result, by certification number
// (or "name_key" when it has none): "status|pix|levels|matched_by|INE of
// the student", pix "NULL" for none.
func storedResults(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	rows, err := rawDB(t, st).Query(`SELECT coalesce(r.certification_number, r.name_key), r.status, coalesce(CAST(r.pix_score AS TEXT), 'NULL'),
		r.levels, coalesce(r.matched_by, ''), coalesce(s.national_id, '') FROM certification_results r LEFT JOIN students s ON s.id = r.student_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var key, status, pix, levels, by, ine string
		if err := rows.Scan(&key, &status, &pix, &levels, &by, &ine); err != nil {
			t.Fatal(err)
		}
		out[key] = strings.Join([]string{status, pix, levels, by, ine}, "|")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// matchOf is "matched_by|INE" of a stored result.
func matchOf(t *testing.T, st *store.Store, key string) string {
	t.Helper()
	v, ok := storedResults(t, st)[key]
	if !ok {
		t.Fatalf("no result %s stored", key)
	}
	parts := strings.Split(v, "|")
	return parts[3] + "|" + parts[4]
}

func studentID(t *testing.T, st *store.Store, ine string) int64 {
	t.Helper()
	found, err := st.FindStudents(ctx, ine, 0)
	if err != nil || len(found) != 1 {
		t.Fatalf("FindStudents(%s) = %+v, %v", ine, found, err)
	}
	return found[0].ID
}

func resultRef(t *testing.T, st *store.Store, number string) store.UnmatchedResult {
	t.Helper()
	var id int64
	if err := rawDB(t, st).QueryRow(`SELECT id FROM certification_results WHERE certification_number = ?`, number).Scan(&id); err != nil {
		t.Fatalf("result %s: %v", number, err)
	}
	r, err := st.ResultByRef(ctx, fmt.Sprintf("R%d", id))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func resultFile(t *testing.T, res *importer.Result) *importer.FileResult {
	t.Helper()
	for _, f := range res.Files {
		if f.Kind == importer.KindResults {
			return f
		}
	}
	t.Fatalf("no results file in %+v", res.Files)
	return nil
}

const nullLevels = "[null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null]"

// The sample export with its roster: each row as Pix wrote it, matched by
// INE.
func TestResultsOfTheSampleAreStoredAsPixWroteThem(t *testing.T) {
	st := newStore(t)
	res := importAt(t, st, certNow, sample("roster-siecle.csv"), sample("resultats-3E1.csv"))
	if f := resultFile(t, res); f.Rows != 2 || f.NewRows != 2 || f.Unmatched != 0 || !slices.Equal(f.Sessions, []string{"18842"}) {
		t.Errorf("summary of the results file: rows %d, new %d, unmatched %d, sessions %q; want 2, 2, 0, [18842]", f.Rows, f.NewRows, f.Unmatched, f.Sessions)
	}
	want := map[string]string{
		"20481234": "Validée|212|[2,1,2,null,1,2,null,1,null,null,null,2,1,null,2,1]|id|323456789AB",
		"20481235": "Rejetée|NULL|" + nullLevels + "|id|423456789AB",
	}
	if got := storedResults(t, st); !mapsEqual(got, want) {
		t.Errorf("stored results:\n%v\nwant\n%v", got, want)
	}
	db := rawDB(t, st)
	var born, passed, session, comment, kind string
	if err := db.QueryRow(`SELECT r.birthdate, r.passed_on, r.session, coalesce(r.jury_comment, ''), i.kind FROM certification_results r
		JOIN imports i ON i.id = r.import_id WHERE certification_number = '20481235'`).Scan(&born, &passed, &session, &comment, &kind); err != nil {
		t.Fatal(err)
	}
	if born != "2011-01-01" || passed != "2026-03-16" || session != "18842" || !strings.HasPrefix(comment, "Le candidat n'a pas") || kind != "results" {
		t.Errorf("LEFÈVRE's row: born %s, passed %s, session %s, comment %q, import kind %s", born, passed, session, comment, kind)
	}
	if list, err := st.UnmatchedResults(ctx, 0); err != nil || len(list) != 0 {
		t.Errorf("unmatched results %+v, %v; want none", list, err)
	}
	checked(t, st, "after the import")
}

// How a result finds its student: by INE (the external id), else by name
// and birth date, never by a name shared by two students born the same
// day.
func TestResultMatching(t *testing.T) {
	martin2 := pupil{"923456789AB", "Tom", "MARTIN", "02/11/2011", "3E1"} // tom's namesake, born the same day
	tests := []struct {
		name       string
		roster     []pupil
		row        certRow
		want       string // matched_by|INE
		candidates int    // of the result left unmatched
	}{
		{"by INE", []pupil{ines, hugo}, certRow{number: "1", first: "Inès", last: "N'DIAYE", born: "30/06/2011", ine: "323456789AB"}, "id|323456789AB", 0},
		{"by INE in lower case, whatever the name", []pupil{ines, hugo}, certRow{number: "1", first: "X", last: "Y", born: "01/01/2000", ine: "423456789ab"}, "id|423456789AB", 0},
		{"INE unknown: name and birth date, accents and case aside", []pupil{ines, hugo}, certRow{number: "1", first: "hugo", last: "Lefevre", born: "01/01/2011", ine: "999999999ZZ"}, "name_birthdate|423456789AB", 0},
		{"no INE: name and birth date", []pupil{ines, hugo}, certRow{number: "1", first: "Inès", last: "N'DIAYE", born: "30/06/2011"}, "name_birthdate|323456789AB", 0},
		{"the name but another birth date", []pupil{ines, hugo}, certRow{number: "1", first: "Hugo", last: "LEFÈVRE", born: "02/01/2011", ine: "999999999ZZ"}, "|", 1},
		{"namesakes born the same day are not guessed", []pupil{tom, martin2}, certRow{number: "1", first: "Tom", last: "MARTIN", born: "02/11/2011", ine: "999999999ZZ"}, "|", 2},
		{"no birth date and an unknown INE", []pupil{ines, hugo}, certRow{number: "1", first: "Hugo", last: "LEFÈVRE", ine: "999999999ZZ"}, "|", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(t)
			row := tt.row
			row.status, row.pix, row.session, row.date = "Validée", "150", "1", "16/03/2026"
			res := importAt(t, st, certNow, file("eleves.csv", rosterCSV(tt.roster...)), file("resultats.csv", resultsCSV(row)))
			if got := matchOf(t, st, "1"); got != tt.want {
				t.Errorf("matched %q, want %q", got, tt.want)
			}
			unmatched := 0
			if tt.want == "|" {
				unmatched = 1
			}
			if f := resultFile(t, res); f.Unmatched != unmatched {
				t.Errorf("summary says %d unmatched, want %d", f.Unmatched, unmatched)
			}
			list, err := st.UnmatchedResults(ctx, 0)
			if err != nil || len(list) != unmatched {
				t.Fatalf("UnmatchedResults = %+v, %v; want %d", list, err, unmatched)
			}
			if unmatched == 1 && len(list[0].Candidates) != tt.candidates {
				t.Errorf("candidates %+v, want %d", list[0].Candidates, tt.candidates)
			}
			checked(t, st, tt.name)
		})
	}
}

// Results imported before the roster wait unmatched, and are matched when
// the roster comes.
func TestResultsBeforeTheRosterAreMatchedWhenItComes(t *testing.T) {
	st := newStore(t)
	res := importAt(t, st, certNow, sample("resultats-3E1.csv"))
	if f := resultFile(t, res); f.Unmatched != 2 {
		t.Errorf("before the roster: %d unmatched, want 2", f.Unmatched)
	}
	if list, err := st.UnmatchedResults(ctx, 0); err != nil || len(list) != 2 {
		t.Errorf("UnmatchedResults before the roster = %+v, %v", list, err)
	}
	checked(t, st, "results alone")
	importAt(t, st, certNow.Add(time.Hour), sample("roster-siecle.csv"))
	for number, want := range map[string]string{"20481234": "id|323456789AB", "20481235": "id|423456789AB"} {
		if got := matchOf(t, st, number); got != want {
			t.Errorf("after the roster, %s matched %q, want %q", number, got, want)
		}
	}
	if list, err := st.UnmatchedResults(ctx, 0); err != nil || len(list) != 0 {
		t.Errorf("UnmatchedResults after the roster = %+v, %v", list, err)
	}
	if estabs, err := st.Establishments(ctx); err != nil || len(estabs) != 1 {
		t.Errorf("establishments %+v, %v: want the one of the results, the roster's too", estabs, err)
	}
	checked(t, st, "after the roster")
}

// The same export imported twice stores its rows once.
func TestTheSameResultsTwiceAreNotDuplicated(t *testing.T) {
	st := newStore(t)
	importAt(t, st, certNow, sample("roster-siecle.csv"), sample("resultats-3E1.csv"))
	before := storedResults(t, st)
	res := importAt(t, st, certNow.Add(time.Hour), sample("resultats-3E1.csv"))
	f := resultFile(t, res)
	if f.Already.ImportedAt.IsZero() && f.NewRows != 0 {
		t.Errorf("the same file again: %d new rows, want 0 (or recognised as already imported)", f.NewRows)
	}
	if after := storedResults(t, st); !mapsEqual(after, before) {
		t.Errorf("after importing it again %v, want %v", after, before)
	}
	if n := count(t, rawDB(t, st), `SELECT count(*) FROM certification_results`); n != 2 {
		t.Errorf("%d results stored, want 2", n)
	}
	checked(t, st, "the same file twice")
}

// A later export of a certification (its status changed) replaces its
// row; a person's link stands; an unlink survives the rosters after it.
func TestALaterExportReplacesTheRowAndKeepsDecisions(t *testing.T) {
	st := newStore(t)
	zorro := certRow{number: "30000009", first: "Zoé", last: "ZORRO", born: "01/01/2011", ine: "999999999ZZ", status: "En erreur", pix: `"-"`, session: "19002", date: "17/03/2026"}
	inesRow := certRow{number: "20481234", first: "Inès", last: "N'DIAYE", born: "30/06/2011", ine: "323456789AB", status: "Démarrée", pix: `"-"`, session: "18842", date: "16/03/2026"}
	hugoRow := certRow{number: "20481235", first: "Hugo", last: "LEFÈVRE", born: "01/01/2011", ine: "423456789AB", status: "Validée", pix: "120", session: "18842", date: "16/03/2026", levels: sixLv}
	importAt(t, st, certNow, sample("roster-siecle.csv"), file("r1.csv", resultsCSV(zorro, inesRow, hugoRow)))
	checked(t, st, "first export")

	// ZORRO is DUPONT Léa, a person says; LEFÈVRE's result is nobody's.
	if err := st.LinkResult(ctx, resultRef(t, st, "30000009"), studentID(t, st, lea.ine)); err != nil {
		t.Fatal(err)
	}
	if err := st.LinkResult(ctx, resultRef(t, st, "20481235"), 0); err != nil {
		t.Fatal(err)
	}
	if list, err := st.UnmatchedResults(ctx, 0); err != nil || len(list) != 0 {
		t.Errorf("UnmatchedResults after link and unlink = %+v, %v; want none (an unlink is a decision)", list, err)
	}
	checked(t, st, "link and unlink")

	// Pix's later export: every status changed.
	zorro.status, zorro.pix, zorro.levels = "Validée", "180", sixLv
	inesRow.status, inesRow.pix, inesRow.levels = "Validée", "212", sixLv
	hugoRow.status, hugoRow.pix, hugoRow.levels = "Annulée", `"-"`, ""
	res := importAt(t, st, certNow.Add(24*time.Hour), file("r2.csv", resultsCSV(zorro, inesRow, hugoRow)))
	if f := resultFile(t, res); f.NewRows != 3 {
		t.Errorf("later export: %d rows new or changed, want 3", f.NewRows)
	}
	levels := "[2,1,2,null,1,2,null,1,null,null,null,2,1,null,2,1]"
	want := map[string]string{
		"30000009": "Validée|180|" + levels + "|manual|123456789AB",
		"20481234": "Validée|212|" + levels + "|id|323456789AB",
		"20481235": "Annulée|NULL|" + nullLevels + "|manual|",
	}
	if got := storedResults(t, st); !mapsEqual(got, want) {
		t.Errorf("after the later export:\n%v\nwant\n%v", got, want)
	}
	db := rawDB(t, st)
	if n := count(t, db, `SELECT count(*) FROM certification_results`); n != 3 {
		t.Errorf("%d results stored, want 3 (replaced, not added)", n)
	}
	if n := count(t, db, `SELECT count(DISTINCT import_id) FROM certification_results`); n != 1 {
		t.Errorf("results come from %d imports, want 1: the export that brought them last", n)
	}
	checked(t, st, "later export")

	// A roster imported since (one student more) matches again, but for
	// the decisions.
	importAt(t, st, certNow.Add(48*time.Hour), file("eleves.csv", rosterCSV(lea, tom, ines, hugo, pupil{"999999999ZZ", "Zoé", "ZORRO", "01/01/2011", "3E1"})))
	if got := storedResults(t, st); !mapsEqual(got, want) {
		t.Errorf("after a new roster (holding ZORRO's INE):\n%v\nwant\n%v", got, want)
	}
	checked(t, st, "new roster")
}

// A link asks for a student of the current list of the result's
// establishment; references are R and a number.
func TestLinkResultAndResultByRef(t *testing.T) {
	st := newStore(t)
	importAt(t, st, certNow, sample("roster-siecle.csv"), sample("resultats-3E1.csv"))
	r := resultRef(t, st, "20481234")
	if r.Ref != fmt.Sprintf("R%d", r.ID) || r.LastName != "N'DIAYE" || r.Status != "Validée" || r.Date != "2026-03-16" || r.ExternalID != "323456789AB" {
		t.Errorf("ResultByRef = %+v", r)
	}
	if got, err := st.ResultByRef(ctx, strings.ToLower(r.Ref)+" "); err != nil || got.ID != r.ID {
		t.Errorf("ResultByRef(%q) = %+v, %v", strings.ToLower(r.Ref), got, err)
	}
	for _, ref := range []string{"R999", "P1", "R", "R-1", "x"} {
		if _, err := st.ResultByRef(ctx, ref); !errors.Is(err, store.ErrUnknownRef) {
			t.Errorf("ResultByRef(%q): %v, want ErrUnknownRef", ref, err)
		}
	}
	if !store.IsResultRef(" r12") || store.IsResultRef("P12") || store.IsResultRef("R") {
		t.Error("IsResultRef")
	}
	// MARTIN Tom leaves the list: he cannot be linked any more.
	tomID := studentID(t, st, tom.ine)
	importAt(t, st, certNow.Add(time.Hour), file("eleves.csv", rosterCSV(lea, ines, hugo)))
	if err := st.LinkResult(ctx, r, tomID); !errors.Is(err, store.ErrOtherEstablishment) {
		t.Errorf("link to a student who left the list: %v, want ErrOtherEstablishment", err)
	}
	if got := matchOf(t, st, "20481234"); got != "id|323456789AB" {
		t.Errorf("after a refused link: %q", got)
	}
	checked(t, st, "refused link")
}

// Where students stand: their latest result, their latest session, and
// each class's latest day of results.
func TestCertifications(t *testing.T) {
	st := newStore(t)
	importAt(t, st, certNow, sample("roster-siecle.csv"), file("r.csv", resultsCSV(
		certRow{number: "1", first: "Inès", last: "N'DIAYE", born: "30/06/2011", ine: ines.ine, status: "Validée", pix: "212", session: "10", date: "16/03/2026", levels: sixLv},
		certRow{number: "2", first: "Hugo", last: "LEFÈVRE", born: "01/01/2011", ine: hugo.ine, status: "Rejetée", pix: `"-"`, session: "9", date: "10/03/2026"},
		certRow{number: "3", first: "Léa", last: "DUPONT", born: "14/03/2011", ine: lea.ine, status: "Rejetée", pix: `"-"`, session: "8", date: "01/02/2026"},
		certRow{number: "4", first: "Léa", last: "DUPONT", born: "14/03/2011", ine: lea.ine, status: "Validée", pix: "300", session: "11", date: "20/03/2026", levels: sixLv},
		certRow{number: "5", first: "Nobody", last: "NOBODY", born: "01/01/2001", ine: "999999999ZZ", status: "Validée", pix: "99", session: "12", date: "19/03/2026", levels: sixLv},
	)))
	estab := onlyEstablishment(t, st)
	tomID, leaID, inesID, hugoID := studentID(t, st, tom.ine), studentID(t, st, lea.ine), studentID(t, st, ines.ine), studentID(t, st, hugo.ine)
	// Tom: a session passed (planned on 1 March), then another one.
	paris := parisTime
	first, err := st.SaveSessions(ctx, estab, []sessionsSession{session("Salle 1", 4, paris(2026, 3, 10, 8, 30), candidate(tomID, 0))}, paris(2026, 3, 1, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	second, err := st.SaveSessions(ctx, estab, []sessionsSession{session("Salle 2", 4, paris(2026, 4, 10, 14, 0), candidate(tomID, 33))}, paris(2026, 3, 15, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, establishment := range []int64{0, estab} {
		c, err := st.Certifications(ctx, establishment)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]string{}
		for id, s := range c.Students {
			v := ""
			if s.Result != nil {
				v = s.Result.Number + " " + s.Result.Status + " " + s.Result.Date + fmt.Sprintf(" %d", s.Result.Pix)
			}
			if s.Planned != nil {
				v += fmt.Sprintf(" planned %d %s %s %d%%", s.Planned.ID, s.Planned.Start, s.Planned.Room, s.Planned.ExtraTime)
			}
			got[id] = v
		}
		want := map[int64]string{
			inesID: "1 Validée 2026-03-16 212",
			hugoID: "2 Rejetée 2026-03-10 -1",
			leaID:  "4 Validée 2026-03-20 300", // the latest of her two
			tomID:  fmt.Sprintf(" planned %d 2026-04-10 14:00 Salle 2 33%%", second[0]),
		}
		if !mapsEqual(got, want) {
			t.Errorf("Certifications(%d).Students:\n%v\nwant\n%v (first session %d)", establishment, got, want, first[0])
		}
		until := map[string]string{}
		for class, day := range c.ResultsUntil {
			if class.Establishment != estab {
				t.Errorf("ResultsUntil of establishment %d", class.Establishment)
			}
			until[class.Key] = day
		}
		wantUntil := map[string]string{classKey(t, st, "3E1"): "2026-03-16", classKey(t, st, "3E2"): "2026-03-20"}
		if !mapsEqual(until, wantUntil) {
			t.Errorf("ResultsUntil %v, want %v", until, wantUntil)
		}
	}
	if c, err := st.Certifications(ctx, estab+1); err != nil || len(c.Students) != 0 || len(c.ResultsUntil) != 0 {
		t.Errorf("Certifications of another establishment: %+v, %v", c, err)
	}
	if has, err := st.HasResults(ctx, estab, ""); err != nil || !has {
		t.Errorf("HasResults = %v, %v", has, err)
	}
	checked(t, st, "certifications")
}

// Opening a store of version 3 converts it to version 4: its imports are
// kept, the new tables are empty, and a results export imports into it.
func TestAStoreOfVersion3BecomesVersion4(t *testing.T) {
	before := func() map[string]int {
		db, err := sql.Open("sqlite", "file:"+filepath.Join("testdata", "store-v3.db")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if v := count(t, db, `PRAGMA user_version`); v != 3 {
			t.Fatalf("testdata/store-v3.db is of version %d", v)
		}
		return importKinds(t, db)
	}()
	st := openCopy(t, "store-v3.db")
	r := checked(t, st, "after the conversion")
	if r.SchemaVersion != 4 {
		t.Errorf("version %d after opening, want 4", r.SchemaVersion)
	}
	for _, tc := range r.Tables {
		if strings.HasPrefix(tc.Table, "certification_") || tc.Table == "session_candidates" {
			if tc.Rows != 0 {
				t.Errorf("%s holds %d rows after the conversion", tc.Table, tc.Rows)
			}
		}
	}
	db := rawDB(t, st)
	if after := importKinds(t, db); !mapsEqual(after, before) || len(before) == 0 {
		t.Errorf("imports by kind %v after the conversion, %v before", after, before)
	}
	// The new check on imports' kind holds, and the SHA-256 index is back.
	if n := count(t, db, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'imports_sha256'`); n != 1 {
		t.Error("imports_sha256 lost in the conversion")
	}
	// It holds two establishments: the file names none.
	importInto(t, st, importer.Options{Now: certNow, Establishment: "jean moulin"}, sample("resultats-3E1.csv"))
	if got := matchOf(t, st, "20481234"); got != "id|323456789AB" {
		t.Errorf("a results export in the converted store: %q", got)
	}
	checked(t, st, "results in the converted store")
}

func importKinds(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.Query(`SELECT kind, count(*) FROM imports GROUP BY kind`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			t.Fatal(err)
		}
		out[kind] = n
	}
	return out
}

func onlyEstablishment(t *testing.T, st *store.Store) int64 {
	t.Helper()
	estabs, err := st.Establishments(ctx)
	if err != nil || len(estabs) != 1 {
		t.Fatalf("establishments %+v, %v", estabs, err)
	}
	return estabs[0].ID
}

// classKey is the key a class has in ClassRef.
func classKey(t *testing.T, st *store.Store, class string) string {
	t.Helper()
	list, err := st.Students(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Class == class {
			return s.ClassRef().Key
		}
	}
	t.Fatalf("no student in %s", class)
	return ""
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// A results export given again is read again: the export imported last
// decides each certification, so importing the newer download again
// brings back what an older one, imported after it, had replaced.
func TestAResultsExportGivenAgainDecidesAgain(t *testing.T) {
	st := newStore(t)
	rejected := certRow{number: "20481235", first: "Hugo", last: "LEFÈVRE", born: "01/01/2011", ine: hugo.ine, status: "Rejetée", pix: `"-"`, session: "18842", date: "16/03/2026"}
	validated := rejected
	validated.status, validated.pix, validated.levels = "Validée", "200", sixLv
	newer, older := file("20260318_resultats_3E1.csv", resultsCSV(validated)), file("20260316_resultats_3E1.csv", resultsCSV(rejected))
	importAt(t, st, certNow, sample("roster-siecle.csv"), newer)
	importAt(t, st, certNow.Add(time.Hour), older)
	if got := storedResults(t, st)["20481235"]; !strings.Contains(got, "Rejetée") {
		t.Fatalf("the export imported last decides: %q", got)
	}
	res := importAt(t, st, certNow.Add(2*time.Hour), newer)
	f := resultFile(t, res)
	if !f.Already.ImportedAt.IsZero() || len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "relu") {
		t.Errorf("the newer export given again: Already %+v, notes %q; want it read again, and said so", f.Already, f.Notes)
	}
	if got := storedResults(t, st)["20481235"]; !strings.Contains(got, "Validée") {
		t.Errorf("after the newer export again: %q, want Validée", got)
	}
	checked(t, st, "an export given again")
}

// A file's summary counts its rows whose student is not found, those it
// stored unchanged included.
func TestUnmatchedCountOfAResultsExportGivenAgain(t *testing.T) {
	st := newStore(t)
	importAt(t, st, certNow, sample("resultats-3E1.csv")) // no roster yet: both unmatched
	later := resultsCSV(
		certRow{number: "20481234", first: "Inès", last: "N'DIAYE", born: "30/06/2011", ine: ines.ine, status: "Validée", pix: "212", session: "18842", date: "16/03/2026", levels: sixLv},
		certRow{number: "20489999", first: "Zoé", last: "ZORRO", born: "01/01/2011", ine: "999999999ZZ", status: "Validée", pix: "180", session: "18842", date: "16/03/2026", levels: sixLv},
	)
	res := importAt(t, st, certNow.Add(time.Hour), file("later.csv", later))
	f := resultFile(t, res)
	list, err := st.UnmatchedResults(ctx, 0)
	if err != nil || len(list) != 3 {
		t.Fatalf("UnmatchedResults = %d, %v; want 3", len(list), err)
	}
	if f.Unmatched != 2 {
		t.Errorf("summary of a results export given again: %d unmatched, want 2 (those it stored unchanged included)", f.Unmatched)
	}
}
