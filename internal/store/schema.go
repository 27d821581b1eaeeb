package store

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

// v2 keeps derived statuses apart from the roster and stores less per
// participation (issue 5): an import writes a narrow row per status instead
// of rewriting a wide row per student, and what can be derived from a
// profile is derived when read. An import finds participants and sendings
// already stored from tables it loads in memory, so they need no index.
const v2 = `
CREATE TABLE statuses (
	student_id     INTEGER PRIMARY KEY REFERENCES students(id),
	status         TEXT NOT NULL,     -- certifiable or non-certifiable; no row: not communicated
	latest_sent_id INTEGER NOT NULL REFERENCES participations(id),
	competences    INTEGER NOT NULL,  -- certifiable competences of that sending
	sendings       INTEGER NOT NULL
);
INSERT INTO statuses (student_id, status, latest_sent_id, competences, sendings)
	SELECT s.id, s.status, s.latest_sent_id, p.certifiable_competences, s.sendings
	FROM students s JOIN participations p ON p.id = s.latest_sent_id;
ALTER TABLE students DROP COLUMN status;
ALTER TABLE students DROP COLUMN latest_sent_id;
ALTER TABLE students DROP COLUMN sendings;
ALTER TABLE participations DROP COLUMN sent;  -- sent_at IS NOT NULL
ALTER TABLE participations DROP COLUMN certifiable_competences;
ALTER TABLE participations DROP COLUMN certifiable;
DROP INDEX IF EXISTS participants_key;
DROP INDEX IF EXISTS participants_person;
ALTER TABLE participants DROP COLUMN person_hash;
`

// secondaryIndexes serve the queries. An import into a store that holds no
// participation drops them and builds them again at its end, which costs a
// sort instead of a random insertion per row (see bulkLoad).
var secondaryIndexes = []struct{ name, create string }{
	{"students_national_id", `CREATE UNIQUE INDEX students_national_id ON students(national_id) WHERE national_id IS NOT NULL`},
	{"students_student_number", `CREATE UNIQUE INDEX students_student_number ON students(student_number) WHERE student_number IS NOT NULL`},
	// status --class.
	{"students_class", `CREATE INDEX students_class ON students(active, class_key)`},
	// A student's participations: pixcert show, and the campaign a student
	// without a sending joined.
	{"participants_student", `CREATE INDEX participants_student ON participants(student_id)`},
	{"participations_participant", `CREATE INDEX participations_participant ON participations(participant_id)`},
}

// migrations bring a store from one schema version to the next; the index in
// the slice is the version it leaves the store at, minus one. Never edit a
// released migration: add one.
var migrations = []string{
	tables + v1Indexes,
	v2,
}
