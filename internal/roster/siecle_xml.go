package roster

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/encoding/ianaindex"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/visible"
)

// SIECLEXMLFormat names the SIECLE XML export in summaries.
const SIECLEXMLFormat = "export SIECLE ElevesSansAdresses.xml"

// XMLSkipped counts the students of a SIECLE XML export that Pix does not
// import, and so neither does pixcert.
type XMLSkipped struct {
	Left       int // a leaving date (DATE_SORTIE) is set
	NoID       int // no national id (ID_NATIONAL)
	NoDivision int // no division (STRUCTURE of TYPE_STRUCTURE D)
	Inactive   int // in SIECLE's division « Inactifs » only
}

// xmlStudent is an ELEVE of /BEE_ELEVES/DONNEES/ELEVES.
type xmlStudent struct {
	ID         string `xml:"ELEVE_ID,attr"`
	NationalID string `xml:"ID_NATIONAL"`
	LastName   string `xml:"NOM_DE_FAMILLE"`
	UsageName  string `xml:"NOM_USAGE"`
	FirstName  string `xml:"PRENOM"`
	Birthdate  string `xml:"DATE_NAISS"`
	LeftOn     string `xml:"DATE_SORTIE"`
	line       int
}

// xmlStructures is a STRUCTURES_ELEVE of /BEE_ELEVES/DONNEES/STRUCTURES.
type xmlStructures struct {
	StudentID  string `xml:"ELEVE_ID,attr"`
	Structures []struct {
		Code string `xml:"CODE_STRUCTURE"`
		Type string `xml:"TYPE_STRUCTURE"`
	} `xml:"STRUCTURE"`
}

// divisionType is the TYPE_STRUCTURE of a division (class), as opposed to
// groups (G).
const divisionType = "D"

// inactiveDivision is the CODE_STRUCTURE of SIECLE's holding division for
// students who left: Pix does not count it as a division, and drops a
// student who has no other.
const inactiveDivision = "Inactifs"

// siecleHint ends the message of a SIECLE export past a limit.
const siecleHint = "Vérifiez que c'est bien l'export ElevesSansAdresses.xml de SIECLE, ou exportez-le à nouveau."

// siecleLimits bound what reading an export holds in memory: a student, its
// structures or its options (at depth 4, under BEE_ELEVES/DONNEES) are
// records.
var siecleLimits = limits.XML{MaxBytes: limits.MaxSIECLEXMLBytes, MaxText: limits.MaxXMLText, MaxTag: limits.MaxXMLTag, MaxDepth: limits.MaxXMLDepth,
	RecordDepth: 4, MaxRecord: limits.MaxSIECLEStudentBytes, Record: "une fiche", Records: "fiches", Hint: siecleHint}

// charsetReader reads the encodings SIECLE declares (ISO-8859-15), and
// those of IANA.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := ianaindex.IANA.Encoding(label)
	if err != nil || enc == nil {
		return nil, fmt.Errorf("encodage « %s » non pris en charge", visible.Quote(label))
	}
	return enc.NewDecoder().Reader(input), nil
}

