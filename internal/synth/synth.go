// Package synth writes realistic synthetic schools for tests and benchmarks:
// a roster in Pix's SIECLE-CSV format and the "Collecte de profils" export of
// its students, byte for byte as Pix writes them (pix-formats.md §2-3), with
// the statuses a correct tool must derive, computed here independently of
// pixcert's own rule.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// Options shape a school.
type Options struct {
	Students  int
	ClassSize int    // students per class; 28 when 0
	Seed      uint64 // same seed, same files
}

// Expected is what a correct tool shows for one student.
type Expected struct {
	NationalID string
	LastName   string
	FirstName  string
	Class      string
	Status     string // "certifiable", "non-certifiable" or "not-communicated"
	Count      int    // certifiable competences of the latest sending; -1 without one
	Date       string // "YYYY-MM-DD HH:MM" of the latest sending, "" without one
	Sendings   int
}

// Dataset is what Generate wrote.
type Dataset struct {
	Expected     []Expected // one per student, in roster order
	RosterBytes  int64
	ExportBytes  int64
	ExportRows   int
	RosterHeader string
}

const competences = 16

// competenceNames are the export's competence names (pix-formats.md §4).
var competenceNames = [competences]string{
	"Mener une recherche et une veille d’information", "Gérer des données", "Traiter des données",
	"Interagir", "Partager et publier", "Collaborer", "S’insérer dans le monde numérique",
	"Développer des documents textuels", "Développer des documents multimedia",
	"Adapter les documents à leur finalité", "Programmer", "Sécuriser l’environnement numérique",
	"Protéger les données personnelles et la vie privée",
	"Protéger la santé, le bien-être et l’environnement", "Résoudre des problèmes techniques",
	"Construire un environnement numérique",
}

var firstNames = []string{"Léa", "Tom", "Inès", "Hugo", "Zoé", "Chloé", "Lucas", "Emma", "Noé", "Jade", "Louis", "Maëlle",
	"Jean-Baptiste", "Anaïs", "Raphaël", "Éloïse", "Gabriel", "Maïwenn", "Adam", "Loïc", "Sofiane", "Bảo", "Aïcha", "Théo"}

var syllables = []string{"BA", "LO", "MI", "TU", "RÉ", "DI", "NO", "CHA", "VÈ", "GUÉ", "PO", "SAN", "TRI", "LA", "MOU", "QUI",
	"FA", "ZE", "RON", "BEL", "DU", "MAR", "TIN", "LEF", "ROU", "SSEAU", "PEL", "LÉ", "GAL", "BON", "NI", "COT"}

// lastName is a name unique to student i, so that every participant of the
// export belongs to one student.
func lastName(i int) string {
	var b strings.Builder
	n := i + len(syllables)
	for n > 0 {
		b.WriteString(syllables[n%len(syllables)])
		n /= len(syllables)
	}
	name := b.String()
	switch {
	case i%9973 == 7:
		return "=" + name // Pix guards it with an apostrophe in its export
	case i%101 == 3:
		return "N'" + name
	case i%103 == 5:
		return name + "-" + syllables[i%7]
	}
	return name
}

func className(c int) string { return fmt.Sprintf("%dE%d", 6-c%4, c/4+1) }

const (
	exportOrganization = "Collège Synthèse"
	campaignID         = 4521
	campaignCode       = "SYNTH3E"
	campaignName       = "Collecte de profils"
)

// sending is one sent participation.
type sending struct {
	at  time.Time
	pix [competences]int
}

