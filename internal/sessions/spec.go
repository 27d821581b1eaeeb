package sessions

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/charmap"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/tabfile"
	"github.com/pixcert/pixcert/internal/visible"
)

// Bounds of a plan file. A school's plan is a few rooms over a few days:
// a few dozen slots, a few KB. Past these, the file is not a plan (a
// roster given by mistake, a generated file gone wrong), and is refused
// before it is read rather than planned for minutes.
const (
	MaxSpecBytes = 1 << 20
	MaxSlots     = 1000
	// maxSeats bounds a room: an amphitheatre; more is a typo.
	maxSeats = 1000
	// maxObservationChars bounds the observations of a slot, a note of a
	// few lines for the supervisors.
	maxObservationChars = 1000
	// Bounds of the test and of the margin around it: a test of a day, or
	// seating for longer than a class period, is a typo.
	maxDuration = 6 * time.Hour
	maxMargin   = 2 * time.Hour
)

// Columns of a CSV plan, found by name without case, accents or
// punctuation; the second names are those of Pix Certif's import of
// sessions (pix-formats.md §8), so that a referent who starts from it need
// not rename them.
var (
	colSite         = []string{"Site", "Nom du site"}
	colRoom         = []string{"Salle", "Nom de la salle"}
	colSeats        = []string{"Places", "Nombre de places"}
	colDate         = []string{"Date", "Date de début", "Date de début (format: JJ/MM/AAAA)"}
	colTime         = []string{"Heure", "Heure de début", "Heure de début (heure locale format: HH:MM)"}
	colSupervisors  = []string{"Surveillants", "Surveillant", "Surveillant(s)"}
	colObservations = []string{"Observations", "Observation", "Observations (optionnel)"}
)

// ReadSpec reads a plan file: a CSV table, one row per slot, as a referent
// types it in Excel; or a YAML file, rooms and times apart, as one writes
// it by hand when every time is offered in every room. The name's
// extension tells which; the content, when the extension does not. now
// dates the file: a slot in the past, or more than a year ahead, is a
// typo of the year; a zero now checks no date. A file that cannot be read
// comes back as a *fileerr.Error, its problems as a fileerr.List, each
// with its line. What ReadSpec cannot see alone (two slots of one room
// that overlap, a slot without supervisors when the command gives the
// shared ones) is for Make to say.
func ReadSpec(name string, r io.Reader, now time.Time) (Spec, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSpecBytes+1))
	if err != nil {
		return Spec{}, &fileerr.Error{File: name, Msg: fmt.Sprintf("le fichier ne peut pas être lu (%v).", err)}
	}
	if len(data) > MaxSpecBytes {
		return Spec{}, &fileerr.Error{File: name, Msg: fmt.Sprintf(
			"fichier de plus de %s : un plan de sessions tient en quelques Ko (une ligne par créneau) ; vérifiez que c'est bien le plan, et non une liste d'élèves.",
			limits.Size(MaxSpecBytes))}
	}
	d := dater{now: now.In(frdate.Paris())}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return readCSV(name, data, d)
	case ".yaml", ".yml":
		return readYAML(name, data, d)
	}
	if looksLikeYAML(data) {
		return readYAML(name, data, d)
	}
	return readCSV(name, data, d)
}

