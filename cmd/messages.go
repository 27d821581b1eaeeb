package cmd

import (
	"encoding/csv"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/pixcert/pixcert/internal/visible"
)

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
