// Package roster reads the school's student list in the formats of
// pix-formats.md §3: Pix's SIECLE-CSV and SUP import formats, its generic and
// ONDE formats, and plain extractions from school software. Columns are found
// by name, whatever their order, case, accents or '*' marks.
package roster

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/keytable"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/tabfile"
	"github.com/pixcert/pixcert/internal/visible"
)

// Student is one row of a roster.
type Student struct {
	Line          int
	NationalID    string // INE, upper case; "" when the file has none
	StudentNumber string // higher education's "Numéro étudiant"
	LastName      string // birth name, the one Pix exports show
	UsageName     string // "Nom d'usage", matched on too
	FirstName     string
	Class         string // division, class or group
	Birthdate     string // YYYY-MM-DD, or ""
}

// field is one piece of information a roster may carry, with the header
// names it goes by in the formats pixcert reads.
type field struct {
	label string   // how messages name it
	names []string // accepted headers, compared folded
}

var (
	fieldNationalID = field{"Identifiant unique", []string{"Identifiant unique", "INE", "ID_NATIONAL", "Identifiant national", "N° INE", "Numéro INE"}}
	fieldNumber     = field{"Numéro étudiant", []string{"Numéro étudiant", "N° étudiant", "Numéro d'étudiant"}}
	fieldLastName   = field{"Nom de famille", []string{"Nom de famille", "Nom apprenant", "Nom élève", "Nom", "NOM_DE_FAMILLE", "Nom de naissance", "Nom patronymique"}}
	fieldUsageName  = field{"Nom d'usage", []string{"Nom d'usage", "NOM_USAGE"}}
	fieldFirstName  = field{"Premier prénom", []string{"Premier prénom", "Prénom apprenant", "Prénom élève", "Prénom", "Prénoms", "PRENOM", "Prénom 1"}}
	fieldClass      = field{"Division", []string{"Division", "Classe", "Libellé classe", "Groupe", "Classe/Groupe", "Division de rattachement", "Classe(s)", "Div.", "Code division", "Code classe"}}
	fieldBirthdate  = field{"Date de naissance", []string{"Date de naissance (jj/mm/aaaa)", "Date de naissance", "Date naissance", "DATE NAISS", "Né(e) le", "Né le", "Née le", "DATE_NAISS", "Naissance", "Date de naiss.", "Date naiss."}}
	// fieldFullName is one column holding "NOM Prénoms", as some school
	// software extracts.
	fieldFullName = field{"Élève", []string{"Élève", "Élèves", "Nom Prénom", "Nom et prénom", "Nom prénom", "Apprenant", "Identité"}}
)

// What a cell holds, in messages about one too long.
const (
	whatID         = "un identifiant"
	whatName       = "un nom"
	whatFirstNames = "des prénoms"
	whatFullName   = "un nom suivi des prénoms"
	whatClass      = "une classe"
)

// lengthLimits are the most characters each field holds.
var lengthLimits = []struct {
	field field
	max   int
	what  string
}{
	{fieldNationalID, limits.MaxIDChars, whatID},
	{fieldNumber, limits.MaxIDChars, whatID},
	{fieldLastName, limits.MaxNameChars, whatName},
	{fieldUsageName, limits.MaxNameChars, whatName},
	{fieldFirstName, limits.MaxNameChars, whatFirstNames},
	{fieldClass, limits.MaxClassChars, whatClass},
}

// format is a roster layout pixcert recognises, with the columns it requires.
type format struct {
	name      string
	signature []string // headers that, together, identify it
	required  []field  // columns that must be present and filled
}

// formats are tried in order; the last one, with no signature, is any file
// that has names and a class.
var formats = []format{
	{"format SIECLE d'import Pix", []string{"Identifiant unique", "Code MEF"},
		[]field{fieldNationalID, fieldLastName, fieldFirstName, fieldBirthdate, fieldClass}},
	{"format SUP d'import Pix", []string{"Numéro étudiant", "Premier prénom"},
		[]field{fieldLastName, fieldFirstName, fieldBirthdate, fieldNumber}},
	{"format générique Pix", []string{"Nom apprenant", "Prénom apprenant"},
		[]field{fieldLastName, fieldFirstName, fieldClass}},
	{"format ONDE", []string{"Nom élève", "Prénom élève", "Libellé classe"},
		[]field{fieldLastName, fieldFirstName, fieldClass}},
	{"extraction de logiciel de vie scolaire", nil,
		[]field{fieldLastName, fieldFirstName, fieldClass}},
}

