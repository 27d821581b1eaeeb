//go:build unix

package store

import (
	"io/fs"
	"os"
	"syscall"
)

// ownedByUser tells whether the user running pixcert owns the file.
func ownedByUser(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}