// Generate writes a roster and its export, and returns what a correct tool
// derives from them.
func Generate(roster, export io.Writer, opts Options) (*Dataset, error) {
	if opts.ClassSize <= 0 {
		opts.ClassSize = 28
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	rw, ew := &countingWriter{w: bufio.NewWriterSize(roster, 1<<16)}, &countingWriter{w: bufio.NewWriterSize(export, 1<<16)}
	ds := &Dataset{Expected: make([]Expected, 0, opts.Students)}

	ds.RosterHeader = "Identifiant unique*;Premier prénom*;Deuxième prénom;Troisième prénom;Nom de famille*;Nom d'usage;Code sexe*;Date de naissance (jj/mm/aaaa)*;Code commune naissance**;Libellé commune naissance**;Code département naissance*;Code pays naissance*;Statut*;Code MEF*;Division*"
	rw.WriteString("\uFEFF" + ds.RosterHeader + "\n")
	ew.WriteString("\uFEFF" + exportHeader() + "\n")

	// Pix writes its export in concurrent chunks: rows come in no order.
	const chunk = 500
	var pending []string
	flush := func() {
		rng.Shuffle(len(pending), func(i, j int) { pending[i], pending[j] = pending[j], pending[i] })
		for _, row := range pending {
			ew.WriteString(row)
		}
		ds.ExportRows += len(pending)
		pending = pending[:0]
	}
	start := time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < opts.Students; i++ {
		ine := fmt.Sprintf("%09dAB", i+1)
		last, first, class := lastName(i), firstNames[rng.IntN(len(firstNames))], className(i/opts.ClassSize)
		birth := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
		fmt.Fprintf(rw, "%s;%s;;;%s;;%s;%s;75056;;075;99100;ST;10310019110;%s\n",
			ine, first, last, []string{"Masculin", "Féminin"}[i%2], birth.Format("02/01/2006"), class)

		exp := Expected{NationalID: ine, LastName: last, FirstName: first, Class: class, Status: "not-communicated", Count: -1}
		joined := rng.IntN(100)
		var sendings []sending
		switch {
		case joined < 12: // never joined: no row
		case joined < 22: // joined, never sent
			pending = append(pending, unsentRow(last, first, class))
		default:
			n := 1 + rng.IntN(5)
			day := start.AddDate(0, 0, rng.IntN(60))
			for k := 0; k < n; k++ {
				s := sending{at: day.Add(time.Duration(rng.IntN(9*60)) * time.Minute)}
				for c := range s.pix {
					if rng.IntN(100) < 45 {
						s.pix[c] = rng.IntN(7 * 8)
					}
				}
				sendings = append(sendings, s)
				day = day.AddDate(0, 0, 1+rng.IntN(40))
			}
			if rng.IntN(100) < 10 { // a reset: the latest sending lost competences
				for c := range sendings[n-1].pix {
					sendings[n-1].pix[c] /= 3
				}
			}
			for _, s := range sendings {
				pending = append(pending, sentRow(last, first, class, s))
			}
			if rng.IntN(100) < 20 { // a new participation started, not sent yet
				pending = append(pending, unsentRow(last, first, class))
			}
		}
		if len(sendings) > 0 {
			latest := sendings[len(sendings)-1] // sendings go forward in time
			exp.Count = certifiableCount(latest.pix)
			exp.Date = latest.at.Format("2006-01-02 15:04")
			exp.Sendings = len(sendings)
			exp.Status = "non-certifiable"
			if exp.Count >= 5 {
				exp.Status = "certifiable"
			}
		}
		ds.Expected = append(ds.Expected, exp)
		if len(pending) >= chunk {
			flush()
		}
	}
	flush()
	if err := rw.flush(); err != nil {
		return nil, err
	}
	if err := ew.flush(); err != nil {
		return nil, err
	}
	ds.RosterBytes, ds.ExportBytes = rw.n, ew.n
	return ds, nil
}

// certifiableCount is the rule, written here on its own so that checking
// pixcert against it means something: a competence counts from 8 pix
// (level 1), capped at level 5 here as in Pix's default configuration.
func certifiableCount(pix [competences]int) int {
	n := 0
	for _, p := range pix {
		if min(p/8, 5) >= 1 {
			n++
		}
	}
	return n
}

func exportHeader() string {
	cols := []string{"Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Nom du Participant",
		"Prénom du Participant", "Classe", "Envoi (O/N)", "Date et heure de l'envoi (Europe/Paris)", "Nombre de pix total",
		"Certifiable (O/N)", "Nombre de compétences certifiables"}
	for _, name := range competenceNames {
		cols = append(cols, "Niveau pour la compétence "+name, "Nombre de pix pour la compétence "+name)
	}
	return `"` + strings.Join(cols, `";"`) + `"`
}

// quote writes a string cell as Pix does: quoted, inner quotes doubled, a
// leading = + - @ guarded by an apostrophe (csv.js, serializeLine).
func quote(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		s = "'" + s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// WriteCollection writes the export of a later collection, campaign
// number campaign, in which each of students sent one profile on day:
// what a school adds to its store during the year.
func WriteCollection(w io.Writer, students []Expected, campaign int, day time.Time, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0xc011))
	ew := &countingWriter{w: bufio.NewWriterSize(w, 1<<16)}
	ew.WriteString("\uFEFF" + exportHeader() + "\n")
	c := collection{id: campaign, code: fmt.Sprintf("SYNTH%d", campaign), name: fmt.Sprintf("Collecte de profils n° %d", campaign)}
	for _, e := range students {
		s := sending{at: day.Add(time.Duration(rng.IntN(9*60)) * time.Minute)}
		for k := range s.pix {
			if rng.IntN(100) < 60 {
				s.pix[k] = rng.IntN(7 * 8)
			}
		}
		ew.WriteString(c.sentRow(e.LastName, e.FirstName, e.Class, s))
	}
	return ew.flush()
}

// collection is a campaign of an export.
type collection struct {
	id         int
	code, name string
}

var firstCollection = collection{campaignID, campaignCode, campaignName}

func (c collection) identity(last, first, class string) string {
	return fmt.Sprintf(`"%s";%d;"%s";"%s";%s;%s;%s`, exportOrganization, c.id, c.code, c.name,
		quote(last), quote(first), quote(class))
}

func unsentRow(last, first, class string) string {
	return firstCollection.identity(last, first, class) + `;"Non"` + strings.Repeat(`;"NA"`, 4+2*competences) + "\n"
}

func sentRow(last, first, class string, s sending) string {
	return firstCollection.sentRow(last, first, class, s)
}

func (c collection) sentRow(last, first, class string, s sending) string {
	var b strings.Builder
	total, count := 0, certifiableCount(s.pix)
	for _, p := range s.pix {
		total += p
	}
	certifiable := "Non"
	if count >= 5 {
		certifiable = "Oui"
	}
	fmt.Fprintf(&b, `%s;"Oui";"%s";%d;"%s";%d`, c.identity(last, first, class), s.at.Format("02/01/2006 15:04"), total, certifiable, count)
	for _, p := range s.pix {
		fmt.Fprintf(&b, ";%d;%d", min(p/8, 5), p)
	}
	b.WriteByte('\n')
	return b.String()
}

type countingWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

func (c *countingWriter) WriteString(s string) {
	if c.err != nil {
		return
	}
	n, err := c.w.WriteString(s)
	c.n += int64(n)
	c.err = err
}

func (c *countingWriter) flush() error {
	if c.err != nil {
		return c.err
	}
	return c.w.Flush()
}
