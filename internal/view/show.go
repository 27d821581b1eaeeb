package view

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/visible"
)

type competenceRecord struct {
	Area        string `csv:"Domaine" table:"wrap"`
	Competence  string `csv:"Compétence" table:"wrap=16"`
	Level       string `csv:"Niveau"`
	Pix         string `csv:"Pix"`
	Certifiable string `csv:"Certifiable"`
}

type sendingRecord struct {
	Date        string `csv:"Date" table:"wrap=16"`
	Campaign    string `csv:"Campagne" table:"wrap"`
	Competences string `csv:"Comp. certifiables"`
	PixScore    string `csv:"Score Pix"`
	Ref         string `csv:"Réf. participant" table:"wrap"`
}

// showJSON is the JSON of `pixcert show --format json`: the student as in
// status, and their sendings.
type showJSON struct {
	Student  statusJSON    `json:"student"`
	Sendings []sendingJSON `json:"sendings"`
	// SameMinute is true when sendings of the latest minute disagree on
	// the count of certifiable competences: the status comes from the one
	// with the most.
	SameMinute bool `json:"same_minute_sendings_disagree"`
}

type sendingJSON struct {
	Ref                    string  `json:"ref"`
	Campaign               string  `json:"campaign"`
	Sent                   bool    `json:"sent"`
	SentAt                 *string `json:"sent_at"`
	CertifiableCompetences *int    `json:"certifiable_competences"`
	PixScore               *int    `json:"pix_score"`
}

// WriteIdentity writes who the student is and where they stand, the lines
// above the tables of `pixcert show`.
func WriteIdentity(w io.Writer, s store.StudentStatus, history []store.Sending) {
	// Every text comes from a file: shown escaped (internal/visible).
	e := visible.Escape
	fmt.Fprintf(w, "%s %s — %s\n", e(s.LastName), e(s.FirstName), e(s.Class))
	if s.Birthdate != "" {
		fmt.Fprintf(w, "Né(e) le %s\n", e(frdate.French(s.Birthdate)))
	}
	if id := s.NationalID + s.StudentNumber; id != "" {
		fmt.Fprintf(w, "INE / N° étudiant : %s\n", e(id))
	}
	if s.Establishment != "" {
		fmt.Fprintf(w, "Établissement : %s\n", e(s.Establishment))
	}
	switch {
	case !s.HasProfile && s.PendingCampaign != "":
		fmt.Fprintf(w, "%s : participation commencée dans la campagne « %s », profil jamais envoyé.\n", s.Status.Label(), e(s.PendingCampaign))
	case !s.HasProfile:
		fmt.Fprintf(w, "%s : aucun profil envoyé.\n", s.Status.Label())
	default:
		fmt.Fprintf(w, "%s d'après le dernier profil envoyé, le %s (%s) : %d compétences certifiables sur %d, il en faut %d.\n",
			s.Status.Label(), e(frdate.French(s.StatusDate)), e(s.Campaign), s.CertifiableCt, certif.CompetenceCount, certif.MinCertifiableCompetences)
	}
	if s.Certification != "" {
		fmt.Fprintf(w, "Certification Pix : %s (pixcert results donne le détail).\n", e(certificationText(&s)))
	}
	if s.LatestCollection != "" {
		fmt.Fprintf(w, "Ce profil date d'avant la dernière collecte de sa classe, « %s » : demandez-lui de l'envoyer à nouveau "+
			"dans cette collecte (il a pu progresser depuis, et Pix Orga peut déjà le montrer).\n", e(s.LatestCollection))
	}
	if rivals := sameMinuteRivals(history); len(rivals) > 0 {
		rule := "pixcert retient celui qui a le plus de compétences certifiables"
		if rivals[1] == rivals[0] {
			rule += ", puis, entre ceux qui en ont autant, le plus de pix"
		}
		fmt.Fprintf(w, "Attention : %d profils ont été envoyés la même minute (%s) avec des résultats différents (%s compétences certifiables). "+
			"Les fichiers de Pix ne donnent que la minute : l'ordre de ces envois ne peut pas être connu. "+
			"%s ; un nouvel envoi lèvera le doute.\n",
			len(rivals), e(frdate.FrenchDateTime(history[0].SentAt)), joinCounts(rivals), rule)
	}
	fmt.Fprintln(w)
}

