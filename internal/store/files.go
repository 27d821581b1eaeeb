package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// companions are the files SQLite keeps beside a store: the write-ahead log
// and its index while the store is open, the rollback journal of a store
// written by an older pixcert.
var companions = []string{"-wal", "-shm", "-journal"}

// protect makes the store's files readable by their owner only: student
// data is personal data, and a store created under an earlier umask may be
// readable by every account of the computer. A file that is not the
// user's is left as it is, and a warning says what to ask of its owner.
// Only access by others is removed: a store its owner made read-only
// stays read-only. The files SQLite keeps beside the store take the
// store's mode, as SQLite gives them when it creates them: a -shm left
// read-only by a reader of a read-only store would otherwise keep the
// store read-only once its owner makes it writable again.
func protect(path string) (warnings []string) {
	if runtime.GOOS == "windows" {
		return nil // access is decided by the folder's ACL, not by these bits
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	storeMode := info.Mode().Perm() &^ 0o077
	if w := restrict(path, info, storeMode); w != "" {
		warnings = append(warnings, w)
	}
	for _, p := range withSuffixes(path, companions) {
		if info, err := os.Stat(p); err == nil {
			if w := restrict(p, info, storeMode); w != "" {
				warnings = append(warnings, w)
			}
		}
	}
	return warnings
}

// ProtectFolder makes pixcert's own folder, where it keeps the store and its
// configuration, open to its owner only.
func ProtectFolder(dir string) (warning string) {
	if runtime.GOOS == "windows" {
		return ""
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return ""
	}
	return restrict(dir, info, info.Mode().Perm()&^0o077)
}

// restrict gives p the mode want when the user owns it; otherwise it warns
// when others have access to it.
func restrict(p string, info fs.FileInfo, want fs.FileMode) (warning string) {
	perm := info.Mode().Perm()
	if perm == want || (!ownedByUser(info) && perm&0o077 == 0) {
		return ""
	}
	if ownedByUser(info) {
		err := os.Chmod(p, want)
		if err == nil {
			return ""
		}
		return fmt.Sprintf("%s est accessible à d'autres comptes de cet ordinateur (droits %04o) et pixcert n'a pas pu le protéger (%v) : "+
			"rendez-le lisible par vous seul (chmod go-rwx %s).", p, perm, unwrapPath(err), p)
	}
	return fmt.Sprintf("%s est accessible à d'autres comptes de cet ordinateur (droits %04o) et appartient à un autre compte : "+
		"demandez à son propriétaire de le rendre lisible par lui seul (chmod go-rwx %s), car il contient des données personnelles d'élèves.", p, perm, p)
}

func withSuffixes(path string, suffixes []string) []string {
	paths := make([]string, len(suffixes))
	for i, s := range suffixes {
		paths[i] = path + s
	}
	return paths
}

// unwrapPath drops the operation and path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
