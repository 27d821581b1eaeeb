// Package collecte reads the results export of a Pix "Collecte de profils"
// campaign (pix-formats.md §2), in every variant Pix has written: SCO with
// `Classe`, SUP with `Groupe` and `Numéro Étudiant`, extra and external-id
// columns, the older `Date de l'envoi`, with or without `Code`.
package collecte

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/tabfile"
	"github.com/pixcert/pixcert/internal/visible"
)

// Participation is one row of the export: one participation of one learner,
// sent or not.
type Participation struct {
	Line          int
	Organization  string
	CampaignID    int64
	CampaignCode  string
	CampaignName  string
	LastName      string
	FirstName     string
	Class         string // `Classe` (SCO) or `Groupe` (SUP)
	StudentNumber string // `Numéro Étudiant` (SUP)
	// ExternalID is the value of the campaign's external-id column (its
	// header is the campaign's own label, e.g. "INE"), when there is one.
	ExternalID      string
	ExternalIDLabel string
	Sent            bool
	SentAt          string // "YYYY-MM-DD HH:MM" Paris time, or "YYYY-MM-DD"; "" when not sent
	PixTotal        int
	Profile         certif.Profile
}

// Header names, as Pix writes them (campaign-profiles-collection-export.js).
const (
	colOrganization  = "Nom de l'organisation"
	colCampaignID    = "ID Campagne"
	colCode          = "Code"
	colCampaignName  = "Nom de la campagne"
	colLastName      = "Nom du Participant"
	colFirstName     = "Prénom du Participant"
	colClass         = "Classe"
	colGroup         = "Groupe"
	colStudentNumber = "Numéro Étudiant"
	colSent          = "Envoi (O/N)"
	colSentAt        = "Date et heure de l'envoi (Europe/Paris)"
	colSentAtOld     = "Date de l'envoi" // exports made before 2023, YYYY-MM-DD in UTC
	colPixTotal      = "Nombre de pix total"
	colCertifiable   = "Certifiable (O/N)"
	colCertCount     = "Nombre de compétences certifiables"
	levelPrefix      = "Niveau pour la compétence "
	pixPrefix        = "Nombre de pix pour la compétence "
)

// Reader reads the rows of a profile-collection export.
type Reader struct {
	f *tabfile.File

	organization, campaignID, code, campaignName   int
	lastName, firstName, class, studentNumber      int
	externalID                                     int
	sent, sentAt, pixTotal, certifiable, certCount int
	level, pix                                     [certif.CompetenceCount]int

	lengths []lengthLimit // of the columns present
}

// lengthLimit is the most characters a column holds.
type lengthLimit struct {
	column, max int
	what        string
}

// IsEvaluation tells whether the file is the export of an "Évaluation"
// campaign: same opening columns, then progression and sharing, and no
// certificability at all.
func IsEvaluation(f *tabfile.File) bool {
	return f.Column(colSent) < 0 && (f.Column("% de progression") >= 0 || f.Column("Partage (O/N)") >= 0)
}

// Detect tells whether the file is a profile-collection export.
func Detect(f *tabfile.File) (*Reader, bool) {
	if f.Column(colSent) < 0 || f.Column(colLastName) < 0 {
		return nil, false
	}
	r := &Reader{
		f:             f,
		organization:  f.Column(colOrganization),
		campaignID:    f.Column(colCampaignID),
		code:          f.Column(colCode),
		campaignName:  f.Column(colCampaignName),
		lastName:      f.Column(colLastName),
		firstName:     f.Column(colFirstName),
		class:         f.Column(colClass, colGroup),
		studentNumber: f.Column(colStudentNumber),
		sent:          f.Column(colSent),
		sentAt:        f.Column(colSentAt, colSentAtOld),
		pixTotal:      f.Column(colPixTotal),
		certifiable:   f.Column(colCertifiable),
		certCount:     f.Column(colCertCount),
		externalID:    -1,
	}
	for i, c := range certif.Competences {
		r.level[i] = f.Column(levelPrefix + c.Name)
		r.pix[i] = f.Column(pixPrefix + c.Name)
	}
	// Pix puts the organization's own learner columns, then the campaign's
	// external id, between the first name and `Envoi (O/N)`: the last column
	// there that is not a known one is the external id.
	for i := r.firstName + 1; r.firstName >= 0 && i < r.sent; i++ {
		if i != r.class && i != r.studentNumber {
			r.externalID = i
		}
	}
	for _, l := range []lengthLimit{
		{r.organization, limits.MaxLabelChars, "un nom d'organisation"},
		{r.campaignName, limits.MaxLabelChars, "un nom de campagne"},
		{r.code, limits.MaxLabelChars, "un code de campagne"},
		{r.lastName, limits.MaxNameChars, "un nom"},
		{r.firstName, limits.MaxNameChars, "des prénoms"},
		{r.class, limits.MaxClassChars, "une classe ou un groupe"},
		{r.studentNumber, limits.MaxIDChars, "un numéro étudiant"},
		{r.externalID, limits.MaxLabelChars, "un identifiant externe"},
	} {
		if l.column >= 0 {
			r.lengths = append(r.lengths, l)
		}
	}
	return r, true
}

