-- pixcert store, version 4: version 3 (3.sql) and what this file adds,
-- the certification (pix-formats.md §7 and §8): the sessions a school
-- plans, their candidates, and the results Pix Orga exports. A new store
-- runs 3.sql then this file; a store of version 3 runs this file.
--
-- This file is version 4 as it was released: never edit it, add a
-- migration.

-- An import may now be a certification results export: the kind's check
-- changes, which SQLite does by building the table again (foreign keys
-- are not enforced meanwhile and checked before the change commits).
CREATE TABLE imports_v4 (
    id               INTEGER PRIMARY KEY,
    run              INTEGER NOT NULL,  -- the `pixcert import` command: the files of one command share it
    establishment_id INTEGER NOT NULL REFERENCES establishments (id),
    kind             TEXT NOT NULL CHECK (kind IN ('roster', 'collecte', 'results')),
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
INSERT INTO imports_v4 (id, run, establishment_id, kind, file_name, sha256, imported_at, row_count, format, encoding, separator, sheet, campaign_id)
    SELECT id, run, establishment_id, kind, file_name, sha256, imported_at, row_count, format, encoding, separator, sheet, campaign_id FROM imports;
DROP TABLE imports;
ALTER TABLE imports_v4 RENAME TO imports;
CREATE INDEX imports_sha256 ON imports (sha256) WHERE sha256 IS NOT NULL;

-- A participant's sendings by date: the latest one, and each class's
-- latest collecte, are read from the index alone.
DROP INDEX sendings_participant;
CREATE INDEX sendings_participant ON sendings (participant_id, sent_at);

-- A row of a certification results export of Pix Orga (pix-formats.md §7):
-- one certification of one candidate. A later export of the same
-- certification (its status changed) replaces the row.
CREATE TABLE certification_results (
    id                   INTEGER PRIMARY KEY,
    establishment_id     INTEGER NOT NULL REFERENCES establishments (id),
    import_id            INTEGER NOT NULL REFERENCES imports (id),  -- the latest export that held it
    certification_number TEXT,              -- "Numéro de certification"
    last_name            TEXT NOT NULL,     -- "Nom"
    first_name           TEXT NOT NULL,     -- "Prénom"
    birthdate            TEXT,              -- "Date de naissance", YYYY-MM-DD
    birth_place          TEXT,              -- "Lieu de naissance"
    external_id          TEXT,              -- "Identifiant Externe", upper case: the INE of SCO students
    status               TEXT NOT NULL,     -- "Statut" as Pix writes it: Validée, Rejetée, Annulée, En erreur, Démarrée...
    pix_score            INTEGER,           -- "Nombre de Pix"; NULL for "-"
    levels               TEXT NOT NULL,     -- JSON array: the 16 certified levels, 1.1 to 5.2, null for "-"
    jury_comment         TEXT,              -- "Commentaire jury pour l'organisation"
    session              TEXT,              -- "Session": Pix Certif's session number
    passed_on            TEXT,              -- "Date de passage de la certification", YYYY-MM-DD
    center               TEXT,              -- "Centre de certification" (session-level exports)
    certification_type   TEXT,              -- "Type de certification" (newer exports)
    outcome              TEXT,              -- "Résultat" (newer exports)
    name_key             TEXT NOT NULL,     -- "last|first", folded
    student_id           INTEGER REFERENCES students (id),  -- the student it is, NULL when none
    -- How: 'manual' is a person's decision (pixcert link, or unlink with
    -- no student), which later imports keep.
    matched_by           TEXT CHECK (matched_by IN ('id', 'name_birthdate', 'manual')),
    CHECK (matched_by = 'manual' OR (student_id IS NULL) = (matched_by IS NULL))
);
CREATE UNIQUE INDEX certification_results_number ON certification_results (establishment_id, certification_number)
    WHERE certification_number IS NOT NULL;
CREATE UNIQUE INDEX certification_results_identity ON certification_results
    (establishment_id, name_key, coalesce(birthdate, ''), coalesce(session, '')) WHERE certification_number IS NULL;
CREATE INDEX certification_results_student ON certification_results (student_id) WHERE student_id IS NOT NULL;

-- Every results export that held a result: exports that held the same
-- certification are forgotten together, and a result goes with the last
-- of them. certification_results.import_id is the latest.
CREATE TABLE certification_result_sources (
    result_id INTEGER NOT NULL REFERENCES certification_results (id),
    import_id INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (result_id, import_id)
) WITHOUT ROWID;
CREATE INDEX certification_result_sources_import ON certification_result_sources (import_id);

-- A certification session the school planned (pixcert sessions plan), as
-- Pix Certif describes one (pix-formats.md §8).
CREATE TABLE certification_sessions (
    id               INTEGER PRIMARY KEY,  -- the number pixcert shows
    establishment_id INTEGER NOT NULL REFERENCES establishments (id),
    site             TEXT NOT NULL,     -- "Nom du site"
    room             TEXT NOT NULL,     -- "Nom de la salle"
    seats            INTEGER NOT NULL CHECK (seats > 0),
    starts_at        TEXT NOT NULL,     -- Europe/Paris time, YYYY-MM-DD HH:MM
    duration_minutes INTEGER NOT NULL,  -- the test, for candidates without extra time
    margin_minutes   INTEGER NOT NULL,  -- seating before the test and leaving after
    supervisors      TEXT NOT NULL,     -- JSON array of names
    observations     TEXT,
    planned_at       TEXT NOT NULL      -- UTC, RFC 3339
);
CREATE INDEX certification_sessions_start ON certification_sessions (establishment_id, starts_at);

-- A student planned in a session. A student is in one session still to
-- come at most; one who missed a session may be planned in another.
CREATE TABLE session_candidates (
    session_id INTEGER NOT NULL REFERENCES certification_sessions (id),
    student_id INTEGER NOT NULL REFERENCES students (id),
    extra_time INTEGER NOT NULL DEFAULT 0 CHECK (extra_time >= 0),  -- "Temps majoré", in percent
    PRIMARY KEY (session_id, student_id)
) WITHOUT ROWID;
CREATE INDEX session_candidates_student ON session_candidates (student_id);