// Reader reads the rows of a roster file.
type Reader struct {
	Format string

	f        *tabfile.File
	format   format
	col      map[string]int // field label → column index, -1 when absent
	fullName int            // the single "Élève" column, or -1
	pivot    int            // century pivot of two-digit birth years
}

// Detect tells whether the file is a roster: it has a last and a first name
// column, or a single column holding both.
func Detect(f *tabfile.File, now time.Time) (*Reader, bool) {
	r := &Reader{f: f, col: map[string]int{}, pivot: frdate.Pivot(now)}
	for _, fl := range []field{fieldNationalID, fieldNumber, fieldLastName, fieldUsageName, fieldFirstName, fieldClass, fieldBirthdate} {
		r.col[fl.label] = f.Column(fl.names...)
	}
	r.fullName = f.Column(fieldFullName.names...)
	hasNames := r.col[fieldLastName.label] >= 0 && r.col[fieldFirstName.label] >= 0
	if !hasNames && r.fullName < 0 {
		return nil, false
	}
	if hasNames {
		r.fullName = -1
	}
	for _, fm := range formats {
		if hasAll(f, fm.signature) {
			r.format, r.Format = fm, fm.name
			break
		}
	}
	return r, true
}

func hasAll(f *tabfile.File, headers []string) bool {
	for _, h := range headers {
		if f.Column(h) < 0 {
			return false
		}
	}
	return true
}

// Read checks the header, then every row, giving each good student to each
// and every problem to errs. It stops early only when the header lacks a
// required column or each fails.
func (r *Reader) Read(errs *fileerr.Collector, each func(Student) error) error {
	missing := false
	for _, fl := range r.format.required {
		if r.column(fl) < 0 {
			errs.Add(r.f.MissingColumn(fl.label))
			missing = true
		}
	}
	if missing {
		return nil
	}
	// Ids seen, with the line where each was first seen: compactly (a
	// million strings in a map weigh tens of megabytes), and exactly.
	firstLineOf := keytable.New(1024, 12)
	return r.f.EachRow(errs, func(row tabfile.Row) error {
		s, ok := r.student(row, errs)
		for _, id := range []struct {
			value string
			field field
		}{{s.NationalID, fieldNationalID}, {s.StudentNumber, fieldNumber}} {
			if id.value == "" {
				continue
			}
			entry, added := firstLineOf.Add([]byte(id.field.label+"\x1f"+id.value), int32(row.Line))
			if !added {
				errs.Add(r.f.Errorf(row.Line, r.col[id.field.label],
					"« %s » est présent plusieurs fois dans le fichier (déjà ligne %d) : un élève ne doit y figurer qu'une fois.", visible.Quote(id.value), firstLineOf.Value(entry)))
				ok = false
			}
		}
		if !ok {
			return nil
		}
		return each(s)
	})
}

// column is the index of a field in this file; the full-name column stands
// for both name fields.
func (r *Reader) column(fl field) int {
	if r.fullName >= 0 && (fl.label == fieldLastName.label || fl.label == fieldFirstName.label) {
		return r.fullName
	}
	return r.col[fl.label]
}