// sameMinuteRivals lists the certifiable competences of the sendings of
// the student's latest minute, when they disagree on it (pix-formats.md
// §2): the status is then a choice, not a fact. Sendings of as many
// certifiable competences give the same status whichever came last: they
// do not disagree. history is in the order History gives, the decisive
// sending first, then the others by the same rule: the counts come in
// decreasing order.
func sameMinuteRivals(history []store.Sending) []int {
	if len(history) < 2 || !history[0].Sent || len(history[0].SentAt) < len("2006-01-02 15:04") {
		return nil // a date without a time orders nothing
	}
	first := history[0]
	counts := []int{first.CertifiableCompetences}
	disagree := false
	for _, h := range history[1:] {
		if !h.Sent || h.SentAt != first.SentAt {
			break
		}
		counts = append(counts, h.CertifiableCompetences)
		disagree = disagree || h.CertifiableCompetences != first.CertifiableCompetences
	}
	if !disagree {
		return nil
	}
	return counts
}

// joinCounts writes "5 et 3", "5, 4 et 3".
func joinCounts(counts []int) string {
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = strconv.Itoa(c)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " et " + parts[len(parts)-1]
}

// Show is the page a class teacher looks at with a student: the 16
// competences of the latest sending grouped by area, then every sending.
func Show(s store.StudentStatus, history []store.Sending) output.Document {
	var sheets []output.Sheet
	if s.HasProfile {
		competences := make([]competenceRecord, certif.CompetenceCount)
		for i, c := range certif.Competences {
			area := c.Area
			if i > 0 && certif.Competences[i-1].Area == area {
				area = "" // the area once, above its competences
			}
			mark := ""
			if certif.IsCertifiableCompetence(s.Profile.Levels[i]) {
				mark = "✓"
			}
			competences[i] = competenceRecord{area, c.Code + " " + c.Name, strconv.Itoa(s.Profile.Levels[i]), strconv.Itoa(s.Profile.Pix[i]), mark}
		}
		sheets = append(sheets, output.Sheet{
			Name:    fmt.Sprintf("Compétences au dernier envoi (%s)", frdate.French(s.StatusDate)),
			Records: competences,
			Footer:  fmt.Sprintf("%d compétences certifiables (✓) sur %d.", s.CertifiableCt, certif.CompetenceCount),
		})
	}
	sendings := make([]sendingRecord, len(history))
	js := showJSON{Student: studentJSON(&s), Sendings: make([]sendingJSON, len(history)), SameMinute: len(sameMinuteRivals(history)) > 0}
	for i, h := range history {
		rec := sendingRecord{Campaign: h.Campaign, Ref: h.Ref}
		j := sendingJSON{Ref: h.Ref, Campaign: h.Campaign, Sent: h.Sent}
		if h.Sent {
			count, pix := h.CertifiableCompetences, h.PixTotal
			rec.Date, rec.Competences, rec.PixScore = frdate.FrenchDateTime(h.SentAt), strconv.Itoa(count), strconv.Itoa(pix)
			j.SentAt, j.CertifiableCompetences, j.PixScore = nonEmpty(h.SentAt), &count, &pix
		} else {
			rec.Date = "commencée, non envoyée"
		}
		if h.Manual {
			rec.Ref += " (rattaché à la main)"
		}
		sendings[i], js.Sendings[i] = rec, j
	}
	sheets = append(sheets, output.Sheet{Name: "Participations", Records: sendings, Footer: countOf(s.Sendings, [2]string{"envoi", "envois"})})
	return output.Document{Sheets: output.Sheets(sheets...), JSON: js}
}
