package sessions

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/roster"
	"github.com/pixcert/pixcert/internal/tabfile"
	"github.com/pixcert/pixcert/internal/visible"
)

// MaxCandidates bounds the rows of a candidates file. It names the
// students added to, or picked out of, whole classes: a few dozen, a few
// hundred for a lycée that presents a whole level by hand. Past it, the
// file is a roster given by mistake, and the roster has its own import.
const MaxCandidates = 5000

// CandidateRef is a student named by a candidates file, before pixcert
// finds them in its list: the file is typed by a person, so it names
// students the ways people do (an INE, or a name), and finding them is the
// caller's, which knows the students.
type CandidateRef struct {
	Line                int    // in the file, for messages
	NationalID          string // INE (upper case), "" when the file has no such column or the cell is empty
	LastName, FirstName string
	Birthdate           string // YYYY-MM-DD, "" when none
	Class               string
	ExtraTime           int // percent; 0 none
}

// Columns of a candidates file, found by name without case, accents or
// punctuation. The other names are those of Pix Certif's import of
// candidates (pix-formats.md §8) and of school extractions, so that a
// referent who starts from one need not rename them.
var (
	colNationalID = []string{"INE", "Identifiant externe", "Numéro INE", "N° INE", "Identifiant unique"}
	colLastName   = []string{"Nom", "Nom de naissance", "Nom de famille"}
	colFirstName  = []string{"Prénom", "Premier prénom"}
	colBirthdate  = []string{"Date de naissance", "Date de naissance (format: JJ/MM/AAAA)"}
	colClass      = []string{"Classe", "Division"}
	colExtraTime  = []string{"Temps majoré", "Tiers temps", "Temps majoré ? (exemple format: 33%)"}
	// colFullName is one column holding « NOM Prénom », as school
	// software extracts a class list; roster.SplitFullName reads it as
	// the roster import does, so both find the same student.
	colFullName = []string{"Élève", "Élèves", "Nom et prénom", "Nom prénom"}
)

