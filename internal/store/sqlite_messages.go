package store

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLiteMessage finds, behind err, what SQLite said in English, such as
// « database disk image is malformed (11) », and says it in French with
// what to do. ok is false when err does not come from SQLite. What the
// store explains itself (ErrBusy, ErrReadOnly) has no English left in it.
func SQLiteMessage(err error) (english, french string, ok bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", "", false
	}
	return se.Error(), fmt.Sprintf("%s (code SQLite %d)", sqliteFrench(se.Code()), se.Code()), true
}

// sqliteFrench says a SQLite result code the way a person can act on it.
func sqliteFrench(code int) string {
	switch code & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return "la base est occupée par un autre pixcert : réessayez quand il aura fini"
	case sqlite3.SQLITE_READONLY:
		return "la base est en lecture seule (droits du fichier ou de son dossier)"
	case sqlite3.SQLITE_IOERR:
		return "erreur de lecture ou d'écriture du disque (support débranché, partage réseau coupé ou disque défectueux ?)"
	case sqlite3.SQLITE_CORRUPT:
		// check cannot read it either.
		return "la base est endommagée : remplacez-la par une sauvegarde, ou effacez-la (pixcert purge) et importez de nouveau les fichiers"
	case sqlite3.SQLITE_FULL:
		return "le disque est plein : libérez de la place, puis relancez la commande"
	case sqlite3.SQLITE_CANTOPEN:
		return "impossible d'ouvrir le fichier de la base (son dossier existe-t-il, est-il accessible ?)"
	case sqlite3.SQLITE_NOTADB:
		return "ce fichier n'est pas une base de données"
	case sqlite3.SQLITE_NOMEM:
		return "mémoire insuffisante"
	case sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		return "accès à la base refusé"
	case sqlite3.SQLITE_INTERRUPT:
		return "interrompu"
	case sqlite3.SQLITE_PROTOCOL:
		return "la base n'a pas pu être verrouillée (partage réseau ?) : réessayez"
	case sqlite3.SQLITE_TOOBIG:
		return "donnée trop grande pour la base"
	case sqlite3.SQLITE_CONSTRAINT:
		return "la base refuse cette modification, contraire à ses règles : pixcert check dit ce qui ne va pas"
	case sqlite3.SQLITE_NOLFS:
		return "fichier trop grand pour ce système"
	case sqlite3.SQLITE_SCHEMA, sqlite3.SQLITE_MISMATCH, sqlite3.SQLITE_ERROR, sqlite3.SQLITE_RANGE:
		return "la base ne répond pas comme pixcert l'attend (modifiée à la main ?) : pixcert check dit ce qui ne va pas"
	}
	return "erreur de la base de données"
}
