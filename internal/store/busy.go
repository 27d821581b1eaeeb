package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// BusyTimeout is how long a command waits for another pixcert that writes
// to the same store (an import of an académie takes half a minute) before
// it gives up with ErrBusy. Tests shorten it.
var BusyTimeout = 10 * time.Second

var (
	// ErrBusy means another pixcert kept the store locked for writing
	// longer than BusyTimeout.
	ErrBusy = errors.New("la base est occupée par un autre pixcert")
	// ErrReadOnly means the store cannot be written: its file or folder
	// is read-only for this user.
	ErrReadOnly = errors.New("la base est en lecture seule")
)

// sqliteCode is SQLite's primary result code behind err, 0 when err does
// not come from SQLite.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// writeError explains a failure to begin or make a write: what another
// pixcert or the file's rights cause is said with what to do, and is
// ErrBusy or ErrReadOnly for the command line's exit code.
func (s *Store) writeError(what string, err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return &explained{ErrBusy, fmt.Sprintf("la base %s est occupée par un autre pixcert depuis plus de %s "+
			"(une importation en cours ?) : réessayez quand il aura fini.", s.Path, frenchDuration(BusyTimeout))}
	case sqlite3.SQLITE_READONLY:
		return s.readOnlyError(what)
	}
	return fmt.Errorf("%s : %w", what, err)
}

func (s *Store) readOnlyError(what string) error {
	return &explained{ErrReadOnly, fmt.Sprintf("la base %s est en lecture seule (droits du fichier ou de son dossier) : %s impossible. "+
		"status, classes, report et show peuvent la lire ; pour la modifier, rendez-la modifiable (chmod u+w).", s.Path, what)}
}

// writable returns ErrReadOnly, explained, when SQLite opened the store
// read-only: a write would fail at its first row, with SQLite's words.
func (s *Store) writable(ctx context.Context, what string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	readOnly := false
	err = conn.Raw(func(dc any) error {
		if c, ok := dc.(interface{ IsReadOnly(string) (bool, error) }); ok {
			var err error
			readOnly, err = c.IsReadOnly("main")
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if readOnly {
		return s.readOnlyError(what)
	}
	return nil
}

// explained is an error whose message says all, and which is its sentinel
// for errors.Is.
type explained struct {
	sentinel error
	msg      string
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.sentinel }

// frenchDuration says a wait: "10 secondes", "100 millisecondes".
func frenchDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d millisecondes", d.Milliseconds())
	}
	return fmt.Sprintf("%d secondes", int(d.Round(time.Second)/time.Second))
}
