package store

import (
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

func sampleStore(t *testing.T) *Store {
	t.Helper()
	st := openStore(t)
	imp(t, st, []roster.Student{
		{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"},
		{NationalID: "2", LastName: "MARTIN", FirstName: "Tom", Class: "3E2"},
		{LastName: "ROUSSEAU", FirstName: "Zoé", Class: "3E1", Birthdate: "2011-05-05"},
	}, []collecte.Participation{
		sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 10),
		sent("DUPONT", "Léa", "3E2", "2025-10-02 09:05", 3),
		sent("MARTIN", "Tom", "3E2", "2026-03-02 09:15", 4),
		unsent("ROUSSEAU", "Zoé", "3E1"),
		sent("INCONNU", "Paul", "3E2", "2026-01-10 10:00", 5),
	})
	return st
}

// twoSessions inserts, as a hand would, two sessions of the same room
// that overlap, with different supervisors.
const twoSessions = `INSERT INTO certification_sessions (establishment_id, site, room, seats, starts_at, duration_minutes, margin_minutes,
	supervisors, planned_at) VALUES (1, 'Collège', 'CDI', 30, '2026-03-16 08:30', 105, 15, '["Mme Durand"]', '2026-03-01T00:00:00Z'),
	(1, 'Collège', 'cdi', 2, '2026-03-16 09:00', 105, 15, '["M. Petit"]', '2026-03-01T00:00:00Z')`

// pixcert check holds on a store pixcert wrote, and finds what a person
// editing the file by hand may break.
func TestCheckFindsWhatWasBroken(t *testing.T) {
	if r, err := sampleStore(t).Check(ctx); err != nil || len(r.Problems) > 0 || r.SchemaVersion != schemaVersion {
		t.Fatalf("check of a sound store: %v, %v, version %d", r.Problems, err, r.SchemaVersion)
	}
	tests := []struct {
		name, tamper, want string
	}{
		{"a status changed by hand", `UPDATE statuses SET status = 'certifiable' WHERE student_id = 2`, "statuts : l'élève n° 2 a le statut"},
		{"a sending's count changed", `UPDATE sendings SET certifiable_competences = 2, levels = '[1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0]' WHERE id = 1`, "statuts"},
		{"a missing status", `DELETE FROM statuses WHERE student_id = 3`, "n'a pas de statut"},
		{"a name changed without its keys", `UPDATE students SET last_name = 'DURAND' WHERE id = 1`, "clés de comparaison des élèves : élève n° 1"},
		{"a participant's name changed", `UPDATE participants SET first_name = 'Marc' WHERE id = 2`, "clés de comparaison des participants : participant P2"},
		{"a sending from a roster file", `UPDATE sendings SET import_id = (SELECT id FROM imports WHERE kind = 'roster') WHERE id = 1`, "envois venus d'un fichier qui n'est pas un export"},
		{"a decision not followed", `INSERT INTO decisions (participant_id, student_id, decided_at) VALUES (1, 2, '2026-01-01T00:00:00Z')`, "décisions : rapprochement contraire à la décision enregistrée pour P1"},
		{"a student in the list that the latest roster did not list", `INSERT INTO imports (run, establishment_id, kind, file_name, imported_at, row_count, format)
			VALUES (99, 1, 'roster', 'autre.csv', '2026-01-01T00:00:00Z', 0, 'test')`, "liste actuelle : 3 élèves"},
		{"a dangling reference", `PRAGMA foreign_keys = OFF; UPDATE participants SET student_id = 99 WHERE id = 1`, "clés étrangères"},
		{"a search index out of step", `DROP TRIGGER students_search_update; UPDATE students SET search = 'x' WHERE id = 1`, "index de recherche des noms"},
		{"two sessions in one room at once", twoSessions + `;
			INSERT INTO session_candidates (session_id, student_id) VALUES (1, 1), (1, 2)`,
			"sessions : les sessions n° 1 et 2 occupent la même salle en même temps"},
		{"a session over its seats", twoSessions + `;
			INSERT INTO session_candidates (session_id, student_id) VALUES (2, 1), (2, 2), (2, 3)`,
			"sessions : la session n° 2 a 3 candidats pour 2 places"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := sampleStore(t)
			if _, err := st.db.Exec(tt.tamper); err != nil {
				t.Fatal(err)
			}
			st.db.Exec(`PRAGMA foreign_keys = ON`)
			r, err := st.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(r.Problems, "\n"), tt.want) {
				t.Errorf("problems %q, want one saying %q", r.Problems, tt.want)
			}
		})
	}
}
