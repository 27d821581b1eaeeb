// Package store keeps the imported students and participations in one
// SQLite database file on the user's machine (pure Go driver, no cgo), and
// answers the questions pixcert asks of them.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNewerSchema means the database was written by a newer pixcert.
var ErrNewerSchema = errors.New("base de données créée par une version plus récente de pixcert")

// Store is an open database.
type Store struct {
	db   *sql.DB
	Path string
}

// Open opens the database at path, creating it and its folder on first use,
// readable by the owner only (student data is personal data), and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("création du dossier de la base %s : %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	f.Close()

	// Foreign keys document the schema but are not enforced: imports write
	// rows in batches, children before their parents at times, and keep
	// integrity themselves; enforcement would cost a lookup per row.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	// One connection: an import's temporary tables and its transaction live
	// on it, and a command-line tool has no use for more.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, Path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("lecture de la base %s (est-ce bien une base pixcert ?) : %w", s.Path, err)
	}
	if version > len(migrations) {
		return fmt.Errorf("%s : %w (version %d, celle-ci connaît la %d) : mettez pixcert à jour", s.Path, ErrNewerSchema, version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for v := version; v < len(migrations); v++ {
		if err := migrations[v](ctx, tx); err != nil {
			return fmt.Errorf("mise à jour du schéma de la base vers la version %d : %w", v+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return err
	}
	return tx.Commit()
}

// IntegrityCheck runs SQLite's own check of the database file: "ok" when it
// is sound, else what is wrong.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var result string
	err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result)
	return result, err
}
