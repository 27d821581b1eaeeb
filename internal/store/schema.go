package store

// migrations bring a store from one schema version to the next; the index in
// the slice is the version it leaves the store at, minus one. Never edit a
// released migration: add one.
var migrations = []string{
	// 1: students, campaigns, participations and what links them.
	`
CREATE TABLE students (
	id             INTEGER PRIMARY KEY,
	national_id    TEXT,              -- INE, upper case
	student_number TEXT,              -- higher education
	last_name      TEXT NOT NULL,
	usage_name     TEXT NOT NULL DEFAULT '',
	first_name     TEXT NOT NULL,
	class          TEXT NOT NULL DEFAULT '',
	birthdate      TEXT,              -- YYYY-MM-DD
	-- keys derived from the fields above by fold.Key
	identity_key   TEXT NOT NULL,     -- finds a student again in a roster without ids: name|first name|birth date
	class_key      TEXT NOT NULL,     -- compared with --class
	class_sort_key TEXT NOT NULL,     -- numbers padded: 3E2 before 3E10
	sort_key       TEXT NOT NULL,
	search_key     TEXT NOT NULL,
	-- 1: in the current roster; 0: left it, kept with its history;
	-- 2: during a roster import, not yet seen in the new roster.
	active         INTEGER NOT NULL DEFAULT 1,
	-- derived from participations by refreshStatuses
	status         TEXT NOT NULL DEFAULT 'not-communicated',
	latest_sent_id INTEGER,
	sendings       INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX students_national_id ON students(national_id) WHERE national_id IS NOT NULL;
CREATE UNIQUE INDEX students_student_number ON students(student_number) WHERE student_number IS NOT NULL;
CREATE INDEX students_identity ON students(identity_key);
CREATE INDEX students_active_class ON students(active, class_key);
CREATE INDEX students_active_class_sort ON students(active, class_sort_key, sort_key);

-- Every name a student may appear under in an export, with the class.
CREATE TABLE student_names (
	name_key   TEXT NOT NULL,
	class_key  TEXT NOT NULL,
	student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
	PRIMARY KEY (name_key, class_key, student_id)
) WITHOUT ROWID;
CREATE INDEX student_names_student ON student_names(student_id);

CREATE TABLE campaigns (
	id           INTEGER PRIMARY KEY,  -- Pix's "ID Campagne"
	code         TEXT NOT NULL DEFAULT '',
	name         TEXT NOT NULL DEFAULT '',
	organization TEXT NOT NULL DEFAULT ''
);

CREATE TABLE participations (
	id                INTEGER PRIMARY KEY,
	campaign_id       INTEGER NOT NULL REFERENCES campaigns(id),
	-- the same participation read again (same file, a later export, an
	-- Excel re-save) has the same key, so importing it again adds nothing
	dedup_key         TEXT NOT NULL UNIQUE,
	participant_key   TEXT NOT NULL,   -- one learner in one campaign
	last_name         TEXT NOT NULL,
	first_name        TEXT NOT NULL,
	class             TEXT NOT NULL DEFAULT '',
	student_number    TEXT NOT NULL DEFAULT '',
	external_id       TEXT NOT NULL DEFAULT '',
	external_id_label TEXT NOT NULL DEFAULT '',
	name_key          TEXT NOT NULL,
	class_key         TEXT NOT NULL,
	match_id          TEXT NOT NULL DEFAULT '',
	sent              INTEGER NOT NULL,
	sent_at           TEXT,            -- YYYY-MM-DD[ HH:MM], Paris time
	pix_total         INTEGER,
	certifiable_competences INTEGER,   -- recomputed by certif from the levels
	certifiable       INTEGER,         -- certif's verdict on that count
	levels            TEXT,            -- 16 levels, comma separated, Pix order
	pix               TEXT,            -- 16 pix counts, likewise
	student_id        INTEGER REFERENCES students(id),
	match_method      TEXT             -- id, name_class, name
);
CREATE INDEX participations_student ON participations(student_id, sent, sent_at);
CREATE INDEX participations_match_id ON participations(match_id) WHERE match_id <> '';
CREATE INDEX participations_unmatched ON participations(student_id, name_key, class_key);
`,
	// 2: decisions a person made about a doubtful participant, kept across
	// imports; and the index that finds a class's students by name.
	`
CREATE TABLE links (
	participant_key TEXT PRIMARY KEY,
	student_id      INTEGER REFERENCES students(id), -- NULL: keep this participant unmatched
	decided_at      TEXT NOT NULL
);
CREATE INDEX student_names_class ON student_names(class_key);
`,
}
