// Package frdate reads the dates found in school files and Pix exports, and
// writes them the French way.
//
// Stored dates are ISO strings ("2011-03-14", "2026-03-14 10:42"), which sort
// as text in the same order as in time.
package frdate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Paris on a computer without a zone database (Windows)
)

// Paris is the time zone of the times in Pix's exports, and of the schools
// pixcert speaks to.
var Paris = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // time/tzdata holds it
	}
	return loc
})

// ErrFormat means the text is not a date in an accepted layout; ErrImpossible
// means it has the layout of a date that does not exist (31/02/2011).
var (
	ErrFormat     = errors.New("format de date non reconnu")
	ErrImpossible = errors.New("date inexistante")
)

// ParseDate reads a calendar date written DD/MM/YYYY, DD/MM/YY, YYYY-MM-DD,
// optionally followed by a time that is ignored (Excel adds " 00:00"). It
// returns it as "YYYY-MM-DD". twoDigitPivot decides the century of YY: years
// up to it are 20YY, the others 19YY.
func ParseDate(s string, twoDigitPivot int) (string, error) {
	if iso, ok := pixDate(s); ok {
		return iso, nil
	}
	d, _, err := parse(strings.TrimSpace(s), twoDigitPivot)
	return d, err
}

// ParseDateTime reads the date of a sending: "DD/MM/YYYY HH:mm" as Pix
// writes it, and the variants Excel re-types (seconds, date alone, ISO).
// It returns "YYYY-MM-DD HH:MM", or "YYYY-MM-DD" when there is no time.
func ParseDateTime(s string) (string, error) {
	if iso, ok := pixDateTime(s); ok {
		return iso, nil
	}
	d, clock, err := parse(strings.TrimSpace(s), -1)
	if err != nil || clock == "" {
		return d, err
	}
	return d + " " + clock, nil
}

// pixDate reads "DD/MM/YYYY", the layout of dates in Pix's files and in
// SIECLE's, without the general parser's allocations: an académie's files
// hold millions. It leaves anything else, wrong dates included, to the
// general parser, which says what is wrong.
func pixDate(s string) (string, bool) {
	if len(s) != 10 || s[2] != '/' || s[5] != '/' {
		return "", false
	}
	d, ok1 := digits(s[0:2])
	m, ok2 := digits(s[3:5])
	y, ok3 := digits(s[6:10])
	if !(ok1 && ok2 && ok3) || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return "", false
	}
	return s[6:10] + "-" + s[3:5] + "-" + s[0:2], true
}

// pixDateTime reads "DD/MM/YYYY HH:MM", the layout of every sending in a
// Pix export, as pixDate does.
func pixDateTime(s string) (string, bool) {
	if len(s) != 16 || s[10] != ' ' || s[13] != ':' {
		return "", false
	}
	h, ok1 := digits(s[11:13])
	mi, ok2 := digits(s[14:16])
	if !ok1 || !ok2 || h > 23 || mi > 59 {
		return "", false
	}
	date, ok := pixDate(s[:10])
	if !ok {
		return "", false
	}
	return date + " " + s[11:16], true
}

func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Pivot is the usual choice for birth dates: a two-digit year not after the
// current one is in this century.
func Pivot(now time.Time) int { return now.Year() % 100 }

func parse(s string, pivot int) (date, clock string, err error) {
	datePart, timePart, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
	timePart = strings.TrimSpace(timePart)
	var y, m, d int
	switch {
	case strings.Count(datePart, "/") == 2:
		parts := strings.Split(datePart, "/")
		if d, err = number(parts[0], 1, 2); err != nil {
			return "", "", err
		}
		if m, err = number(parts[1], 1, 2); err != nil {
			return "", "", err
		}
		switch len(parts[2]) {
		case 4:
			y, err = number(parts[2], 4, 4)
		case 2:
			if pivot < 0 {
				return "", "", ErrFormat
			}
			y, err = number(parts[2], 2, 2)
			if y <= pivot {
				y += 2000
			} else {
				y += 1900
			}
		default:
			err = ErrFormat
		}
	case strings.Count(datePart, "-") == 2 && len(datePart) >= 4 && strings.IndexByte(datePart, '-') == 4:
		parts := strings.Split(datePart, "-")
		if y, err = number(parts[0], 4, 4); err != nil {
			return "", "", err
		}
		if m, err = number(parts[1], 1, 2); err != nil {
			return "", "", err
		}
		d, err = number(parts[2], 1, 2)
	case strings.Count(datePart, "-") == 2, strings.Count(datePart, ".") == 2:
		// DD-MM-YYYY and DD.MM.YYYY, as some school software writes them.
		return parse(strings.NewReplacer("-", "/", ".", "/").Replace(datePart)+timeSuffix(timePart), pivot)
	default:
		err = ErrFormat
	}
	if err != nil {
		return "", "", err
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", "", ErrImpossible
	}
	if timePart != "" {
		if clock, err = parseClock(timePart); err != nil {
			return "", "", err
		}
	}
	return t.Format("2006-01-02"), clock, nil
}

func timeSuffix(t string) string {
	if t == "" {
		return ""
	}
	return " " + t
}

func parseClock(s string) (string, error) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "Z"), "h")
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == 'h' })
	if len(parts) < 2 || len(parts) > 3 {
		return "", ErrFormat
	}
	h, err := number(parts[0], 1, 2)
	if err != nil {
		return "", err
	}
	m, err := number(parts[1], 2, 2)
	if err != nil {
		return "", err
	}
	if len(parts) == 3 {
		sec, _, _ := strings.Cut(parts[2], ".")
		if _, err := number(sec, 2, 2); err != nil {
			return "", err
		}
	}
	if h > 23 || m > 59 {
		return "", ErrImpossible
	}
	return fmt.Sprintf("%02d:%02d", h, m), nil
}

func number(s string, minDigits, maxDigits int) (int, error) {
	if len(s) < minDigits || len(s) > maxDigits {
		return 0, ErrFormat
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, ErrFormat
	}
	return n, nil
}

// French writes a stored date ("2026-03-14" or "2026-03-14 10:42") as
// jj/mm/aaaa; it returns "" for "".
func French(iso string) string {
	if len(iso) < 10 {
		return iso
	}
	return iso[8:10] + "/" + iso[5:7] + "/" + iso[0:4]
}

// Day keeps the date part of a stored date or date-time.
func Day(iso string) string {
	if len(iso) > 10 {
		return iso[:10]
	}
	return iso
}

// FrenchDateTime writes a stored date-time as jj/mm/aaaa hh:mm, or
// jj/mm/aaaa when it has no time.
func FrenchDateTime(iso string) string {
	if len(iso) >= 16 {
		return French(iso) + " " + iso[11:16]
	}
	return French(iso)
}
