package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/sessions"
)

// CheckReport is what pixcert check found.
type CheckReport struct {
	SchemaVersion int64
	Tables        []TableCount
	// Problems says, in French, each invariant that does not hold; none
	// when the store is sound.
	Problems []string
	// Unverified says what could not be verified, and why.
	Unverified []string
}

// TableCount is how many rows a table holds.
type TableCount struct {
	Table string
	Rows  int64
}

// maxProblemsPerCheck bounds what one check reports.
const maxProblemsPerCheck = 10

// Check verifies the store: SQLite's own checks of the file, the indexes
// and the foreign keys, the search index against the names, then
// pixcert's invariants, each derived value derived again: statuses from
// the sendings, keys from the names. It only reads.
func (s *Store) Check(ctx context.Context) (CheckReport, error) {
	var r CheckReport
	// A read transaction; the FTS check is an INSERT that writes nothing.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return r, err
	}
	defer tx.Rollback()
	if _, r.SchemaVersion, err = marks(ctx, tx); err != nil {
		return r, err
	}
	for _, table := range []string{"establishments", "imports", "campaigns", "students", "participants", "sendings",
		"unsent_participations", "decisions", "statuses", "certification_results", "certification_result_sources", "certification_sessions", "session_candidates"} {
		c := TableCount{Table: table}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&c.Rows); err != nil {
			return r, err
		}
		r.Tables = append(r.Tables, c)
	}
	checks := []struct {
		what string
		run  func(context.Context, querier, func(string)) error
	}{
		{"intégrité du fichier", checkIntegrity},
		{"clés étrangères", checkForeignKeys},
		{"index de recherche des noms", func(ctx context.Context, q querier, report func(string)) error {
			why, err := checkSearchIndex(ctx, q, report)
			if why != "" {
				r.Unverified = append(r.Unverified, "index de recherche des noms : "+why)
			}
			return err
		}},
		{"statuts", checkStatuses},
		{"clés de comparaison des élèves", checkStudentKeys},
		{"clés de comparaison des participants", checkParticipantKeys},
		{"imports d'origine", checkImportKinds},
		{"liste actuelle", checkCurrentList},
		{"décisions", checkDecisions},
		{"sessions", checkSessions},
	}
	for _, c := range checks {
		n := 0
		report := func(problem string) {
			if n++; n <= maxProblemsPerCheck {
				r.Problems = append(r.Problems, c.what+" : "+problem)
			} else if n == maxProblemsPerCheck+1 {
				r.Problems = append(r.Problems, c.what+" : … et d'autres")
			}
		}
		if err := c.run(ctx, tx, report); err != nil {
			return r, fmt.Errorf("%s : %w", c.what, err)
		}
	}
	return r, nil
}

func checkIntegrity(ctx context.Context, q querier, report func(string)) error {
	return eachString(ctx, q, `PRAGMA integrity_check`, func(line string) {
		if line != "ok" {
			report(line)
		}
	})
}

func checkForeignKeys(ctx context.Context, q querier, report func(string)) error {
	rows, err := q.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		report(fmt.Sprintf("la ligne %v de %s désigne une ligne absente de %s", rowid, table, parent))
	}
	return rows.Err()
}