// ReadSIECLEXML reads the SIECLE export ElevesSansAdresses.xml (pix-formats.md
// §3e) in the encoding it declares, keeping, as Pix does, only students with
// a national id, a division and no leaving date. Problems go to errs with
// their line.
func ReadSIECLEXML(name string, r io.Reader, now time.Time, errs *fileerr.Collector, each func(Student) error) (XMLSkipped, error) {
	var skipped XMLSkipped
	dec := xml.NewDecoder(limits.NewXMLReader(name, r, siecleLimits))
	dec.CharsetReader = charsetReader
	var students []xmlStudent
	divisions := map[string]string{}
	inactive := map[string]bool{} // in the division « Inactifs »
	structures := 0
	root := ""
	// A limit passed is a problem of its own, which ends the reading.
	limitPassed := func(err error) bool {
		var fe *fileerr.Error
		if errors.As(err, &fe) {
			errs.Add(fe)
			return true
		}
		return false
	}
	tooMany := func(line int) {
		errs.Add(&fileerr.Error{File: name, Line: line, Msg: fmt.Sprintf("plus de %s élèves : un export SIECLE est celui d'un établissement, qui en compte au plus quelques milliers. %s",
			limits.Count(limits.MaxSIECLEStudents), siecleHint)})
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if limitPassed(err) {
			return skipped, nil
		}
		if err != nil {
			line, _ := dec.InputPos()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			errs.Add(&fileerr.Error{File: name, Line: line, Msg: fmt.Sprintf("XML illisible (%v) : le fichier est peut-être incomplet ; exportez-le à nouveau depuis SIECLE.", err)})
			return skipped, nil
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = start.Name.Local
			if root != "BEE_ELEVES" {
				errs.Add(&fileerr.Error{File: name, Msg: fmt.Sprintf("fichier XML d'un autre type (élément racine « %s ») : pixcert lit l'export SIECLE ElevesSansAdresses.xml (élément racine « BEE_ELEVES »).", root)})
				return skipped, nil
			}
			continue
		}
		switch start.Name.Local {
		case "ELEVE":
			line, _ := dec.InputPos()
			if len(students) == limits.MaxSIECLEStudents {
				tooMany(line)
				return skipped, nil
			}
			s := xmlStudent{line: line}
			if err := dec.DecodeElement(&s, &start); err != nil {
				if limitPassed(err) {
					return skipped, nil
				}
				errs.Add(&fileerr.Error{File: name, Line: line, Msg: fmt.Sprintf("élève illisible (%v).", err)})
				continue
			}
			students = append(students, s)
		case "STRUCTURES_ELEVE":
			if structures++; structures > limits.MaxSIECLEStudents {
				line, _ := dec.InputPos()
				tooMany(line)
				return skipped, nil
			}
			var st xmlStructures
			if err := dec.DecodeElement(&st, &start); err != nil {
				if limitPassed(err) {
					return skipped, nil
				}
				line, _ := dec.InputPos()
				errs.Add(&fileerr.Error{File: name, Line: line, Msg: fmt.Sprintf("structures illisibles (%v).", err)})
				continue
			}
			for _, s := range st.Structures {
				if strings.TrimSpace(s.Type) != divisionType {
					continue
				}
				code := strings.TrimSpace(s.Code)
				if strings.EqualFold(code, inactiveDivision) {
					inactive[st.StudentID] = true
					continue
				}
				divisions[st.StudentID] = code
			}
		}
	}
	if root == "" {
		errs.Add(&fileerr.Error{File: name, Msg: "fichier XML vide."})
		return skipped, nil
	}

	pivot := frdate.Pivot(now)
	firstLineOf := map[string]int{}
	for _, x := range students {
		nationalID := strings.ToUpper(strings.TrimSpace(x.NationalID))
		division := divisions[x.ID]
		switch {
		case strings.TrimSpace(x.LeftOn) != "":
			skipped.Left++
			continue
		case nationalID == "":
			skipped.NoID++
			continue
		case division == "" && inactive[x.ID]:
			skipped.Inactive++
			continue
		case division == "":
			skipped.NoDivision++
			continue
		}
		s := Student{Line: x.line, NationalID: nationalID, LastName: strings.TrimSpace(x.LastName),
			UsageName: strings.TrimSpace(x.UsageName), FirstName: strings.TrimSpace(x.FirstName), Class: division}
		ok := true
		for _, field := range []struct{ tag, value string }{{"NOM_DE_FAMILLE", s.LastName}, {"PRENOM", s.FirstName}} {
			if field.value == "" {
				errs.Add(&fileerr.Error{File: name, Line: x.line, Column: field.tag, Msg: "champ obligatoire vide pour l'élève " + visible.Quote(nationalID) + "."})
				ok = false
			}
		}
		for _, field := range []struct {
			tag, value string
			max        int
			what       string
		}{
			{"ID_NATIONAL", s.NationalID, limits.MaxIDChars, whatID},
			{"NOM_DE_FAMILLE", s.LastName, limits.MaxNameChars, whatName},
			{"NOM_USAGE", s.UsageName, limits.MaxNameChars, whatName},
			{"PRENOM", s.FirstName, limits.MaxNameChars, whatFirstNames},
			{"CODE_STRUCTURE", s.Class, limits.MaxClassChars, whatClass},
		} {
			if n, long := limits.TooLong(field.value, field.max); long {
				errs.Add(&fileerr.Error{File: name, Line: x.line, Column: field.tag, Msg: limits.TooLongMessage(field.value, n, field.max, field.what)})
				ok = false
			}
		}
		if raw := strings.TrimSpace(x.Birthdate); raw != "" {
			d, err := frdate.ParseDate(raw, pivot)
			if err != nil {
				errs.Add(&fileerr.Error{File: name, Line: x.line, Column: "DATE_NAISS", Msg: fmt.Sprintf("« %s » n'est pas une date valide au format jj/mm/aaaa.", raw)})
				ok = false
			}
			s.Birthdate = d
		}
		if first, seen := firstLineOf[nationalID]; seen {
			errs.Add(&fileerr.Error{File: name, Line: x.line, Column: "ID_NATIONAL", Msg: fmt.Sprintf("« %s » est présent plusieurs fois dans le fichier (déjà ligne %d).", nationalID, first)})
			ok = false
		}
		firstLineOf[nationalID] = x.line
		if !ok {
			continue
		}
		if err := each(s); err != nil {
			return skipped, err
		}
	}
	return skipped, nil
}

// peekBytes is how far PeekSIECLEXML reads.
const peekBytes = 1 << 20

// XMLParams is what the head of a SIECLE XML export says of it.
type XMLParams struct {
	UAI      string // the establishment: PARAMETRES/UAJ
	Encoding string // as the XML declaration names it
}

// PeekSIECLEXML reads the head of a SIECLE XML export, up to its data:
// the establishment and the encoding it declares. It stops at the first
// problem, which ReadSIECLEXML reports.
func PeekSIECLEXML(r io.Reader) XMLParams {
	var params XMLParams
	// PARAMETRES open the export, in a few hundred bytes.
	lim := siecleLimits
	lim.MaxBytes = peekBytes
	dec := xml.NewDecoder(limits.NewXMLReader("", io.LimitReader(r, peekBytes), lim))
	dec.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		params.Encoding = label
		return charsetReader(label, input)
	}
	var path []string
	for {
		tok, err := dec.Token()
		if err != nil {
			return params
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if t.Name.Local == "DONNEES" {
				return params
			}
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		case xml.CharData:
			if strings.Join(path, "/") == "BEE_ELEVES/PARAMETRES/UAJ" {
				params.UAI = strings.ToUpper(strings.TrimSpace(string(t)))
			}
		}
	}
}
