package cmd

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/visible"
)

// frenchMessage is err's message with what SQLite and the system say in
// English, through any wrapping, said in French: the one place where their
// words are translated, before Main prints a failure.
func frenchMessage(err error) string {
	msg := err.Error()
	if english, french, ok := store.SQLiteMessage(err); ok {
		msg = strings.Replace(msg, english, french, 1)
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return msg
	}
	french := systemMessage(errno)
	if french == "" {
		return msg
	}
	// « open /chemin/fichier: permission denied »: the operation is
	// Go's word, the path is what a person needs.
	var pathErr *fs.PathError
	var linkErr *os.LinkError
	var syscallErr *os.SyscallError
	switch {
	case errors.As(err, &pathErr) && strings.Contains(msg, pathErr.Path+" : "+pathErr.Error()):
		// The message named the path already.
		return strings.Replace(msg, pathErr.Path+" : "+pathErr.Error(), pathErr.Path+" : "+french, 1)
	case pathErr != nil && strings.Contains(msg, pathErr.Error()):
		return strings.Replace(msg, pathErr.Error(), pathErr.Path+" : "+french, 1)
	case errors.As(err, &linkErr) && strings.Contains(msg, linkErr.Error()):
		return strings.Replace(msg, linkErr.Error(), linkErr.New+" : "+french, 1)
	case errors.As(err, &syscallErr) && strings.Contains(msg, syscallErr.Error()):
		return strings.Replace(msg, syscallErr.Error(), french, 1)
	}
	return strings.Replace(msg, errno.Error(), french, 1)
}

// systemMessage says what the system refused, "" for what has no words
// here (its own are then shown).
func systemMessage(errno syscall.Errno) string {
	switch {
	case errors.Is(errno, fs.ErrNotExist):
		return "fichier ou dossier introuvable"
	case errors.Is(errno, fs.ErrPermission):
		return "accès refusé (droits du fichier ou de son dossier)"
	case errors.Is(errno, fs.ErrExist):
		return "existe déjà"
	case errno == syscall.ENOSPC:
		return "le disque est plein"
	case errno == syscall.EROFS:
		return "le disque est en lecture seule"
	case errno == syscall.EISDIR:
		return "c'est un dossier"
	case errno == syscall.ENOTDIR:
		return "un élément du chemin n'est pas un dossier"
	case errno == syscall.EIO:
		return "erreur de lecture ou d'écriture du disque"
	case errno == syscall.ENAMETOOLONG:
		return "nom trop long"
	case errno == syscall.EMFILE, errno == syscall.ENFILE:
		return "trop de fichiers ouverts"
	}
	return ""
}

// frenchFlagError says in French what pflag found wrong in the options:
// its errors have types, their messages are English.
func frenchFlagError(err error) string {
	var unknown *pflag.NotExistError
	var noValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	var syntax *pflag.InvalidSyntaxError
	switch {
	case errors.As(err, &unknown):
		if group := unknown.GetSpecifiedShortnames(); group != "" {
			msg := fmt.Sprintf("option courte inconnue : -%s", visible.Quote(unknown.GetSpecifiedName()))
			if len(group) > 1 {
				msg += fmt.Sprintf(" (dans -%s)", visible.Quote(group))
			}
			return msg
		}
		return fmt.Sprintf("option inconnue : --%s", visible.Quote(unknown.GetSpecifiedName()))
	case errors.As(err, &noValue):
		if noValue.GetSpecifiedShortnames() != "" {
			return fmt.Sprintf("l'option -%s attend une valeur", visible.Quote(noValue.GetSpecifiedName()))
		}
		return fmt.Sprintf("l'option --%s attend une valeur", visible.Quote(noValue.GetSpecifiedName()))
	case errors.As(err, &invalid):
		name, value := invalid.GetFlag().Name, visible.Quote(invalid.GetValue())
		var quoting *csv.ParseError
		switch {
		case invalid.GetFlag().Value.Type() == "bool":
			return fmt.Sprintf("--%s s'écrit seule, sans valeur (« %s » donné) : --%s, ou --%s=false pour l'annuler", name, value, name, name)
		case errors.As(err, &quoting):
			// A list option reads its values as a CSV line.
			return fmt.Sprintf("--%s : « %s » est mal écrit (guillemets) : séparez les valeurs par des virgules, par exemple --%s 3E1,3E2", name, value, name)
		}
		return fmt.Sprintf("--%s : valeur « %s » invalide", name, value)
	case errors.As(err, &syntax):
		return fmt.Sprintf("option mal écrite : « %s »", visible.Quote(syntax.GetSpecifiedFlag()))
	}
	// pflag has no other errors for a command line.
	return "options mal écrites"
}