func (r *Reader) student(row tabfile.Row, errs *fileerr.Collector) (Student, bool) {
	cell := func(fl field) string {
		if i := r.col[fl.label]; i >= 0 {
			return row.Cells[i]
		}
		return ""
	}
	s := Student{
		Line:          row.Line,
		NationalID:    strings.ToUpper(strings.ReplaceAll(cell(fieldNationalID), " ", "")),
		StudentNumber: strings.ReplaceAll(cell(fieldNumber), " ", ""),
		LastName:      cell(fieldLastName),
		UsageName:     cell(fieldUsageName),
		FirstName:     cell(fieldFirstName),
		Class:         cell(fieldClass),
	}
	if r.fullName >= 0 {
		s.LastName, s.FirstName = SplitFullName(row.Cells[r.fullName])
	}
	ok := true
	for _, l := range lengthLimits {
		i := r.col[l.field.label]
		if i < 0 {
			continue
		}
		if n, long := limits.TooLong(row.Cells[i], l.max); long {
			errs.Add(r.f.Errorf(row.Line, i, "%s", limits.TooLongMessage(row.Cells[i], n, l.max, l.what)))
			ok = false
			// An id that long is not looked for among the others.
			switch l.field.label {
			case fieldNationalID.label:
				s.NationalID = ""
			case fieldNumber.label:
				s.StudentNumber = ""
			}
		}
	}
	if r.fullName >= 0 {
		if n, long := limits.TooLong(row.Cells[r.fullName], limits.MaxNameChars); long {
			errs.Add(r.f.Errorf(row.Line, r.fullName, "%s", limits.TooLongMessage(row.Cells[r.fullName], n, limits.MaxNameChars, whatFullName)))
			ok = false
		}
	}
	for _, fl := range r.format.required {
		i := r.column(fl)
		if i >= 0 && row.Cells[i] == "" {
			errs.Add(r.f.Errorf(row.Line, i, "le champ « %s » est obligatoire et il est vide : complétez-le ou retirez la ligne.", fl.label))
			ok = false
		}
	}
	if r.fullName >= 0 && row.Cells[r.fullName] != "" && (s.LastName == "" || s.FirstName == "") {
		errs.Add(r.f.Errorf(row.Line, r.fullName, "« %s » ne contient pas un nom suivi d'un prénom (attendu par exemple « DUPONT Léa »).", visible.Quote(row.Cells[r.fullName])))
		ok = false
	}
	if raw := cell(fieldBirthdate); raw != "" {
		d, err := frdate.ParseDate(raw, r.pivot)
		switch {
		case errors.Is(err, frdate.ErrImpossible):
			errs.Add(r.f.Errorf(row.Line, r.col[fieldBirthdate.label], "la date « %s » n'existe pas (format attendu jj/mm/aaaa).", visible.Quote(raw)))
			ok = false
		case err != nil:
			errs.Add(r.f.Errorf(row.Line, r.col[fieldBirthdate.label], "« %s » n'est pas une date au format jj/mm/aaaa.", visible.Quote(raw)))
			ok = false
		}
		s.Birthdate = d
	}
	return s, ok
}

// SplitFullName splits a full name as school software writes it: the words
// in capitals are the last name, the others the first names, whichever
// comes first ("DUPONT Léa", "Léa DUPONT"). When every word, or none, is in
// capitals, the first word is taken as the last name.
func SplitFullName(full string) (last, first string) {
	words := strings.Fields(full)
	if len(words) < 2 {
		return full, ""
	}
	leading := 0
	for leading < len(words) && isUpperWord(words[leading]) {
		leading++
	}
	trailing := 0
	for trailing < len(words) && isUpperWord(words[len(words)-1-trailing]) {
		trailing++
	}
	switch {
	case leading > 0 && leading < len(words):
		return strings.Join(words[:leading], " "), strings.Join(words[leading:], " ")
	case leading == 0 && trailing > 0:
		return strings.Join(words[len(words)-trailing:], " "), strings.Join(words[:len(words)-trailing], " ")
	}
	return words[0], strings.Join(words[1:], " ")
}

// isUpperWord: a word with at least one letter and no lower-case letter.
func isUpperWord(w string) bool {
	letter := false
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		letter = letter || unicode.IsLetter(r)
	}
	return letter
}

// String describes a student for messages: "DUPONT Léa (3E2)".
func (s Student) String() string {
	if s.Class == "" {
		return fmt.Sprintf("%s %s", s.LastName, s.FirstName)
	}
	return fmt.Sprintf("%s %s (%s)", s.LastName, s.FirstName, s.Class)
}
