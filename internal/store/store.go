// Package store keeps what pixcert imports in one SQLite file on the user's
// machine (pure Go driver, no cgo): plain tables a person can read with
// sqlite3 or DB Browser for SQLite (schema/3.sql), and the questions
// pixcert asks of them.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrNoStore means there is no store yet: nothing was imported.
	ErrNoStore = errors.New("aucune donnée importée pour l'instant")
	// ErrNotAStore means the file is not a pixcert store; it was left
	// untouched.
	ErrNotAStore = errors.New("ce fichier n'est pas une base pixcert")
	// ErrNewerSchema means the store was written by a newer pixcert.
	ErrNewerSchema = errors.New("base de données créée par une version plus récente de pixcert")
)

// Store is an open store.
type Store struct {
	db   *sql.DB
	Path string
	// Warnings are what the user should know about the store's files,
	// such as one readable by other accounts that pixcert could not
	// protect.
	Warnings []string
}

// Open opens the store at path, creating it and its folder on first use,
// readable by the owner only (student data is personal data), and brings
// an older pixcert store up to date. A file that is not a pixcert store is
// refused and never modified.
func Open(ctx context.Context, path string) (*Store, error) { return open(ctx, path, true) }

// OpenExisting opens the store at path as Open does, but never creates
// one: without a store it returns ErrNoStore.
func OpenExisting(ctx context.Context, path string) (*Store, error) { return open(ctx, path, false) }

func open(ctx context.Context, path string, create bool) (*Store, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !create {
			return nil, fmt.Errorf("%s : %w", path, ErrNoStore)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("création du dossier de la base %s : %w", filepath.Dir(path), err)
		}
		// The file is created here, not by SQLite, to be the owner's
		// alone: SQLite gives its -wal and -shm files the same mode.
		f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("création de la base %s : %w", path, err)
		}
		f.Close()
	case err != nil:
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	case info.IsDir():
		return nil, fmt.Errorf("ouverture de la base %s : c'est un dossier ; indiquez un fichier, par exemple %s", path, filepath.Join(path, "pixcert.db"))
	case !info.Mode().IsRegular():
		// A pipe or a device would hang or feed SQLite garbage.
		return nil, fmt.Errorf("%s : %w (ce n'est pas un fichier ordinaire) ; il n'a pas été modifié. Indiquez la base de pixcert avec --db", path, ErrNotAStore)
	case info.Size() == 0:
		// A store whose first import never committed: nothing in it.
		if !create {
			return nil, fmt.Errorf("%s : %w", path, ErrNoStore)
		}
	default:
		if _, err := fileLayout(ctx, path); err != nil {
			return nil, err
		}
	}
	warnings := protect(path)
	db, err := sql.Open("sqlite", dsn(path, ""))
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	// One connection: an import's transaction and temporary tables live on
	// it, and a command-line tool has no use for more.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, Path: path, Warnings: warnings}
	if err := s.bringUpToDate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.useWAL(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	if !create {
		// A store whose first import was refused holds a schema and
		// nothing else: for reading, nothing was imported.
		var imported bool
		if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM imports)`).Scan(&imported); err != nil || !imported {
			db.Close()
			if err == nil {
				err = fmt.Errorf("%s : %w", path, ErrNoStore)
			}
			return nil, err
		}
	}
	return s, nil
}

// useWAL puts the store in write-ahead-log mode, which SQLite keeps in the
// file: readers then see the last committed state while an import writes,
// instead of waiting for it. A store that cannot be written (read-only, or
// another pixcert of an older version writing) is read as it is.
func (s *Store) useWAL(ctx context.Context) error {
	if s.writable(ctx, "") != nil {
		return nil
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode == "wal" {
		return err
	}
	err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
	switch sqliteCode(err) {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_CANTOPEN:
		return nil
	}
	return err
}

// Remove erases the store at path and the files SQLite keeps beside it,
// when it is a pixcert store: a file that is not one is refused, never
// erased. It says whether there was a store to erase.
func Remove(ctx context.Context, path string) (bool, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case info.IsDir():
		return false, fmt.Errorf("%s : c'est un dossier, pas une base pixcert ; il n'a pas été effacé", path)
	case info.Size() > 0:
		if _, err := fileLayout(ctx, path); err != nil {
			return false, err
		}
	}
	for _, p := range append([]string{path}, withSuffixes(path, companions)...) {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return true, fmt.Errorf("effacement de %s : %w", p, err)
		}
	}
	return true, nil
}

// dsn is the data source name of the store at path: foreign keys
// enforced, a wait of BusyTimeout when another pixcert writes, and write
// transactions that take their lock when they begin.
func dsn(path, extra string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() +
		fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_txlock=immediate", BusyTimeout.Milliseconds()) + extra
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// The layouts of a file, as its first bytes and tables tell.
type layout int

const (
	layoutUnknown        layout = iota // not pixcert's
	layoutEmpty                        // a SQLite file without tables
	layoutUnknownPixcert               // pixcert's version 2, in a layout never released
	layoutCurrent                      // marked as pixcert's: application_id
	layoutV1                           // pixcert's first schema (user_version 1)
	layoutV2Plain                      // version 2 in plain tables (before packed pages)
	layoutV2Pages                      // version 2 in pages of 128 records
)

// sqliteHeader is how every SQLite database file begins.
var sqliteHeader = []byte("SQLite format 3\x00")

// fileLayout tells what the file at path is, reading its header itself and,
// for an unmarked SQLite file, its tables through a read-only connection:
// a file that is not pixcert's is never written to.
func fileLayout(ctx context.Context, path string) (layout, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	f.Close()
	notOurs := func(what string) (layout, error) {
		return 0, fmt.Errorf("%s : %w (%s) ; il n'a pas été modifié. Indiquez la base de pixcert avec --db, ou un fichier qui n'existe pas encore pour en créer une", path, ErrNotAStore, what)
	}
	if err != nil || n < len(header) || !bytes.HasPrefix(header, sqliteHeader) {
		return notOurs("ce n'est pas une base de données SQLite")
	}
	switch binary.BigEndian.Uint32(header[68:]) {
	case applicationID:
		return layoutCurrent, nil
	case 0:
	default:
		return notOurs("c'est la base SQLite d'une autre application")
	}
	db, err := sql.Open("sqlite", dsn(path, "&mode=ro"))
	if err != nil {
		return 0, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	defer db.Close()
	// In WAL mode the header on disk lags behind the log: a store just
	// created by another pixcert has its mark in the log only.
	if app, _, err := marks(ctx, db); err != nil {
		return 0, fmt.Errorf("lecture de la base %s : %w", path, err)
	} else if app == applicationID {
		return layoutCurrent, nil
	}
	l, err := legacyLayout(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("lecture de la base %s : %w", path, err)
	}
	switch l {
	case layoutUnknown:
		return notOurs("c'est une base SQLite d'une autre application")
	case layoutEmpty:
		return notOurs("c'est une base SQLite vide, que pixcert n'a pas créée")
	case layoutUnknownPixcert:
		return notOurs("base d'une version de développement de pixcert, dont le format n'a jamais été publié")
	}
	return l, nil
}
