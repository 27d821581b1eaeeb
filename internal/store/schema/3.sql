-- pixcert store, schema version 3 (PRAGMA user_version = 3), in a file
-- marked as pixcert's (PRAGMA application_id = 1347961684, "PXCT").
--
-- Plain tables: one row per establishment, import, student, participant,
-- sending. Rows that come from a file point to the import of that file.
-- Names are kept as the files write them; the *_key columns are pixcert's
-- comparison keys (lower case, no accents, letters and digits only), and
-- statuses are derived from sendings, kept in step by every import, link
-- and unlink (`pixcert check` recomputes them).
--
-- This file is version 3 as it was released: never edit it, add a
-- migration.

-- A school, or any Pix organization, as its files name it.
CREATE TABLE establishments (
    id       INTEGER PRIMARY KEY,
    name     TEXT,  -- Pix organization, as its exports write "Nom de l'organisation"; NULL until an export names it
    name_key TEXT,  -- name folded: how names compare
    uai      TEXT   -- UAI, from the SIECLE XML export (PARAMETRES/UAJ); NULL when no file gave it
);
CREATE UNIQUE INDEX establishments_name ON establishments (name_key) WHERE name_key IS NOT NULL;
CREATE UNIQUE INDEX establishments_uai ON establishments (uai) WHERE uai IS NOT NULL;

-- A "Collecte de profils" campaign of Pix Orga.
CREATE TABLE campaigns (
    id                INTEGER PRIMARY KEY,  -- Pix's "ID Campagne"
    establishment_id  INTEGER NOT NULL REFERENCES establishments (id),
    code              TEXT,                 -- "Code"; NULL in exports made before 2023
    name              TEXT NOT NULL,        -- "Nom de la campagne"
    external_id_label TEXT                  -- header of the campaign's external id column ("INE", "Mail Perso"...)
);

-- One file imported by `pixcert import`.
CREATE TABLE imports (
    id               INTEGER PRIMARY KEY,
    run              INTEGER NOT NULL,  -- the `pixcert import` command: the files of one command share it
    establishment_id INTEGER NOT NULL REFERENCES establishments (id),
    kind             TEXT NOT NULL CHECK (kind IN ('roster', 'collecte')),
    file_name        TEXT NOT NULL,     -- as given to pixcert import
    sha256           TEXT,              -- of the file's bytes, in hex; NULL for data carried over from an older store
    imported_at      TEXT NOT NULL,     -- UTC, RFC 3339
    row_count        INTEGER NOT NULL,  -- data rows read
    format           TEXT NOT NULL,     -- what the file was read as (roster layout, export)
    encoding         TEXT,              -- text encoding, detected or forced; NULL for a workbook
    separator        TEXT,              -- ";", "," or a tab; NULL for a workbook or XML
    sheet            TEXT,              -- the sheet read in a workbook
    campaign_id      INTEGER REFERENCES campaigns (id)  -- a collecte's campaign
);
CREATE INDEX imports_sha256 ON imports (sha256) WHERE sha256 IS NOT NULL;

-- A student of a roster. Students who left the current list (current = 0)
-- keep their history and come back when a later roster lists them.
CREATE TABLE students (
    id               INTEGER PRIMARY KEY,
    establishment_id INTEGER NOT NULL REFERENCES establishments (id),
    national_id      TEXT,              -- INE, upper case
    student_number   TEXT,              -- higher education's "Numéro étudiant", upper case
    last_name        TEXT NOT NULL,     -- birth name, the one Pix exports show
    usage_name       TEXT,              -- "Nom d'usage"
    first_names      TEXT NOT NULL,
    birthdate        TEXT,              -- YYYY-MM-DD
    class            TEXT,              -- division, class or group
    current          INTEGER NOT NULL CHECK (current IN (0, 1)),  -- 1: in the establishment's latest roster
    roster_import_id INTEGER NOT NULL REFERENCES imports (id),     -- the roster file that listed them last
    name_key         TEXT NOT NULL,     -- "last|first names", folded: identity without an id
    class_key        TEXT NOT NULL,     -- class folded, '' when none
    search           TEXT NOT NULL      -- the folded words of the names, which student_search indexes
);
-- Identity: an id, else the name and the birth date, within an establishment.
CREATE UNIQUE INDEX students_national_id ON students (national_id, establishment_id) WHERE national_id IS NOT NULL;
CREATE UNIQUE INDEX students_student_number ON students (student_number, establishment_id) WHERE student_number IS NOT NULL;
CREATE UNIQUE INDEX students_identity ON students (establishment_id, name_key, coalesce(birthdate, ''))
    WHERE national_id IS NULL AND student_number IS NULL;