// checkSearchIndex compares the FTS index with the names. SQLite runs
// the comparison as an INSERT, which writes nothing but needs the write
// lock: on a store another pixcert is writing, or one that is read-only,
// it says why it could not, at once rather than after the busy wait.
func checkSearchIndex(ctx context.Context, q querier, report func(string)) (unverified string, err error) {
	if _, err := q.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return "", err
	}
	defer q.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA busy_timeout = %d`, BusyTimeout.Milliseconds()))
	// With rank 1, FTS5 compares its index with the content table too, and
	// says they differ as a corrupt table.
	_, err = q.ExecContext(ctx, `INSERT INTO student_search (student_search, rank) VALUES ('integrity-check', 1)`)
	switch sqliteCode(err) {
	case 0:
		return "", err
	case sqlite3.SQLITE_CORRUPT:
		report("l'index ne correspond pas aux noms des élèves (noms modifiés hors de pixcert ?)")
		return "", nil
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return "non vérifié, un autre pixcert écrit dans la base ; relancez pixcert check ensuite", nil
	case sqlite3.SQLITE_READONLY:
		return "non vérifié, la base est en lecture seule", nil
	}
	return "", err
}

// checkStatuses derives every student's status again and compares.
func checkStatuses(ctx context.Context, q querier, report func(string)) error {
	stored := map[int64]string{}
	rows, err := q.QueryContext(ctx, `SELECT student_id, status, coalesce(sending_id, 0), sendings FROM statuses`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var student, sending, sendings int64
		var status string
		if err := rows.Scan(&student, &status, &sending, &sendings); err != nil {
			rows.Close()
			return err
		}
		stored[student] = statusText(certif.Status(status), sending, sendings)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	err = eachDerivedStatus(ctx, q, "1", "", func(student int64, l *latestSending) error {
		want := statusText(l.status(), int64(l.rank.id), int64(l.sendings))
		got, ok := stored[student]
		switch {
		case !ok:
			report(fmt.Sprintf("l'élève n° %d n'a pas de statut (attendu : %s)", student, want))
		case got != want:
			report(fmt.Sprintf("l'élève n° %d a le statut « %s » au lieu de « %s »", student, got, want))
		}
		delete(stored, student)
		return nil
	})
	for student := range stored {
		report(fmt.Sprintf("un statut est enregistré pour l'élève n° %d, qui n'existe pas", student))
	}
	return err
}

// statusText says a status as check reports it: Pix's label, the sending
// that decides it, how many there are.
func statusText(status certif.Status, sending, sendings int64) string {
	text := status.Label()
	if sending != 0 {
		text += fmt.Sprintf(", envoi n° %d", sending)
	}
	switch sendings {
	case 0:
		return text + ", aucun envoi"
	case 1:
		return text + ", 1 envoi"
	}
	return fmt.Sprintf("%s, %d envois", text, sendings)
}

func checkStudentKeys(ctx context.Context, q querier, report func(string)) error {
	rows, err := q.QueryContext(ctx, `SELECT id, last_name, coalesce(usage_name, ''), first_names, coalesce(class, ''), name_key, class_key, search FROM students`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var last, usage, first, class string
		var got studentKeys
		if err := rows.Scan(&id, &last, &usage, &first, &class, &got.name, &got.class, &got.search); err != nil {
			return err
		}
		if want := studentKeysOf(last, usage, first, class); got != want {
			report(fmt.Sprintf("élève n° %d : clés %+v au lieu de %+v (nom modifié hors de pixcert ?)", id, got, want))
		}
	}
	return rows.Err()
}

func checkParticipantKeys(ctx context.Context, q querier, report func(string)) error {
	rows, err := q.QueryContext(ctx, `SELECT id, last_name, first_name, coalesce(class, ''), coalesce(student_number, ''),
		coalesce(external_id, ''), name_key, class_key, match_id FROM participants`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p collecte.Participation
		var got participantKeys
		if err := rows.Scan(&id, &p.LastName, &p.FirstName, &p.Class, &p.StudentNumber, &p.ExternalID, &got.name, &got.class, &got.matchID); err != nil {
			return err
		}
		if want := participantKeysOf(p); got != want {
			report(fmt.Sprintf("participant P%d : clés %+v au lieu de %+v", id, got, want))
		}
	}
	return rows.Err()
}

// checkImportKinds: rows of exports come from exports, students from
// rosters, each of the establishment it is in.
func checkImportKinds(ctx context.Context, q querier, report func(string)) error {
	for _, c := range []struct{ query, problem string }{
		{`SELECT count(*) FROM sendings s JOIN imports i ON i.id = s.import_id WHERE i.kind <> 'collecte'`, "envois venus d'un fichier qui n'est pas un export"},
		{`SELECT count(*) FROM participants p JOIN imports i ON i.id = p.import_id WHERE i.kind <> 'collecte'`, "participants venus d'un fichier qui n'est pas un export"},
		{`SELECT count(*) FROM unsent_participations u JOIN imports i ON i.id = u.import_id WHERE i.kind <> 'collecte'`, "participations venues d'un fichier qui n'est pas un export"},
		{`SELECT count(*) FROM students s JOIN imports i ON i.id = s.roster_import_id WHERE i.kind <> 'roster' OR i.establishment_id <> s.establishment_id`,
			"élèves venus d'un fichier qui n'est pas une liste de leur établissement"},
		{`SELECT count(*) FROM participants p JOIN campaigns c ON c.id = p.campaign_id JOIN imports i ON i.id = p.import_id
			WHERE i.establishment_id <> c.establishment_id`, "participants venus d'un export d'un autre établissement que leur campagne"},
		{`SELECT count(*) FROM certification_results r JOIN imports i ON i.id = r.import_id WHERE i.kind <> 'results' OR i.establishment_id <> r.establishment_id`,
			"résultats de certification venus d'un fichier qui n'est pas un export de résultats de leur établissement"},
		{`SELECT count(*) FROM certification_results r WHERE r.import_id IS NOT
			(SELECT max(import_id) FROM certification_result_sources WHERE result_id = r.id)`,
			"résultats de certification dont l'import n'est pas le dernier export qui les tient"},
		{`SELECT count(*) FROM certification_result_sources so JOIN imports i ON i.id = so.import_id WHERE i.kind <> 'results'`,
			"résultats de certification venus d'un fichier qui n'est pas un export de résultats"},
		{`SELECT count(*) FROM certification_results r JOIN students s ON s.id = r.student_id WHERE s.establishment_id <> r.establishment_id`,
			"résultats de certification rapprochés d'un élève d'un autre établissement"},
		{`SELECT count(*) FROM session_candidates c JOIN certification_sessions se ON se.id = c.session_id JOIN students s ON s.id = c.student_id
			WHERE s.establishment_id <> se.establishment_id`, "candidats d'une session d'un autre établissement"},
	} {
		var n int64
		if err := q.QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			report(fmt.Sprintf("%d %s", n, c.problem))
		}
	}
	return nil
}

// checkCurrentList: a student in the current list was listed by the
// establishment's latest roster.
func checkCurrentList(ctx context.Context, q querier, report func(string)) error {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM students s JOIN imports i ON i.id = s.roster_import_id
		WHERE s.current = 1 AND i.run <> (SELECT max(run) FROM imports WHERE kind = 'roster' AND establishment_id = s.establishment_id)`).Scan(&n)
	if err == nil && n > 0 {
		report(fmt.Sprintf("%d élèves de la liste actuelle n'étaient pas dans la dernière liste importée", n))
	}
	return err
}