var yamlKey = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_ ]*:(\s|$)`)

// looksLikeYAML tells a YAML plan from a CSV one by its first line that is
// neither blank nor a comment: YAML's is a key and a colon, CSV's a header,
// which has no colon after a bare word.
func looksLikeYAML(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		l := strings.TrimSpace(string(line))
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		return strings.HasPrefix(l, "---") || yamlKey.MatchString(l)
	}
	return false
}

// dater reads the date and time of a slot, in Paris, and refuses the
// years a typo gives.
type dater struct{ now time.Time }

// slotTime returns the start of a slot, or a French message and whether
// it is about the time rather than the date. Without a clock (a zero
// now), years have four digits and any date is taken.
func (d dater) slotTime(date, clock string) (start time.Time, msg string, aboutTime bool) {
	pivot := -1
	if !d.now.IsZero() {
		pivot = frdate.Pivot(d.now)
	}
	day, err := frdate.ParseDate(date, pivot)
	switch {
	case strings.TrimSpace(date) == "":
		return time.Time{}, "la date est vide (format attendu jj/mm/aaaa, par exemple 16/03/2026).", false
	case errors.Is(err, frdate.ErrImpossible):
		return time.Time{}, fmt.Sprintf("la date « %s » n'existe pas (format attendu jj/mm/aaaa).", visible.Quote(date)), false
	case err != nil:
		return time.Time{}, fmt.Sprintf("« %s » n'est pas une date (format attendu jj/mm/aaaa, par exemple 16/03/2026).", visible.Quote(date)), false
	}
	h, m, ok := parseClock(clock)
	if !ok {
		if strings.TrimSpace(clock) == "" {
			return time.Time{}, "l'heure est vide (format attendu HH:MM, par exemple 08:30 ou 8h30).", true
		}
		return time.Time{}, fmt.Sprintf("« %s » n'est pas une heure (format attendu HH:MM, par exemple 08:30 ou 8h30).", visible.Quote(clock)), true
	}
	y, mo, dd := atoi(day[0:4]), atoi(day[5:7]), atoi(day[8:10])
	start = time.Date(y, time.Month(mo), dd, h, m, 0, 0, frdate.Paris())
	if start.Hour() != h || start.Minute() != m {
		// The hour the clocks skip in spring: time.Date moves it on.
		return time.Time{}, fmt.Sprintf("%02d:%02d n'existe pas le %s à Paris (passage à l'heure d'été) : choisissez une autre heure.",
			h, m, frdate.French(day)), true
	}
	today := d.now.Format("2006-01-02")
	switch {
	case d.now.IsZero():
	case day < today:
		return time.Time{}, fmt.Sprintf("le %s est passé (nous sommes le %s) : vérifiez l'année.", frdate.French(day), frdate.French(today)), false
	case start.Before(d.now):
		return time.Time{}, fmt.Sprintf("%02d:%02d est passé (il est %s) : choisissez une heure à venir.", h, m, d.now.Format("15:04")), true
	case day > d.now.AddDate(1, 0, 0).Format("2006-01-02"):
		return time.Time{}, fmt.Sprintf("le %s est dans plus d'un an (nous sommes le %s) : vérifiez l'année.", frdate.French(day), frdate.French(today)), false
	}
	return start, "", false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// parseClock reads a time as people type it: 08:30, 8:30, 8h30, 8h,
// 08:30:00 (Excel adds the seconds).
func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	hours, minutes, found := strings.Cut(s, "h")
	if !found {
		if hours, minutes, found = strings.Cut(s, ":"); !found {
			return 0, 0, false
		}
		if mm, sec, withSeconds := strings.Cut(minutes, ":"); withSeconds {
			if sec != "00" {
				return 0, 0, false
			}
			minutes = mm
		}
	} else if minutes == "" {
		minutes = "00"
	}
	if len(hours) < 1 || len(hours) > 2 || len(minutes) != 2 || !allDigits(hours) || !allDigits(minutes) {
		return 0, 0, false
	}
	h, m = atoi(hours), atoi(minutes)
	return h, m, h <= 23 && m <= 59
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseSeats reads the seats of a room, or says what is wrong.
func parseSeats(s string) (int, string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, "le nombre de places est vide : indiquez combien d'élèves la salle accueille (par exemple 30)."
	case !allDigits(s):
		return 0, fmt.Sprintf("« %s » n'est pas un nombre de places (un nombre entier, par exemple 30).", visible.Quote(s))
	case len(s) > 6 || atoi(s) > maxSeats:
		return 0, fmt.Sprintf("%s places, c'est plus qu'une salle n'en a (au plus %s) : vérifiez ce nombre.", visible.Quote(s), limits.Count(maxSeats))
	case atoi(s) == 0:
		return 0, "0 place : une salle en a au moins une ; corrigez le nombre, ou retirez la salle."
	}
	return atoi(s), ""
}

// parseLength reads the length of the test or of the margin: 1h45, 1h,
// 105min, 15 min, 90 minutes, or a bare number of minutes.
func parseLength(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	for _, unit := range []string{"minutes", "minute", "min", "mn"} {
		if strings.HasSuffix(s, unit) {
			s = strings.TrimSuffix(s, unit)
			break
		}
	}
	hours, minutes, withHours := strings.Cut(s, "h")
	if !withHours {
		hours, minutes = "0", s
	} else if minutes == "" {
		minutes = "0"
	}
	if !allDigits(hours) || !allDigits(minutes) || len(hours) > 2 || len(minutes) > 4 || (withHours && len(minutes) > 2) {
		return 0, false
	}
	if withHours && atoi(minutes) > 59 {
		return 0, false
	}
	return time.Duration(atoi(hours))*time.Hour + time.Duration(atoi(minutes))*time.Minute, true
}

// checkLength says what is wrong with a test or margin length, "" when
// nothing is: what of « duree » and « marge ».
func checkLength(raw string, margin bool) (time.Duration, string) {
	d, ok := parseLength(raw)
	example, max := "1h45", maxDuration
	if margin {
		example, max = "15 min", maxMargin
	}
	switch {
	case !ok:
		return 0, fmt.Sprintf("« %s » n'est pas une durée (écrivez par exemple %s, 1h, 105min ou 15 min).", visible.Quote(raw), example)
	case d > max:
		return 0, fmt.Sprintf("%s, c'est plus que les %s au plus permises : vérifiez cette durée (par exemple %s).", formatLength(d), formatLength(max), example)
	case d == 0 && !margin:
		return 0, "une épreuve de 0 min : indiquez sa durée (par exemple 1h45)."
	case d == 0:
		// Zero is the default in a Spec; and students are always
		// seated, their identity checked, before the test starts.
		return 0, "une marge de 0 min : prévoyez le temps d'installer les élèves et de vérifier leur identité (par exemple 15 min, au moins 1 min)."
	}
	return d, ""
}

// splitSupervisors reads the supervisors of one cell: separated by
// commas, semicolons, slashes or line breaks (Alt+Entrée in Excel). A
// cell holding a semicolon must be quoted in a file separated by
// semicolons, which Excel does by itself. « Durand, Marie » is two names:
// write « Marie Durand ».
func splitSupervisors(cell string) []string {
	var out []string
	for _, name := range strings.FieldsFunc(cell, func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '\n' || r == '\r'
	}) {
		if name = tidy(name); fold.Key(name) != "" {
			out = append(out, name)
		}
	}
	return out
}

// tooLong returns the message for a text longer than max, "" otherwise.
func tooLong(value string, max int, what string) string {
	if n, long := limits.TooLong(value, max); long {
		return limits.TooLongMessage(value, n, max, what)
	}
	return ""
}

// errorOf returns what errs collected as an error, saying how many more
// there were than it kept; nil when there were none.
func errorOf(name string, errs *fileerr.Collector) error {
	if errs.Total == 0 {
		return nil
	}
	list := errs.Kept
	if more := errs.Total - len(list); more > 0 {
		list = append(list, &fileerr.Error{File: name, Msg: fmt.Sprintf("… et %s.", french.Plural(more, "autre problème", "autres problèmes"))})
	}
	return list
}

var tooManySlots = fmt.Sprintf("plus de %s créneaux : un plan en compte quelques dizaines ; vérifiez que c'est bien le plan, ou découpez-le.", limits.Count(MaxSlots))

func readCSV(name string, data []byte, d dater) (Spec, error) {
	f, err := tabfile.Open(name, bytes.NewReader(data), tabfile.Options{})
	if err != nil {
		return Spec{}, err
	}
	defer f.Close()
	var errs fileerr.Collector
	site, room, seats := f.Column(colSite...), f.Column(colRoom...), f.Column(colSeats...)
	date, clock := f.Column(colDate...), f.Column(colTime...)
	supervisors, observations := f.Column(colSupervisors...), f.Column(colObservations...)
	for _, c := range []struct {
		index int
		name  string
	}{{room, colRoom[0]}, {seats, colSeats[0]}, {date, colDate[0]}, {clock, colTime[0]}} {
		if c.index < 0 {
			errs.Add(f.MissingColumn(c.name))
		}
	}
	if errs.Total > 0 {
		return Spec{}, errorOf(name, &errs)
	}
	var spec Spec
	errStop := errors.New("stop")
	err = f.EachRow(&errs, func(row tabfile.Row) error {
		if len(spec.Slots) == MaxSlots {
			errs.Add(&fileerr.Error{File: name, Line: row.Line, Msg: tooManySlots})
			return errStop
		}
		cell := func(i int) string {
			if i < 0 {
				return ""
			}
			return row.Cells[i]
		}
		fail := func(col int, msg string) { errs.Add(f.Errorf(row.Line, col, "%s", msg)) }
		ok := true
		check := func(col int, msg string) {
			if msg != "" {
				fail(col, msg)
				ok = false
			}
		}
		s := Slot{Site: tidy(cell(site)), Room: tidy(cell(room)), Observations: strings.TrimSpace(cell(observations))}
		check(site, tooLong(s.Site, limits.MaxLabelChars, "un nom de site"))
		check(room, tooLong(s.Room, limits.MaxLabelChars, "un nom de salle"))
		check(observations, tooLong(s.Observations, maxObservationChars, "des observations"))
		if fold.Key(s.Room) == "" {
			check(room, "le nom de la salle est vide : nommez-la (« CDI », « Salle 12 »…).")
		}
		var msg string
		s.Seats, msg = parseSeats(cell(seats))
		check(seats, msg)
		start, msg, aboutTime := d.slotTime(cell(date), cell(clock))
		if aboutTime {
			check(clock, msg)
		} else {
			check(date, msg)
		}
		s.Start = start
		s.Supervisors = splitSupervisors(cell(supervisors))
		for _, sup := range s.Supervisors {
			check(supervisors, tooLong(sup, limits.MaxNameChars, "un nom de surveillant"))
		}
		if ok {
			spec.Slots = append(spec.Slots, s)
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return Spec{}, err
	}
	if errs.Total == 0 && len(spec.Slots) == 0 {
		errs.Add(&fileerr.Error{File: name, Msg: "aucun créneau : le fichier n'a que sa ligne d'en-tête ; ajoutez une ligne par salle et par horaire."})
	}
	if err := errorOf(name, &errs); err != nil {
		return Spec{}, err
	}
	return spec, nil
}

// yamlReader reads a YAML plan from its nodes rather than into a struct:
// nodes keep their lines, for messages, and tell an unknown key from a
// missing one.
type yamlReader struct {
	name string
	errs fileerr.Collector
	d    dater
}

func (y *yamlReader) fail(n *yaml.Node, format string, args ...any) {
	y.errs.Add(&fileerr.Error{File: y.name, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
}

// keys are the keys of a mapping of a plan, by their folded name: « durée »
// and « Créneaux » are accepted as « duree » and « creneaux ».
var (
	topKeys     = []string{"site", "duree", "marge", "surveillants", "salles", "creneaux"}
	roomKeys    = []string{"nom", "places"}
	slotKeys    = []string{"date", "heure", "salles", "surveillants", "observations"}
	errNotAPlan = "attendu : des clés « site », « salles », « creneaux »… comme dans l'exemple plan-exemple.yaml."
)

// mapping returns the values of a mapping by key, reporting unknown and
// repeated keys; what names the mapping in messages.
func (y *yamlReader) mapping(n *yaml.Node, what string, known []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		y.fail(n, "%s : attendu des clés et leurs valeurs (« clé: valeur »), trouvé %s.", what, kindName(n))
		return nil
	}
	values := map[string]*yaml.Node{}
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := fold.Key(k.Value)
		switch {
		case k.Kind != yaml.ScalarNode || !contains(known, key):
			y.fail(k, "%s : clé « %s » inconnue (clés possibles : %s) ; vérifiez son orthographe et son indentation.",
				what, visible.Quote(k.Value), strings.Join(known, ", "))
		case values[key] != nil:
			y.fail(k, "%s : la clé « %s » est donnée deux fois (la première ligne %d) ; gardez-en une.", what, visible.Quote(k.Value), lines[key])
		default:
			values[key], lines[key] = v, k.Line
		}
	}
	return values
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "une liste"
	case yaml.MappingNode:
		return "des clés"
	case yaml.ScalarNode:
		if n.Value == "" {
			return "une valeur vide"
		}
		return fmt.Sprintf("« %s »", visible.Quote(n.Value))
	}
	return "autre chose"
}

// text returns a scalar's text, "" for a null or absent one.
func (y *yamlReader) text(n *yaml.Node, what string) (string, bool) {
	switch {
	case n == nil:
		return "", true
	case n.Kind != yaml.ScalarNode:
		y.fail(n, "%s : attendu un texte, trouvé %s.", what, kindName(n))
		return "", false
	case n.Tag == "!!null":
		return "", true
	}
	return strings.TrimSpace(n.Value), true
}

// names returns a list of names: a YAML list, or one text separated by
// commas as in a CSV cell.
func (y *yamlReader) names(n *yaml.Node, what string) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		s, _ := y.text(n, what)
		return splitSupervisors(s)
	}
	if n.Kind != yaml.SequenceNode {
		y.fail(n, "%s : attendu une liste ([Mme Durand, M. Petit]), trouvé %s.", what, kindName(n))
		return nil
	}
	var out []string
	for _, item := range n.Content {
		s, ok := y.text(item, what)
		if !ok {
			continue
		}
		if msg := tooLong(s, limits.MaxNameChars, "un nom"); msg != "" {
			y.fail(item, "%s : %s", what, msg)
			continue
		}
		if s = tidy(s); fold.Key(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// noAlias refuses YAML aliases (*name): a plan has no use for them, and
// an alias of an alias of a list is how a few bytes expand to gigabytes.
func (y *yamlReader) noAlias(n *yaml.Node) {
	if n.Kind == yaml.AliasNode {
		y.fail(n, "alias YAML « *%s » : recopiez la valeur plutôt que d'y renvoyer.", visible.Quote(n.Value))
		return
	}
	for _, c := range n.Content {
		y.noAlias(c)
	}
}

// decodeYAML parses data, turning what the parser says into French. The
// parser is someone else's code fed any bytes: a panic in it is a file
// that cannot be read, not a crash.
func decodeYAML(name string, data []byte) (doc yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &fileerr.Error{File: name, Msg: "le fichier n'est pas du YAML lisible : " + errNotAPlan}
		}
	}()
	if !utf8.Valid(data) && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		// Notepad saved it « ANSI », as Windows-1252.
		data, _ = charmap.Windows1252.NewDecoder().Bytes(data)
	}
	err = yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	if errors.Is(err, io.EOF) {
		return doc, &fileerr.Error{File: name, Msg: "le fichier est vide : " + errNotAPlan}
	}
	if err != nil {
		line := 0
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line = atoi(m[1])
			msg = strings.TrimSpace(yamlLine.ReplaceAllString(msg, ""))
		}
		return doc, &fileerr.Error{File: name, Line: line, Msg: fmt.Sprintf(
			"YAML illisible (%s) : vérifiez l'indentation (des espaces, jamais de tabulation), les deux-points après chaque clé et les guillemets.",
			visible.Quote(msg))}
	}
	return doc, nil
}

var yamlLine = regexp.MustCompile(`line (\d+):`)

func readYAML(name string, data []byte, d dater) (Spec, error) {
	doc, err := decodeYAML(name, data)
	if err != nil {
		return Spec{}, err
	}
	y := &yamlReader{name: name, d: d}
	y.noAlias(&doc)
	if y.errs.Total > 0 {
		return Spec{}, errorOf(name, &y.errs)
	}
	if len(doc.Content) == 0 {
		return Spec{}, &fileerr.Error{File: name, Msg: "le fichier est vide : " + errNotAPlan}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return Spec{}, &fileerr.Error{File: name, Line: root.Line, Msg: fmt.Sprintf("trouvé %s ; %s", kindName(root), errNotAPlan)}
	}
	top := y.mapping(root, "plan", topKeys)
	var spec Spec
	site, _ := y.text(top["site"], "site")
	if msg := tooLong(site, limits.MaxLabelChars, "un nom de site"); msg != "" {
		y.fail(top["site"], "site : %s", msg)
	}
	site = tidy(site)
	for _, l := range []struct {
		key    string
		margin bool
		to     *time.Duration
	}{{"duree", false, &spec.Duration}, {"marge", true, &spec.Margin}} {
		raw, ok := y.text(top[l.key], l.key)
		if !ok || raw == "" {
			continue
		}
		v, msg := checkLength(raw, l.margin)
		if msg != "" {
			y.fail(top[l.key], "%s : %s", l.key, msg)
		}
		*l.to = v
	}
	spec.Supervisors = y.names(top["surveillants"], "surveillants")

	var rooms []room
	roomIndex := map[string]int{}
	if n := top["salles"]; n == nil || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		y.fail(orNode(n, root), "salles : attendu la liste des salles, chacune avec « nom » et « places » (voir plan-exemple.yaml).")
	} else {
		for _, item := range n.Content {
			values := y.mapping(item, "salle", roomKeys)
			if values == nil {
				continue
			}
			name, _ := y.text(values["nom"], "nom de la salle")
			name = tidy(name)
			seatsText, _ := y.text(values["places"], "places")
			seats, msg := parseSeats(seatsText)
			switch {
			case fold.Key(name) == "":
				y.fail(item, "salle : « nom » manque ou est vide ; nommez la salle (« CDI », « Salle 12 »…).")
				continue
			case tooLong(name, limits.MaxLabelChars, "un nom de salle") != "":
				y.fail(item, "salle : %s", tooLong(name, limits.MaxLabelChars, "un nom de salle"))
				continue
			case roomIndex[fold.Key(name)] > 0:
				y.fail(item, "la salle « %s » est donnée deux fois ; gardez-en une.", visible.Quote(name))
				continue
			case msg != "":
				y.fail(orNode(values["places"], item), "salle « %s », places : %s", visible.Quote(name), msg)
				continue
			}
			rooms = append(rooms, room{name, seats})
			roomIndex[fold.Key(name)] = len(rooms)
		}
	}

	if n := top["creneaux"]; n == nil || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		y.fail(orNode(n, root), "creneaux : attendu la liste des créneaux, chacun avec « date » et « heure » (voir plan-exemple.yaml).")
	} else {
		for _, item := range n.Content {
			values := y.mapping(item, "créneau", slotKeys)
			if values == nil {
				continue
			}
			date, _ := y.text(values["date"], "date")
			clock, _ := y.text(values["heure"], "heure")
			start, msg, _ := y.d.slotTime(date, clock)
			if msg != "" {
				y.fail(item, "créneau : %s", msg)
				continue
			}
			observations, _ := y.text(values["observations"], "observations")
			if msg := tooLong(observations, maxObservationChars, "des observations"); msg != "" {
				y.fail(values["observations"], "observations : %s", msg)
				continue
			}
			supervisors := y.names(values["surveillants"], "surveillants")
			in := rooms
			if values["salles"] != nil {
				in = nil
				named := y.names(values["salles"], "salles")
				if len(named) == 0 {
					y.fail(values["salles"], "créneau : « salles » ne nomme aucune salle ; nommez-en, ou retirez « salles » pour offrir le créneau dans toutes.")
				}
				for _, name := range named {
					i := roomIndex[fold.Key(name)]
					if i == 0 {
						y.fail(values["salles"], "créneau : salle « %s » inconnue ; les salles sont %s.", visible.Quote(name), roomList(rooms))
						continue
					}
					in = append(in, rooms[i-1])
				}
			}
			for _, r := range in {
				if len(spec.Slots) == MaxSlots {
					y.fail(item, "%s", tooManySlots)
					return Spec{}, errorOf(name, &y.errs)
				}
				spec.Slots = append(spec.Slots, Slot{Site: site, Room: r.name, Seats: r.seats, Start: start,
					Supervisors: supervisors, Observations: observations})
			}
		}
	}
	if err := errorOf(name, &y.errs); err != nil {
		return Spec{}, err
	}
	return spec, nil
}

func orNode(n, fallback *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return fallback
}

// room is a room of a plan that offers every slot in every room.
type room struct {
	name  string
	seats int
}

func roomList(rooms []room) string {
	if len(rooms) == 0 {
		return "(aucune)"
	}
	quoted := make([]string, len(rooms))
	for i, r := range rooms {
		quoted[i] = "« " + visible.Quote(r.name) + " »"
	}
	return strings.Join(quoted, ", ")
}

// SpecFromOptions makes a spec from a command's options, for a plan too
// simple for a file: every slot in every room, the supervisors shared.
// Rooms are written « CDI:30 » or « Salle 12=24 », slots « 16/03/2026
// 08:30 »; duration and margin as in a YAML plan, "" for the default.
// Problems name the option, in French, one a line.
// now, when not zero, refuses the days a typo gives, as in a file.
func SpecFromOptions(site string, rooms []string, slots []string, supervisors []string, duration, margin string, now time.Time) (Spec, error) {
	problems := &SpecError{}
	spec := Spec{}
	site = tidy(site)
	if msg := tooLong(site, limits.MaxLabelChars, "un nom de site"); msg != "" {
		problems.add("--site : %s", msg)
	}
	for _, o := range []struct {
		flag, raw string
		margin    bool
		to        *time.Duration
	}{{"--duree", duration, false, &spec.Duration}, {"--marge", margin, true, &spec.Margin}} {
		if strings.TrimSpace(o.raw) == "" {
			continue
		}
		v, msg := checkLength(o.raw, o.margin)
		if msg != "" {
			problems.add("%s : %s", o.flag, msg)
		}
		*o.to = v
	}
	var parsed []room
	seen := map[string]bool{}
	for _, r := range rooms {
		i := strings.LastIndexAny(r, ":=")
		if i < 0 {
			problems.add("--salle « %s » : le nombre de places manque ; écrivez la salle et ses places, par exemple « CDI:30 » ou « Salle 12=24 ».", visible.Quote(r))
			continue
		}
		name := tidy(r[:i])
		seats, msg := parseSeats(r[i+1:])
		switch {
		case fold.Key(name) == "":
			problems.add("--salle « %s » : le nom de la salle manque ; écrivez par exemple « CDI:30 ».", visible.Quote(r))
		case tooLong(name, limits.MaxLabelChars, "un nom de salle") != "":
			problems.add("--salle : %s", tooLong(name, limits.MaxLabelChars, "un nom de salle"))
		case msg != "":
			problems.add("--salle « %s » : %s", visible.Quote(r), msg)
		case seen[fold.Key(name)]:
			problems.add("--salle « %s » : la salle « %s » est donnée deux fois ; gardez-en une.", visible.Quote(r), visible.Quote(name))
		default:
			seen[fold.Key(name)] = true
			parsed = append(parsed, room{name, seats})
		}
	}
	if len(rooms) == 0 {
		problems.add("--salle : aucune salle ; donnez-en au moins une avec ses places, par exemple --salle CDI:30.")
	}
	var starts []time.Time
	for _, raw := range slots {
		fields := strings.Fields(raw)
		if len(fields) < 2 {
			problems.add("--creneau « %s » : attendu une date et une heure, par exemple « 16/03/2026 08:30 ».", visible.Quote(raw))
			continue
		}
		// The date alone is checked, against no clock: the command
		// checks what it asks of the calendar.
		start, msg, _ := dater{now: now.In(frdate.Paris())}.slotTime(fields[0], strings.Join(fields[1:], ""))
		if msg != "" {
			problems.add("--creneau « %s » : %s", visible.Quote(raw), msg)
			continue
		}
		starts = append(starts, start)
	}
	if len(slots) == 0 {
		problems.add("--creneau : aucun créneau ; donnez-en au moins un, par exemple --creneau \"16/03/2026 08:30\".")
	}
	if len(parsed)*len(starts) > MaxSlots {
		problems.add("--salle et --creneau : %d salles à %d horaires font plus de %s créneaux ; faites plusieurs plans.", len(parsed), len(starts), limits.Count(MaxSlots))
	}
	for _, s := range supervisors {
		for _, name := range splitSupervisors(s) {
			if msg := tooLong(name, limits.MaxNameChars, "un nom de surveillant"); msg != "" {
				problems.add("--surveillant : %s", msg)
				continue
			}
			spec.Supervisors = append(spec.Supervisors, name)
		}
	}
	if len(spec.Supervisors) == 0 {
		problems.add("--surveillant : aucun surveillant ; donnez-en au moins un, par exemple --surveillant \"Mme Durand\".")
	}
	if problems.Total > 0 {
		return Spec{}, problems
	}
	for _, start := range starts {
		for _, r := range parsed {
			spec.Slots = append(spec.Slots, Slot{Site: site, Room: r.name, Seats: r.seats, Start: start})
		}
	}
	return spec, nil
}
