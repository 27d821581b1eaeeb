package store

import (
	"context"
	"database/sql"
	"fmt"

	"pixcert/internal/roster"
)

// tables is the store's first schema, without its indexes.
const tables = `
CREATE TABLE students (
	id             INTEGER PRIMARY KEY,
	national_id    TEXT,              -- INE, upper case
	student_number TEXT,              -- higher education, upper case
	last_name      TEXT NOT NULL,     -- birth name, as Pix exports show it
	usage_name     TEXT NOT NULL DEFAULT '',
	first_name     TEXT NOT NULL,
	class          TEXT NOT NULL DEFAULT '',
	birthdate      TEXT,              -- YYYY-MM-DD
	-- keys derived from the fields above by fold
	class_key      TEXT NOT NULL,     -- compared with --class
	class_sort_key TEXT NOT NULL,     -- numbers padded: 3E2 before 3E10
	sort_key       TEXT NOT NULL,
	search_key     TEXT NOT NULL,     -- what --search looks into
	-- 1: in the current roster; 0: left it, kept with its history;
	-- 2: during a roster import, not yet seen in the new roster.
	active         INTEGER NOT NULL DEFAULT 1,
	-- derived from participations, see statuses.go
	status         TEXT NOT NULL DEFAULT 'not-communicated',
	latest_sent_id INTEGER,
	sendings       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE campaigns (
	id           INTEGER PRIMARY KEY,  -- Pix's "ID Campagne"
	code         TEXT NOT NULL DEFAULT '',
	name         TEXT NOT NULL DEFAULT '',
	organization TEXT NOT NULL DEFAULT ''
);

-- A participant is one learner in one campaign, as its exports name them.
CREATE TABLE participants (
	id                INTEGER PRIMARY KEY,
	key_hash          INTEGER NOT NULL,  -- campaign, folded name, identifier and class
	person_hash       INTEGER NOT NULL,  -- the same without the class, which changes
	campaign_id       INTEGER NOT NULL REFERENCES campaigns(id),
	last_name         TEXT NOT NULL,
	first_name        TEXT NOT NULL,
	class             TEXT NOT NULL DEFAULT '',
	student_number    TEXT NOT NULL DEFAULT '',
	external_id       TEXT NOT NULL DEFAULT '',
	external_id_label TEXT NOT NULL DEFAULT '',
	student_id        INTEGER REFERENCES students(id),
	match_method      TEXT              -- manual, id, name_class, name
);

-- One row of an export: a participation, sent or not.
CREATE TABLE participations (
	id                      INTEGER PRIMARY KEY,
	participant_id          INTEGER NOT NULL REFERENCES participants(id),
	-- the same participation read again (same file, a later export, an
	-- Excel re-save) has the same hash, so importing it again adds nothing;
	-- looked up among its participant's rows, no index of its own
	dedup_hash              INTEGER NOT NULL,
	sent                    INTEGER NOT NULL,
	sent_at                 TEXT,      -- YYYY-MM-DD[ HH:MM], Paris time
	pix_total               INTEGER,
	certifiable_competences INTEGER,   -- recomputed by certif from the levels
	certifiable             INTEGER,   -- certif's verdict on that count
	profile                 BLOB       -- 16 levels then 16 pix, a byte each
);

-- How each class stands, derived from students whenever statuses change
-- (statuses.go): pixcert classes reads a row per class, not per student.
CREATE TABLE class_counts (
	class_key        TEXT PRIMARY KEY,
	class            TEXT NOT NULL,
	class_sort_key   TEXT NOT NULL,
	students         INTEGER NOT NULL,
	certifiable      INTEGER NOT NULL,
	non_certifiable  INTEGER NOT NULL,
	not_communicated INTEGER NOT NULL
);

-- Decisions a person made about a participant (pixcert link, unlink).
CREATE TABLE links (
	participant_id INTEGER PRIMARY KEY REFERENCES participants(id),
	student_id     INTEGER REFERENCES students(id), -- NULL: keep unmatched
	decided_at     TEXT NOT NULL
);
`

// v1Indexes are the indexes of schema version 1, as it created them.
const v1Indexes = `
CREATE UNIQUE INDEX students_national_id ON students(national_id) WHERE national_id IS NOT NULL;
CREATE UNIQUE INDEX students_student_number ON students(student_number) WHERE student_number IS NOT NULL;
CREATE INDEX students_class ON students(active, class_key);
CREATE UNIQUE INDEX participants_key ON participants(key_hash);
CREATE INDEX participants_student ON participants(student_id);
CREATE INDEX participants_person ON participants(person_hash);
CREATE INDEX participations_participant ON participations(participant_id);
`

// Version 2 is built for volume (issue 5): a row of SQLite costs an import
// more than reading the line of a file it comes from. Participations,
// participants and the statuses derived from them are packed many to a page
// (pages.go); a student keeps a row, for status --class, with their names in
// one field; what a profile says (sent, the count, the verdict) is derived
// when read. An import finds stored students, participants and sendings in
// tables it loads in memory, so the indexes that served per-row lookups go.
const v2Tables = `
CREATE TABLE participation_pages (
	first_id INTEGER PRIMARY KEY,  -- id of its first participation; the others follow
	count    INTEGER NOT NULL,
	data     BLOB NOT NULL         -- see appendParticipation
);
CREATE TABLE participant_pages (
	first_id INTEGER PRIMARY KEY,  -- id of its first participant; the others follow
	count    INTEGER NOT NULL,
	data     BLOB NOT NULL         -- see appendParticipant
);
-- Every student's status, derived from the participations: a record per
-- student id, in order (see appendStatus).
CREATE TABLE status_pages (
	first_id INTEGER PRIMARY KEY,  -- student id of its first record; the others follow
	count    INTEGER NOT NULL,
	data     BLOB NOT NULL
);
`