// checkDecisions: a participant a person decided about follows the
// decision, unless the student chosen left the list.
func checkDecisions(ctx context.Context, q querier, report func(string)) error {
	decisions, err := latestDecisions(ctx, q, "1")
	if err != nil {
		return err
	}
	var ids []string
	for participant, d := range decisions {
		var student int64
		var method string
		var current bool
		// The student chosen counts while in the current list of the
		// participant's establishment, as matching again says.
		err := q.QueryRowContext(ctx, `SELECT coalesce(p.student_id, 0), coalesce(p.matched_by, ''),
			EXISTS (SELECT 1 FROM students s WHERE s.id = ?2 AND s.current = 1 AND s.establishment_id = c.establishment_id)
			FROM participants p JOIN campaigns c ON c.id = p.campaign_id WHERE p.id = ?1`, participant, d.Student).
			Scan(&student, &method, &current)
		if err != nil {
			return err
		}
		wantStudent := d.Student
		if !current {
			wantStudent = 0
		}
		if student != wantStudent || (wantStudent != 0 && method != "manual") {
			ids = append(ids, participantRef(participant))
		}
	}
	if len(ids) > 0 {
		report("rapprochement contraire à la décision enregistrée pour " + strings.Join(ids, ", "))
	}
	return nil
}

func eachString(ctx context.Context, q querier, query string, each func(string)) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		each(s)
	}
	return rows.Err()
}

// checkSessions: no room and no supervisor in two sessions of an
// establishment at the same time, and no session over its seats, as plans
// and moves keep them (a file edited by hand may not).
func checkSessions(ctx context.Context, q querier, report func(string)) error {
	list, err := loadSessions(ctx, q, 0, nil, "")
	if err != nil {
		return err
	}
	for i := range list {
		a := &list[i]
		if len(a.Candidates) > a.Seats {
			report(fmt.Sprintf("la session n° %d a %d candidats pour %d places", a.ID, len(a.Candidates), a.Seats))
		}
		for j := i + 1; j < len(list); j++ {
			b := &list[j]
			if a.EstablishmentID != b.EstablishmentID {
				continue
			}
			room, supervisors := sessions.Clash(&a.Session, &b.Session)
			if room {
				report(fmt.Sprintf("les sessions n° %d et %d occupent la même salle en même temps", a.ID, b.ID))
			}
			if len(supervisors) > 0 {
				report(fmt.Sprintf("les sessions n° %d et %d ont en même temps le même surveillant", a.ID, b.ID))
			}
		}
	}
	return nil
}