// ReadCandidates reads a candidates file: a CSV table, one student a row,
// as a referent types it in Excel or cuts it out of a class list. It reads
// it as ReadSpec reads a plan (encodings, separators, columns by name), so
// that what a referent learnt of one holds for the other. now dates the
// file: a birthdate after it is a typo of the year, and it decides the
// century of a two-digit year; a zero now checks neither, and takes only
// four-digit years. A file that cannot be read comes back as a
// *fileerr.Error, its problems as a fileerr.List, all of them, each with
// its line and column: no student is returned until the file is right, so
// that nobody is left out of a session by a row skipped unseen.
func ReadCandidates(name string, r io.Reader, now time.Time) ([]CandidateRef, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSpecBytes+1))
	if err != nil {
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf("le fichier ne peut pas être lu (%v).", err)}
	}
	if len(data) > MaxSpecBytes {
		return nil, &fileerr.Error{File: name, Msg: fmt.Sprintf(
			"fichier de plus de %s : une liste de candidats tient en quelques Ko (une ligne par élève) ; vérifiez que c'est bien elle, et non la liste de tous les élèves (elle s'importe à part).",
			limits.Size(MaxSpecBytes))}
	}
	f, err := tabfile.Open(name, bytes.NewReader(data), tabfile.Options{})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c := candidateColumns{
		id: f.Column(colNationalID...), last: f.Column(colLastName...), first: f.Column(colFirstName...),
		birth: f.Column(colBirthdate...), class: f.Column(colClass...), extra: f.Column(colExtraTime...),
		full: -1,
	}
	if c.last < 0 || c.first < 0 {
		// Both name columns win over a full name: « Nom » and « Prénom »
		// are what the full name would be split into, less a guess.
		c.full = f.Column(colFullName...)
	}
	if c.id < 0 && (c.last < 0 || c.first < 0) && c.full < 0 {
		return nil, noStudentColumns(f, c)
	}
	rd := candidateReader{f: f, c: c, seen: map[string]int{}, pivot: -1}
	if !now.IsZero() {
		rd.today = now.In(frdate.Paris()).Format("2006-01-02")
		rd.pivot = frdate.Pivot(now)
	}
	var out []CandidateRef
	errStop := errors.New("stop")
	rows := 0
	err = f.EachRow(&rd.errs, func(row tabfile.Row) error {
		if rows++; rows > MaxCandidates {
			rd.errs.Add(&fileerr.Error{File: name, Line: row.Line, Msg: tooManyCandidates})
			return errStop
		}
		if ref, ok := rd.candidate(row); ok {
			out = append(out, ref)
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	if rd.errs.Total == 0 && len(out) == 0 {
		rd.errs.Add(&fileerr.Error{File: name, Msg: "aucun élève : le fichier n'a que sa ligne d'en-tête ; ajoutez une ligne par élève à présenter."})
	}
	if err := errorOf(name, &rd.errs); err != nil {
		return nil, err
	}
	return out, nil
}

var tooManyCandidates = fmt.Sprintf("plus de %s élèves : une liste de candidats en compte quelques dizaines ; pour présenter des classes entières, nommez les classes plutôt que leurs élèves.", limits.Count(MaxCandidates))

// candidateColumns are the indexes of a file's columns, -1 when absent.
type candidateColumns struct{ id, last, first, birth, class, extra, full int }

// ineLike is an INE (9 or 10 digits and a letter or two): a header made
// of one is a file that has no header.
var ineLike = regexp.MustCompile(`^[0-9]{9,10}[A-Z]{1,2}$`)

// noStudentColumns says that a file names no student: which columns would,
// and which one of the file looks like them. The hint and the columns found
// are tabfile's, as for a missing column of any file; its first sentence,
// which calls one column required, is not said, since any of three will do.
func noStudentColumns(f *tabfile.File, c candidateColumns) *fileerr.Error {
	var b strings.Builder
	b.WriteString("aucune colonne ne désigne les élèves : il faut une colonne « INE », ou les colonnes « Nom » et « Prénom », ou une seule colonne « Élève » (« DUPONT Léa »)")
	switch {
	case c.last >= 0:
		fmt.Fprintf(&b, " ; la colonne « %s » est là, « Prénom » manque", visible.Quote(f.Header[c.last]))
	case c.first >= 0:
		fmt.Fprintf(&b, " ; la colonne « %s » est là, « Nom » manque", visible.Quote(f.Header[c.first]))
	}
	b.WriteString(".")
	for _, h := range f.Header {
		if ineLike.MatchString(strings.ToUpper(h)) {
			fmt.Fprintf(&b, " La première ligne (« %s ») ressemble à un INE : ajoutez au-dessus une ligne d'en-tête, par exemple « INE ».", visible.Quote(h))
			break
		}
	}
	missing := []string{"INE", "Nom", "Prénom"}
	switch {
	case c.last >= 0:
		missing = []string{"Prénom"}
	case c.first >= 0:
		missing = []string{"Nom"}
	}
	var tail string
	for _, expected := range missing {
		msg := f.MissingColumn(expected).Msg
		_, t, ok := strings.Cut(msg, fmt.Sprintf("(ligne %d).", f.HeaderLine))
		if !ok {
			continue
		}
		if tail == "" || strings.Contains(t, "lui ressemble") {
			tail = t
		}
		if strings.Contains(t, "lui ressemble") {
			break
		}
	}
	b.WriteString(tail)
	return &fileerr.Error{File: f.Name, Msg: b.String()}
}

// candidateReader reads the rows of a candidates file, keeping its
// problems and the students it has seen.
type candidateReader struct {
	f     *tabfile.File
	c     candidateColumns
	errs  fileerr.Collector
	seen  map[string]int // a student's key → the line first naming them
	today string         // YYYY-MM-DD; "" checks no birthdate against it
	pivot int
}

func (rd *candidateReader) candidate(row tabfile.Row) (CandidateRef, bool) {
	cell := func(i int) string {
		if i < 0 {
			return ""
		}
		return row.Cells[i]
	}
	ok := true
	check := func(col int, msg string) {
		if msg != "" {
			rd.errs.Add(rd.f.Errorf(row.Line, col, "%s", msg))
			ok = false
		}
	}
	c := rd.c
	ref := CandidateRef{
		Line:       row.Line,
		NationalID: strings.ToUpper(strings.Join(strings.Fields(cell(c.id)), "")),
		LastName:   tidy(cell(c.last)),
		FirstName:  tidy(cell(c.first)),
		Class:      tidy(cell(c.class)),
	}
	check(c.id, tooLong(ref.NationalID, limits.MaxIDChars, "un INE"))
	check(c.class, tooLong(ref.Class, limits.MaxClassChars, "une classe"))
	lastCol, firstCol := c.last, c.first
	if c.full >= 0 {
		lastCol, firstCol = c.full, c.full
		full := tidy(cell(c.full))
		if msg := tooLong(full, limits.MaxNameChars, "un nom suivi des prénoms"); msg != "" {
			check(c.full, msg)
		} else if full != "" {
			ref.LastName, ref.FirstName = roster.SplitFullName(full)
			if ref.FirstName == "" {
				check(c.full, fmt.Sprintf("« %s » ne contient pas un nom suivi d'un prénom (attendu par exemple « DUPONT Léa »).", visible.Quote(full)))
			}
		}
	} else {
		check(c.last, tooLong(ref.LastName, limits.MaxNameChars, "un nom"))
		check(c.first, tooLong(ref.FirstName, limits.MaxNameChars, "des prénoms"))
	}
	if !ok {
		return ref, false
	}
	// An INE names a student alone; without one, it takes both names,
	// since many students share a last name, and some a first name too.
	hasLast, hasFirst := fold.Key(ref.LastName) != "", fold.Key(ref.FirstName) != ""
	switch {
	case ref.NationalID != "" || (hasLast && hasFirst):
	case hasLast && firstCol >= 0:
		check(firstCol, "le prénom est vide : complétez-le (ou l'INE), sans quoi l'élève ne peut pas être reconnu parmi ses homonymes.")
	case hasFirst && lastCol >= 0:
		check(lastCol, "le nom est vide : complétez-le (ou l'INE), sans quoi l'élève ne peut pas être reconnu.")
	default:
		check(firstColumn(c.id, lastCol), "aucun élève désigné : la ligne n'a ni INE, ni nom et prénom ; complétez-la, ou retirez-la.")
	}
	if raw := strings.TrimSpace(cell(c.birth)); raw != "" {
		var msg string
		ref.Birthdate, msg = rd.birthdate(raw)
		check(c.birth, msg)
	}
	if c.extra >= 0 {
		x, err := ParseExtraTime(cell(c.extra))
		if err != nil {
			check(c.extra, err.Error())
		}
		ref.ExtraTime = x
	}
	if !ok {
		return ref, false
	}
	key := "INE\x1f" + ref.NationalID
	if ref.NationalID == "" {
		key = strings.Join([]string{fold.Key(ref.LastName), fold.Key(ref.FirstName), ref.Birthdate, fold.Key(ref.Class)}, "\x1f")
	}
	if first, dup := rd.seen[key]; dup {
		check(firstColumn(c.id, lastCol), fmt.Sprintf("cet élève est déjà donné ligne %d : gardez une seule ligne par élève.", first))
		return ref, false
	}
	rd.seen[key] = row.Line
	return ref, true
}

// firstColumn is the first column present: where a problem of the whole row
// is shown.
func firstColumn(cols ...int) int {
	for _, c := range cols {
		if c >= 0 {
			return c
		}
	}
	return -1
}

// birthdate reads a birthdate, or says what is wrong with it. One after
// today is a typo of the year; a student is told apart from a namesake
// by it, and a wrong one finds nobody.
func (rd *candidateReader) birthdate(raw string) (string, string) {
	d, err := frdate.ParseDate(raw, rd.pivot)
	switch {
	case errors.Is(err, frdate.ErrImpossible):
		return "", fmt.Sprintf("la date « %s » n'existe pas (format attendu jj/mm/aaaa, par exemple 14/03/2011).", visible.Quote(raw))
	case err != nil:
		return "", fmt.Sprintf("« %s » n'est pas une date de naissance (format attendu jj/mm/aaaa, par exemple 14/03/2011).", visible.Quote(raw))
	case rd.today != "" && d > rd.today:
		return "", fmt.Sprintf("le %s est dans le futur (nous sommes le %s) : vérifiez l'année de naissance.", frdate.French(d), frdate.French(rd.today))
	}
	return d, ""
}

// excelDate is what Excel makes of « 1/3 » typed in a cell: the first of
// March, saved as « 01/03/2026 » or « 01-mars ».
var excelDate = regexp.MustCompile(`^\d{1,2}(/\d{1,2}/\d{2,4}|-\p{L}+\.?(-\d{2,4})?)$`)

// ParseExtraTime reads a student's extra time as referents write it: Pix
// Certif's « 33% », the « 1/3 » and « tiers temps » of the decision that
// grants it, or a mere « oui » in a column that says what it is. It
// refuses what it cannot be sure of, rather than guess a student's time
// short: a decimal (« 0,33 » is Excel's 33 % with its format lost) and
// anything over 100 % are asked again.
func ParseExtraTime(s string) (int, error) {
	t := strings.Join(strings.Fields(s), "")
	if t == "" {
		return 0, nil
	}
	switch fold.Key(t) {
	case "non":
		return 0, nil
	case "oui", "tierstemps":
		return DefaultExtraTime, nil
	}
	quoted := visible.Quote(strings.TrimSpace(s))
	examples := "par exemple « 33 % », « 1/3 », « tiers temps », « oui » ou « non »"
	number := strings.TrimSuffix(t, "%")
	negative := strings.HasPrefix(number, "-")
	number = strings.TrimPrefix(number, "-")
	var x int
	if a, b, frac := strings.Cut(number, "/"); frac && len(a) <= 3 && len(b) <= 3 && allDigits(a) && allDigits(b) && atoi(b) > 0 && !strings.HasSuffix(t, "%") {
		// Rounded to the nearest: 1/3 is 33, as Pix writes it.
		x = (200*atoi(a) + atoi(b)) / (2 * atoi(b))
	} else if allDigits(number) {
		if len(number) > 4 {
			number = number[:4] // over 100 all the same, without overflow
		}
		x, _ = strconv.Atoi(number)
	} else {
		switch {
		case excelDate.MatchString(t):
			return 0, fmt.Errorf("« %s » est une date, pas un temps majoré : Excel change « 1/3 » en date ; écrivez « 33 %% » ou « tiers temps ».", quoted)
		case decimal.MatchString(number):
			return 0, fmt.Errorf("« %s » : attendu un nombre entier de pour cent (%s) ; un tiers temps s'écrit « 33 %% », pas « 0,33 ».", quoted, examples)
		}
		return 0, fmt.Errorf("« %s » n'est pas un temps majoré (attendu un pourcentage, %s).", quoted, examples)
	}
	switch {
	case negative && x > 0:
		return 0, fmt.Errorf("« %s » : un temps majoré ne peut pas être négatif ; écrivez par exemple « 33 %% », ou « non » s'il n'y en a pas.", quoted)
	case x > 100:
		return 0, fmt.Errorf("« %s » : plus de 100 %% de temps majoré, c'est plus que le double du temps de l'épreuve ; vérifiez (un tiers temps s'écrit « 33 %% »).", quoted)
	}
	return x, nil
}

var decimal = regexp.MustCompile(`^\d*[.,]\d+$`)
