package printout

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/sessions"
)

// pixCertifHeader is the header of Pix Certif's mass import of sessions
// and candidates (pix-formats.md §8), character for character: Pix
// finds its columns by these names, « * » marking those it requires. The
// columns of paying centres (« Tarification part Pix ») and of
// complementary certifications are left out: a school needs neither.
var pixCertifHeader = [...]string{
	"Numéro de session préexistante",
	"* Nom du site",
	"* Nom de la salle",
	"* Date de début (format: JJ/MM/AAAA)",
	"* Heure de début (heure locale format: HH:MM)",
	"* Surveillant(s)",
	"Observations (optionnel)",
	"* Nom de naissance",
	"* Prénom",
	"* Date de naissance (format: JJ/MM/AAAA)",
	"* Sexe (M ou F)",
	"Code INSEE de la commune de naissance",
	"Code postal de la commune de naissance",
	"Nom de la commune de naissance",
	"* Pays de naissance",
	"E-mail du destinataire des résultats (formateur, enseignant…)",
	"E-mail de convocation",
	"Identifiant externe",
	"Temps majoré ? (exemple format: 33%)",
}

// The columns of a session, and the first of a candidate.
const (
	sessionColumns = 7
	firstCandidate = sessionColumns
	columnCountry  = 14 // « * Pays de naissance »
)

// BirthplaceMissing is said in the missing list of PixCertifCSV when
// where candidates were born is unknown: Pix requires it of a candidate
// born in France, by either code, in columns it does not mark « * ».
const BirthplaceMissing = "Code INSEE de la commune de naissance (ou code postal et nom de la commune), pour un candidat né en France"

// PixCertifCSV writes the sessions as the CSV Pix Certif imports to
// create sessions with their candidates, a row per candidate, each with
// its session's columns: Pix makes a session of the rows whose session
// columns are the same. A session without candidates is a row of its
// columns only, which Pix imports as an empty session. (A collège or
// lycée that manages its students enrols them in Pix Certif's screens
// instead; this file is for the other centres.)
//
// The file is UTF-8 with a BOM, every cell between double quotes, header
// included, separated by « ; », as Pix's own template of this file; rows
// end with CRLF, as Excel writes them back when the file is completed
// there (Pix's reader takes either end). Text cells are guarded against
// formulas as Pix guards its exports (output.Guard): the file is opened
// in a spreadsheet to be completed before it is imported. Pix does not
// remove the apostrophe: a cell that gets one (« '=… ») is one a person
// should look at anyway.
//
// Supervisors are one cell, joined by « , »: Pix keeps them as one text
// (the session's « examiner »). The store knows neither sex nor place of
// birth: missing lists, in the file's order, the names of required
// columns left empty in some row (« Sexe (M ou F) », « Pays de
// naissance », and BirthplaceMissing), for the user to complete before
// importing.
func PixCertifCSV(w io.Writer, list []sessions.Session) (missing []string, err error) {
	if err := checkStarts(list); err != nil {
		return nil, err
	}
	out := bufio.NewWriter(w)
	out.WriteString("\uFEFF") // French Excel reads UTF-8 only with it
	writeQuoted(out, pixCertifHeader[:])
	empty := make([]bool, len(pixCertifHeader))
	birthplace := false
	row := make([]string, len(pixCertifHeader))
	for i := range list {
		s := &list[i]
		clear(row)
		row[1] = output.Guard(s.Site)
		row[2] = output.Guard(s.Room)
		start := s.Start.In(frdate.Paris())
		row[3] = start.Format("02/01/2006")
		row[4] = start.Format("15:04")
		row[5] = output.Guard(supervisors(s))
		row[6] = output.Guard(s.Observations)
		if len(s.Candidates) == 0 {
			noteEmpty(row[:sessionColumns], empty)
			writeQuoted(out, row)
			continue
		}
		for j := range s.Candidates {
			c := &s.Candidates[j]
			clear(row[firstCandidate:])
			row[7] = output.Guard(c.LastName)
			row[8] = output.Guard(c.FirstName)
			row[9] = frdate.French(c.Birthdate)
			// Sexe, the birthplace and country, and both e-mails: the
			// store does not know them.
			row[17] = output.Guard(c.NationalID)
			if c.ExtraTime > 0 {
				row[18] = fmt.Sprintf("%d%%", c.ExtraTime)
			}
			noteEmpty(row, empty)
			birthplace = true
			writeQuoted(out, row)
		}
	}
	if err := out.Flush(); err != nil {
		return nil, err
	}
	for i, name := range pixCertifHeader {
		if empty[i] && strings.HasPrefix(name, "* ") {
			missing = append(missing, strings.TrimPrefix(name, "* "))
		}
		if i == columnCountry && birthplace {
			missing = append(missing, BirthplaceMissing)
		}
	}
	return missing, nil
}

// noteEmpty marks the columns a row leaves empty.
func noteEmpty(row []string, empty []bool) {
	for i, cell := range row {
		if strings.TrimSpace(cell) == "" {
			empty[i] = true
		}
	}
}

// writeQuoted writes a row with every cell quoted, as Pix's template
// has them, a quote in a cell doubled (RFC 4180); encoding/csv quotes
// only the cells that need it. bufio keeps the first error.
func writeQuoted(out *bufio.Writer, row []string) {
	for i, cell := range row {
		if i > 0 {
			out.WriteByte(';')
		}
		out.WriteByte('"')
		out.WriteString(strings.ReplaceAll(cell, `"`, `""`))
		out.WriteByte('"')
	}
	out.WriteString("\r\n")
}