// Read checks the header, then every row, giving each good participation to
// each, every problem to errs, and to warnings the rows whose own
// certificability disagrees with the rule applied to their levels.
func (r *Reader) Read(errs, warnings *fileerr.Collector, each func(Participation) error) error {
	if !r.checkHeader(errs) {
		return nil
	}
	return r.f.EachRow(errs, func(row tabfile.Row) error {
		if p, ok := r.participation(row, errs, warnings); ok {
			return each(p)
		}
		return nil
	})
}

func (r *Reader) checkHeader(errs *fileerr.Collector) bool {
	type requiredColumn struct {
		index int
		name  string
	}
	required := []requiredColumn{
		{r.campaignID, colCampaignID},
		{r.lastName, colLastName},
		{r.firstName, colFirstName},
		{r.sent, colSent},
		{r.sentAt, colSentAt},
	}
	for i, c := range certif.Competences {
		required = append(required, requiredColumn{r.level[i], levelPrefix + c.Name}, requiredColumn{r.pix[i], pixPrefix + c.Name})
	}
	ok := true
	for _, c := range required {
		if c.index < 0 {
			errs.Add(r.f.MissingColumn(c.name))
			ok = false
		}
	}
	return ok
}

func (r *Reader) participation(row tabfile.Row, errs, warnings *fileerr.Collector) (Participation, bool) {
	cell := func(i int) string {
		if i >= 0 {
			return row.Cells[i]
		}
		return ""
	}
	p := Participation{
		Line:          row.Line,
		Organization:  cell(r.organization),
		CampaignCode:  cell(r.code),
		CampaignName:  cell(r.campaignName),
		LastName:      cell(r.lastName),
		FirstName:     cell(r.firstName),
		Class:         cell(r.class),
		StudentNumber: cell(r.studentNumber),
		ExternalID:    cell(r.externalID),
	}
	if r.externalID >= 0 {
		p.ExternalIDLabel = r.f.Header[r.externalID]
	}
	ok := true
	fail := func(col int, format string, args ...any) {
		errs.Add(r.f.Errorf(row.Line, col, format, args...))
		ok = false
	}
	for _, l := range r.lengths {
		if n, long := limits.TooLong(row.Cells[l.column], l.max); long {
			fail(l.column, "%s", limits.TooLongMessage(row.Cells[l.column], n, l.max, l.what))
		}
	}

	id, err := parseInt(cell(r.campaignID))
	if err != nil || id <= 0 {
		fail(r.campaignID, "« %s » n'est pas un numéro de campagne (un nombre entier est attendu, tel que Pix l'exporte).", visible.Quote(cell(r.campaignID)))
	}
	p.CampaignID = id
	if p.LastName == "" {
		fail(r.lastName, "le nom du participant est vide.")
	}
	if p.FirstName == "" {
		fail(r.firstName, "le prénom du participant est vide.")
	}
	sent, valid := yesNo(cell(r.sent))
	if !valid {
		fail(r.sent, "« %s » au lieu de « Oui » ou « Non ».", visible.Quote(cell(r.sent)))
	}
	p.Sent = sent
	if !sent {
		// An unsent participation carries "NA" everywhere: nothing more to read.
		return p, ok
	}

	raw := cell(r.sentAt)
	at, err := frdate.ParseDateTime(raw)
	switch {
	case errors.Is(err, frdate.ErrImpossible):
		fail(r.sentAt, "la date « %s » n'existe pas (format attendu jj/mm/aaaa hh:mm).", visible.Quote(raw))
	case err != nil:
		fail(r.sentAt, "« %s » n'est pas une date d'envoi (format attendu jj/mm/aaaa hh:mm) alors que la participation est envoyée.", visible.Quote(raw))
	}
	p.SentAt = at

	number := func(col int) int {
		n64, err := parseInt(cell(col))
		n := int(n64)
		if err != nil || n < 0 {
			fail(col, "« %s » n'est pas un nombre entier positif ou nul, alors que la participation est envoyée.", visible.Quote(cell(col)))
		}
		return n
	}
	// A competence holds 8 pix a level up to its maximum level (5, or up
	// to 7 on the live platform): far below this bound, past which a cell
	// is a typing mistake, not a profile.
	const maxCompetenceValue = 255
	competence := func(col int) int {
		n := number(col)
		if n > maxCompetenceValue {
			fail(col, "« %d » est impossible pour une compétence (au plus %d) : la cellule a été modifiée.", n, maxCompetenceValue)
		}
		return n
	}
	for i := range certif.Competences {
		p.Profile.Levels[i] = competence(r.level[i])
		p.Profile.Pix[i] = competence(r.pix[i])
	}
	if r.pixTotal >= 0 {
		p.PixTotal = number(r.pixTotal)
	} else {
		for _, pix := range p.Profile.Pix {
			p.PixTotal += pix
		}
	}
	if ok {
		r.checkOwnCertificability(row, p, warnings)
	}
	return p, ok
}