CREATE INDEX students_class ON students (class_key) WHERE current = 1;

-- Name search (status --search, show, link, unmatched's candidates): words
-- of the names, e.g. SELECT rowid FROM student_search WHERE student_search MATCH 'dup* AND lea*'.
CREATE VIRTUAL TABLE student_search USING fts5 (search, content = 'students', content_rowid = 'id', tokenize = 'ascii', detail = none);
CREATE TRIGGER students_search_insert AFTER INSERT ON students BEGIN
    INSERT INTO student_search (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER students_search_delete AFTER DELETE ON students BEGIN
    INSERT INTO student_search (student_search, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER students_search_update AFTER UPDATE OF search ON students BEGIN
    INSERT INTO student_search (student_search, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO student_search (rowid, search) VALUES (new.id, new.search);
END;

-- A learner in one campaign, as its exports name them; P<id> in pixcert.
CREATE TABLE participants (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
    import_id      INTEGER NOT NULL REFERENCES imports (id),  -- the export that brought it
    last_name      TEXT NOT NULL,     -- "Nom du Participant"
    first_name     TEXT NOT NULL,     -- "Prénom du Participant"
    class          TEXT,              -- "Classe" (SCO) or "Groupe" (SUP)
    student_number TEXT,              -- "Numéro Étudiant" (SUP)
    external_id    TEXT,              -- the campaign's external id column
    name_key       TEXT NOT NULL,     -- "last|first", folded
    class_key      TEXT NOT NULL,     -- class folded, '' when none
    match_id       TEXT NOT NULL,     -- student number, or an external id that looks like an INE, upper case; '' when none
    student_id     INTEGER REFERENCES students (id),  -- the student it is, NULL when none
    matched_by     TEXT CHECK (matched_by IN ('id', 'name_class', 'name', 'manual')),
    CHECK ((student_id IS NULL) = (matched_by IS NULL))
);
CREATE UNIQUE INDEX participants_identity ON participants (campaign_id, name_key, match_id, class_key);
CREATE INDEX participants_student ON participants (student_id) WHERE student_id IS NOT NULL;
CREATE INDEX participants_unmatched ON participants (campaign_id) WHERE student_id IS NULL;

-- A sent profile: one row of an export with "Envoi (O/N)" = Oui.
CREATE TABLE sendings (
    id                      INTEGER PRIMARY KEY,
    participant_id          INTEGER NOT NULL REFERENCES participants (id),
    import_id               INTEGER NOT NULL REFERENCES imports (id),  -- the export that brought it
    sent_at                 TEXT NOT NULL,     -- Europe/Paris time, YYYY-MM-DD HH:MM, or YYYY-MM-DD when the file gave no time
    pix_total               INTEGER NOT NULL,
    certifiable_competences INTEGER NOT NULL,  -- competences at level 1 or more, counted from levels
    levels                  TEXT NOT NULL,     -- JSON array: the 16 levels in Pix's order, 1.1 to 5.2: json_extract(levels, '$[0]') is 1.1
    pix                     TEXT NOT NULL      -- JSON array: the 16 pix counts, same order
);
CREATE INDEX sendings_participant ON sendings (participant_id);

-- A participation started and not sent: a row with "Envoi (O/N)" = Non.
CREATE TABLE unsent_participations (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (id),
    import_id      INTEGER NOT NULL REFERENCES imports (id)
);

-- What a person decided (pixcert link, unlink); the latest decision about a
-- participant stands.
CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    student_id     INTEGER REFERENCES students (id),  -- NULL: no student (unlink)
    decided_at     TEXT NOT NULL                      -- UTC, RFC 3339
);
CREATE INDEX decisions_participant ON decisions (participant_id);

-- Each student's certificability from the last profile they sent
-- (pix-formats.md §1): the latest sending of all their participants
-- decides, with 5 certifiable competences or more.
CREATE TABLE statuses (
    student_id INTEGER PRIMARY KEY REFERENCES students (id),
    status     TEXT NOT NULL CHECK (status IN ('certifiable', 'non-certifiable', 'not-communicated')),
    sending_id INTEGER REFERENCES sendings (id),  -- the latest sending; NULL when none
    sendings   INTEGER NOT NULL                   -- how many sendings the student has, all campaigns
);
