package store

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The schema of each version, as released: a new store runs them in
// turn, an older store those after its version. schema/3.sql and
// schema/4.sql say what each table holds.
var (
	//go:embed schema/3.sql
	schemaV3 string
	//go:embed schema/4.sql
	schemaV4 string
)

const (
	// applicationID marks a SQLite file as a pixcert store ("PXCT"), as
	// SQLite's file format suggests: a file without it is not touched.
	applicationID = 0x50584354
	// schemaVersion is the user_version of the stores this pixcert writes.
	schemaVersion = 4
)

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// marks reads the application id and user_version of the store.
func marks(ctx context.Context, q querier) (app, version int64, err error) {
	if err := q.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); err != nil {
		return 0, 0, err
	}
	err = q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	return uint32ToInt(app), version, err
}

// uint32ToInt reads SQLite's signed 32-bit header field as unsigned.
func uint32ToInt(v int64) int64 { return int64(uint32(v)) }

// bringUpToDate creates the schema of a new store, or converts an older
// pixcert store, under the write lock: another pixcert doing the same at
// the same time waits, then finds the work done.
func (s *Store) bringUpToDate(ctx context.Context) error {
	app, version, err := marks(ctx, s.db)
	if err != nil {
		return fmt.Errorf("lecture de la base %s : %w", s.Path, err)
	}
	if app == applicationID && version == schemaVersion {
		return nil
	}
	if app == applicationID && version > schemaVersion {
		return s.newerSchema(version)
	}
	what := fmt.Sprintf("la mise à jour vers la version %d", schemaVersion)
	if err := s.writable(ctx, what); err != nil {
		return err
	}
	// Version 4 builds a table again, which SQLite does with foreign keys
	// not enforced (a pragma of the connection, outside any transaction);
	// they are checked before the change commits.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.writeError(what, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return s.writeError(what, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.writeError(what, err)
	}
	defer tx.Rollback()
	if app, version, err = marks(ctx, tx); err != nil {
		return fmt.Errorf("lecture de la base %s : %w", s.Path, err)
	}
	switch {
	case app == applicationID && version == schemaVersion:
		return nil // another pixcert did it meanwhile
	case app == applicationID && version > schemaVersion:
		return s.newerSchema(version)
	case app == applicationID && version == 3:
		err = migrateFrom3(ctx, tx)
	case app != 0:
		return fmt.Errorf("%s : %w (version %d inconnue)", s.Path, ErrNotAStore, version)
	default:
		var l layout
		if l, err = legacyLayout(ctx, tx); err != nil {
			return fmt.Errorf("lecture de la base %s : %w", s.Path, err)
		}
		switch l {
		case layoutEmpty:
			err = createSchema(ctx, tx)
		case layoutV1, layoutV2Plain, layoutV2Pages:
			err = migrateLegacy(ctx, tx, l, time.Now())
			if err == nil {
				err = migrateFrom3(ctx, tx)
			}
		default:
			return fmt.Errorf("%s : %w ; il n'a pas été modifié", s.Path, ErrNotAStore)
		}
	}
	if err == nil {
		err = noDanglingReference(ctx, tx)
	}
	if err != nil {
		return fmt.Errorf("mise à jour de la base %s vers la version %d : %w", s.Path, schemaVersion, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mise à jour de la base %s vers la version %d : %w", s.Path, schemaVersion, err)
	}
	return nil
}

// noDanglingReference checks the foreign keys a change made while they
// were not enforced.
func noDanglingReference(ctx context.Context, tx *sql.Tx) error {
	var found []string
	if err := checkForeignKeys(ctx, tx, func(s string) { found = append(found, s) }); err != nil {
		return err
	}
	if len(found) > 0 {
		return fmt.Errorf("références rompues : %s", strings.Join(found, " ; "))
	}
	return nil
}

func (s *Store) newerSchema(version int64) error {
	return fmt.Errorf("%s : %w (version %d ; celle-ci connaît la %d) : mettez pixcert à jour", s.Path, ErrNewerSchema, version, schemaVersion)
}

// createSchema creates the tables of a new store: version 3, then the
// changes of each version since.
func createSchema(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaV3); err != nil {
		return err
	}
	return migrateFrom3(ctx, tx)
}

// migrateFrom3 brings a store of version 3 to the current version.
func migrateFrom3(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaV4); err != nil {
		return err
	}
	return createSchemaMarks(ctx, tx)
}

func createSchemaMarks(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", applicationID, schemaVersion))
	return err
}

// legacyLayout recognises a SQLite file without pixcert's application id
// by its tables: empty, one of the layouts earlier pixcerts wrote, or
// another application's.
func legacyLayout(ctx context.Context, q querier) (layout, error) {
	var version int64
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, err
	}
	rows, err := q.QueryContext(ctx, `SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	tables := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return 0, err
		}
		tables[table] = append(tables[table], column)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var objects int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&objects); err != nil {
		return 0, err
	}
	if objects == 0 && version == 0 {
		return layoutEmpty, nil
	}
	has := func(table string, columns ...string) bool {
		have, ok := tables[table]
		for _, c := range columns {
			ok = ok && slices.Contains(have, c)
		}
		return ok
	}
	common := has("campaigns", "id", "code", "name", "organization") && has("links", "participant_id", "student_id", "decided_at")
	plainStudents := has("students", "id", "national_id", "student_number", "last_name", "usage_name", "first_name", "class", "birthdate", "active")
	plainParticipants := has("participants", "id", "campaign_id", "last_name", "first_name", "class", "student_number", "external_id", "student_id", "match_method")
	switch {
	case version == 1 && common && plainStudents && plainParticipants &&
		has("participations", "id", "participant_id", "sent", "sent_at", "pix_total", "profile"):
		return layoutV1, nil
	case version == 2 && common && plainStudents && plainParticipants && has("statuses") &&
		has("participations", "id", "participant_id", "sent_at", "pix_total", "profile"):
		return layoutV2Plain, nil
	case version == 2 && common && has("students", "id", "active", "class", "record") &&
		has("participation_pages", "first_id", "count", "data") && has("participant_pages", "first_id", "count", "data"):
		return layoutV2Pages, nil
	case (version == 1 || version == 2) && common:
		return layoutUnknownPixcert, nil
	}
	return layoutUnknown, nil
}