// checkOwnCertificability compares what the file says with the rule applied
// to its levels. pixcert trusts the levels; a difference is worth a warning
// because it means the file was edited or the rule changed.
func (r *Reader) checkOwnCertificability(row tabfile.Row, p Participation, warnings *fileerr.Collector) {
	count := p.Profile.CertifiableCompetences()
	if r.certCount >= 0 {
		if n, err := parseInt(row.Cells[r.certCount]); err == nil && int(n) != count {
			warnings.Add(r.f.Errorf(row.Line, r.certCount,
				"le fichier indique %d compétences certifiables mais les niveaux en donnent %d : pixcert retient %d.", n, count, count))
			return
		}
	}
	if r.certifiable >= 0 {
		if said, valid := yesNo(row.Cells[r.certifiable]); valid && said != certif.IsCertifiable(count) {
			warnings.Add(r.f.Errorf(row.Line, r.certifiable,
				"le fichier indique « %s » mais %d compétences certifiables donnent « %s » : pixcert retient « %s ».",
				visible.Quote(row.Cells[r.certifiable]), count, yesNoLabel(certif.IsCertifiable(count)), yesNoLabel(certif.IsCertifiable(count))))
		}
	}
}

// parseInt reads an integer cell as a French spreadsheet may show it.
// Cells of plain digits, nearly all of them, take a short path.
func parseInt(s string) (int64, error) {
	if len(s) > 0 && len(s) <= 18 {
		var n int64
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return strconv.ParseInt(digits(s), 10, 64)
			}
			n = n*10 + int64(c-'0')
		}
		return n, nil
	}
	return strconv.ParseInt(digits(s), 10, 64)
}

// digits drops the thousands separators a French spreadsheet shows in a
// number ("4 521", with a space or a no-break space), which a re-saved
// export keeps.
func digits(s string) string {
	if !strings.ContainsAny(s, " \u00a0\u202f") {
		return s
	}
	return strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
}

func yesNo(s string) (value, valid bool) {
	switch s { // as Pix writes them
	case "Oui":
		return true, true
	case "Non":
		return false, true
	}
	switch fold.Key(s) {
	case "oui", "o", "yes", "y", "vrai", "true", "1":
		return true, true
	case "non", "n", "no", "faux", "false", "0":
		return false, true
	}
	return false, false
}

func yesNoLabel(b bool) string {
	if b {
		return "Oui"
	}
	return "Non"
}

// MatchID is the identifier that links the participant to a roster student:
// the student number, else the external id when it looks like an
// identifier (an INE, a number) rather than an e-mail or a name.
func (p Participation) MatchID() string {
	if p.StudentNumber != "" {
		return strings.ToUpper(p.StudentNumber)
	}
	if looksLikeID(p.ExternalID) {
		return strings.ToUpper(p.ExternalID)
	}
	return ""
}

func looksLikeID(s string) bool {
	if len(s) < 5 || len(s) > 20 {
		return false
	}
	digits := 0
	for _, c := range s {
		switch {
		case '0' <= c && c <= '9':
			digits++
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		default:
			return false
		}
	}
	return digits > 0
}

// String describes a participant for messages.
func (p Participation) String() string {
	return fmt.Sprintf("%s %s (%s)", p.LastName, p.FirstName, p.Class)
}
