package store

import (
	"cmp"
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
	"slices"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/fold"
)

// ErrNotCurrent means Peek found a file that is not a store of this
// version of pixcert: an older one (the next command converts it), a newer
// one, or another application's file. Peek does not tell them apart: that
// needs reading tables, which Open does.
var ErrNotCurrent = errors.New("ce n'est pas une base de cette version de pixcert")

// ErrOlderStore means Peek found a store that an earlier pixcert marked
// as its own, at an earlier version: the next command converts it (an
// ErrNotCurrent too). Stores of the first versions had no mark: they are
// ErrNotCurrent only.
var ErrOlderStore = fmt.Errorf("base d'une version précédente de pixcert : %w", ErrNotCurrent)

// Peek opens the store at path to read it while changing nothing on disk:
// it creates no file (no store, not even SQLite's -wal and -shm), converts
// nothing, changes no file's rights and takes no lock. For what must be
// harmless and quick: the guide of pixcert without a command, and shell
// completion. What an import running meanwhile writes may not be seen.
// Without a store it returns ErrNoStore.
func Peek(ctx context.Context, path string) (*Store, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s : %w", path, ErrNoStore)
	case err != nil:
		return nil, err
	case info.IsDir():
		return nil, fmt.Errorf("%s : c'est un dossier ; indiquez un fichier, par exemple %s", path, filepath.Join(path, "pixcert.db"))
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s : %w", path, ErrNotCurrent)
	case info.Size() == 0:
		return nil, fmt.Errorf("%s : %w", path, ErrNoStore)
	}
	// The header's marks: SQLite's, then user_version and application_id.
	// A store at rest has them on disk (the log is folded in when the
	// last connection closes).
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	header := make([]byte, 100)
	_, err = io.ReadFull(f, header)
	f.Close()
	if err != nil || !strings.HasPrefix(string(header), string(sqliteHeader)) || binary.BigEndian.Uint32(header[68:]) != applicationID {
		return nil, fmt.Errorf("%s : %w", path, ErrNotCurrent)
	}
	if version := binary.BigEndian.Uint32(header[60:]); version != schemaVersion {
		if version < schemaVersion {
			return nil, fmt.Errorf("%s : %w", path, ErrOlderStore)
		}
		return nil, fmt.Errorf("%s : %w", path, ErrNotCurrent)
	}
	// immutable: SQLite reads the file as it is, without the locks and the
	// shared-memory file that reading a store in WAL mode needs otherwise.
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&immutable=1")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &Store{db: db, Path: path}, nil
}

// Summary is what a store holds, in a few numbers.
type Summary struct {
	Students   int       // in the current rosters
	LastImport time.Time // zero without any import
}

// Summary counts the students of the current rosters, in the index of
// classes which holds them only, and finds the last import: quick
// whatever the size of the store.
func (s *Store) Summary(ctx context.Context) (Summary, error) {
	var sum Summary
	var last sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM students INDEXED BY students_class WHERE current = 1),
		(SELECT imported_at FROM imports ORDER BY id DESC LIMIT 1)`).Scan(&sum.Students, &last)
	if err != nil {
		return Summary{}, fmt.Errorf("lecture de la base %s : %w", s.Path, err)
	}
	if last.Valid {
		if sum.LastImport, err = time.Parse(time.RFC3339, last.String); err != nil {
			return Summary{}, fmt.Errorf("lecture de la base %s : date d'import « %s » illisible", s.Path, last.String)
		}
	}
	return sum, nil
}

// EstablishmentNames lists the establishments of the store, in the order
// they came, as Establishments does but without asking which have
// students (HasStudents stays false): at once, whatever the size of the
// store.
func (s *Store) EstablishmentNames(ctx context.Context) ([]Establishment, error) {
	return s.establishments(ctx, false)
}

// ClassNames are the classes of the current rosters of an establishment
// (0: all) whose name begins like prefix (compared folded, "" for all),
// each named by one of its spellings, in class order.
//
// The index of classes is read from class to class, a seek for each: an
// académie's million students in 35,000 classes are not read one by one.
func (s *Store) ClassNames(ctx context.Context, establishment int64, prefix string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `WITH RECURSIVE classes(key) AS (
			SELECT min(class_key) FROM students INDEXED BY students_class WHERE current = 1 AND class_key >= ?2 AND class_key > ''
			UNION ALL
			SELECT (SELECT min(class_key) FROM students INDEXED BY students_class WHERE current = 1 AND class_key > classes.key)
			FROM classes WHERE classes.key IS NOT NULL AND substr(classes.key, 1, length(?2)) = ?2)
		SELECT (SELECT s.class FROM students s INDEXED BY students_class
			WHERE s.current = 1 AND s.class_key = classes.key AND ?1 IN (0, s.establishment_id) LIMIT 1)
		FROM classes WHERE classes.key IS NOT NULL AND substr(classes.key, 1, length(?2)) = ?2`, establishment, fold.Key(prefix))
	if err != nil {
		return nil, fmt.Errorf("lecture des classes : %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var class sql.NullString // NULL: a class of another establishment
		if err := rows.Scan(&class); err != nil {
			return nil, fmt.Errorf("lecture des classes : %w", err)
		}
		if class.Valid {
			out = append(out, class.String)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(fold.SortKey(a), fold.SortKey(b)) })
	return out, rows.Err()
}