// v2Links: the participant a decision is about is in participant_pages.
const v2Links = `
CREATE TABLE links_v2 (
	participant_id INTEGER PRIMARY KEY,               -- of participant_pages
	student_id     INTEGER REFERENCES students(id),  -- NULL: keep unmatched
	decided_at     TEXT NOT NULL
);
INSERT INTO links_v2 (participant_id, student_id, decided_at) SELECT participant_id, student_id, decided_at FROM links;
DROP TABLE links;
ALTER TABLE links_v2 RENAME TO links;
`

// v2Students holds what a roster says of a student in one blob
// (appendStudent), but the class: status --class reads class_key.
const v2Students = `
CREATE TABLE students_v2 (
	id        INTEGER PRIMARY KEY,
	-- 1: in the current roster; 0: left it, kept with its history;
	-- 2: during a roster import, not yet seen in the new roster.
	active    INTEGER NOT NULL DEFAULT 1,
	class_key TEXT NOT NULL,  -- fold.Key(class), compared with --class
	class     TEXT NOT NULL,
	record    BLOB NOT NULL   -- ids, names and birth date
);
`

const v2Drop = `
DROP TABLE participations;
DROP TABLE students;
ALTER TABLE students_v2 RENAME TO students;
CREATE INDEX students_class ON students(class_key) WHERE active = 1;
DROP TABLE participants;
`

func migrateToV2(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, v2Tables); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, participant_id, dedup_hash, sent, coalesce(sent_at, ''), coalesce(pix_total, 0), profile
		FROM participations ORDER BY id`)
	if err != nil {
		return err
	}
	pages := newPageWriter(ctx, tx, "participation_pages")
	for rows.Next() {
		var p storedParticipation
		var dedup int64
		var sent bool
		var profile []byte
		if err := rows.Scan(&p.id, &p.participant, &dedup, &sent, &p.sentAt, &p.pixTotal, &profile); err != nil {
			rows.Close()
			return err
		}
		p.dedup = uint64(dedup)
		if !sent {
			p.sentAt, p.pixTotal = "", 0
		} else if copy(p.profile[:], profile) != len(p.profile) {
			rows.Close()
			return fmt.Errorf("participation %d : profil illisible", p.id)
		}
		if err := pages.add(p.id, func(b []byte) []byte { return appendParticipation(b, &p) }); err != nil {
			rows.Close()
			return err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := pages.flush(); err != nil {
		return err
	}
	if err := migrateParticipantsToV2(ctx, tx); err != nil {
		return err
	}
	if err := migrateStudentsToV2(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, v2Drop); err != nil {
		return err
	}
	return recomputeStatuses(ctx, tx)
}

func migrateParticipantsToV2(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, key_hash, campaign_id, coalesce(student_id, 0), coalesce(match_method, ''),
		last_name, first_name, class, student_number, external_id FROM participants ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	pages := newPageWriter(ctx, tx, "participant_pages")
	for rows.Next() {
		var p storedParticipant
		var key int64
		n := &p.named
		if err := rows.Scan(&p.id, &key, &n.CampaignID, &p.student, &p.method,
			&n.LastName, &n.FirstName, &n.Class, &n.StudentNumber, &n.ExternalID); err != nil {
			return err
		}
		p.key = uint64(key)
		if err := pages.add(p.id, func(b []byte) []byte { return appendParticipant(b, &p) }); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := pages.flush(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, v2Links)
	return err
}

func migrateStudentsToV2(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, v2Students); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, active, class_key, class, coalesce(national_id, ''), coalesce(student_number, ''),
		last_name, usage_name, first_name, coalesce(birthdate, '') FROM students ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	insert := newBatch(ctx, tx, `INSERT INTO students_v2 (id, active, class_key, class, record)`, 5)
	for rows.Next() {
		var id, active int64
		var classKey string
		var s roster.Student
		if err := rows.Scan(&id, &active, &classKey, &s.Class, &s.NationalID, &s.StudentNumber,
			&s.LastName, &s.UsageName, &s.FirstName, &s.Birthdate); err != nil {
			return err
		}
		if err := insert.add(id, active, classKey, s.Class, appendStudent(nil, s, s.StudentNumber)); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return insert.flush()
}

// secondaryIndexes serve the queries that must stay instant at any size:
// status --class. An import into a store that holds no participation drops
// them and builds them again at its end, which costs a sort instead of a
// random insertion per row (Import.begin). Looking a student up by INE
// (pixcert show) or a participant by student reads the whole table, which
// is instant for a school and a fraction of a second for an académie.
var secondaryIndexes = []struct{ name, create string }{
	// Only the current list: a key of one column sorts faster, when a
	// bulk load builds it, than (active, class_key).
	{"students_class", `CREATE INDEX students_class ON students(class_key) WHERE active = 1`},
}

// migrations bring a store from one schema version to the next; the index in
// the slice is the version it leaves the store at, minus one. Never edit a
// released migration: add one.
var migrations = []func(context.Context, *sql.Tx) error{
	execMigration(tables + v1Indexes),
	migrateToV2,
}

func execMigration(statements string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, statements)
		return err
	}
}
