package output

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestWrapText(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  []string
	}{
		{"DUPONT", 10, []string{"DUPONT"}},
		{"DUPONT", 0, []string{"DUPONT"}},
		{"", 5, []string{""}},
		{"Envoyé avant la dernière collecte", 12, []string{"Envoyé avant", "la dernière", "collecte"}},
		{"Envoyé avant la dernière collecte", 8, []string{"Envoyé", "avant la", "dernière", "collecte"}},
		{"SAINT-MARTIN", 8, []string{"SAINT-", "MARTIN"}},
		{"Jean-Baptiste Marie", 14, []string{"Jean-Baptiste", "Marie"}},
		{"-5 --all", 5, []string{"-5", "--all"}},
		{"(--all les liste)", 8, []string{"(--all", "les", "liste)"}},
		{"dl/Resultats-3e.csv", 10, []string{"dl/", "Resultats-", "3e.csv"}},
		{"au 14/03/2026 (0/8 pix)", 11, []string{"au", "14/03/2026", "(0/8 pix)"}},
		{`C:\Users\cpe\eleves.csv`, 13, []string{`C:\Users\cpe\`, "eleves.csv"}},
		{"Certificabilité", 6, []string{"Certif", "icabil", "ité"}},
		{"DUPONT Léa (3E2) ; MARTIN Tom (3E2)", 18, []string{"DUPONT Léa (3E2) ;", "MARTIN Tom (3E2)"}},
		{"a  b", 1, []string{"a", "b"}},
		{"王小明", 4, []string{"王小", "明"}},
		{"王小明", 3, []string{"王", "小", "明"}},
		{"ab王", 3, []string{"ab", "王"}},
		{"Zoe\u0301 Noe\u0308lle", 4, []string{"Zoe\u0301", "Noe\u0308l", "le"}},
		{"e\u0301e\u0301e\u0301", 2, []string{"e\u0301e\u0301", "e\u0301"}},
		{`\x1b[2J\x1b[H`, 8, []string{`\x1b[2J\`, `x1b[H`}},
	}
	for _, tt := range tests {
		got := wrapText(tt.text, tt.width)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("wrapText(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
		for _, line := range got {
			if tt.width > 0 && displayWidth(line) > tt.width {
				t.Errorf("wrapText(%q, %d): %q is %d cells wide", tt.text, tt.width, line, displayWidth(line))
			}
		}
		if joined := strings.Join(got, ""); strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(tt.text, " ", "") {
			t.Errorf("wrapText(%q, %d) lost text: %q", tt.text, tt.width, got)
		}
	}
}

func TestFit(t *testing.T) {
	// status's columns, as a school's roster fills them.
	status := []fitColumn{
		{header: 3, headerWord: 3, cells: 12, cellWord: 7, wrap: 10},             // Nom
		{header: 6, headerWord: 6, cells: 13, cellWord: 8, wrap: 10},             // Prénom
		{header: 6, headerWord: 6, cells: 3, cellWord: 3},                        // Classe
		{header: 15, headerWord: 15, cells: 15, cellWord: 11},                    // Certificabilité
		{header: 15, headerWord: 7, cells: 10, cellWord: 10, prio: 1},            // Date de l'envoi
		{header: 33, headerWord: 8, cells: 3, cellWord: 3, prio: 3},              // Envoyé avant la dernière collecte
		{header: 18, headerWord: 12, cells: 2, cellWord: 2, prio: 2},             // Comp. certifiables
		{header: 9, headerWord: 5, cells: 3, cellWord: 3, prio: 4},               // Score Pix
		{header: 6, headerWord: 6, cells: 1, cellWord: 1, prio: 5},               // Envois
		{header: 12, headerWord: 8, cells: 150, cellWord: 11, wrap: 20, prio: 6}, // À travailler
	}
	short := slices.Clone(status)
	short[0].cells, short[0].cellWord = 8, 8
	short[1].cells, short[1].cellWord = 6, 6
	tests := []struct {
		name   string
		cols   []fitColumn
		limit  int
		keep   []int
		widths []int
	}{
		{"no limit", status, 0, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []int{12, 13, 6, 15, 15, 33, 18, 9, 6, 150}},
		{"wide enough", status[:4], 80, []int{0, 1, 2, 3}, []int{12, 13, 6, 15}},
		// Headers wrap and the lowest priorities go, the highest N first:
		// what is left goes to the cells, then to the headers, the
		// shortest first (Score Pix whole at 120).
		{"80 cells", status, 80, []int{0, 1, 2, 3, 4}, []int{12, 13, 6, 15, 15}},
		{"80 cells, short names", short, 80, []int{0, 1, 2, 3, 4, 6}, []int{8, 6, 6, 15, 14, 12}},
		{"120 cells", status, 120, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, []int{12, 13, 6, 15, 11, 8, 12, 9, 6}},
		{"271 cells", status, 271, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []int{12, 13, 6, 15, 10, 8, 12, 8, 6, 150}},
		// Then every cell wraps, then words are cut, given back first,
		// then columns go from the right.
		{"40 cells", status, 40, []int{0, 1, 2, 3}, []int{5, 6, 4, 12}},
		{"30 cells", status, 30, []int{0, 1, 2, 3}, []int{3, 3, 3, 8}},
		{"10 cells", status, 10, []int{0}, []int{6}},
		{"too narrow for one column", status, 5, []int{0}, []int{3}},
	}
	for _, tt := range tests {
		keep, widths := fit(tt.cols, tt.limit)
		if !slices.Equal(keep, tt.keep) || !slices.Equal(widths, tt.widths) {
			t.Errorf("%s: kept %v, widths %v; want %v, %v", tt.name, keep, widths, tt.keep, tt.widths)
		}
		if sum := frame(len(widths)); tt.limit > 0 && len(keep) > 1 {
			for _, w := range widths {
				sum += w
			}
			if sum > tt.limit {
				t.Errorf("%s: %d cells wide", tt.name, sum)
			}
		}
	}
}

// fitRecord has names that wrap, wide characters and marks that take no
// cell, a long text, and columns that may go.
type fitRecord struct {
	Name    string `csv:"Nom" table:"wrap"`
	First   string `csv:"Prénom" table:"wrap"`
	Class   string `csv:"Classe"`
	Status  string `csv:"Certificabilité"`
	Date    string `csv:"Date de l'envoi" table:"prio=1"`
	Old     string `csv:"Envoyé avant la dernière collecte" table:"prio=3"`
	Count   string `csv:"Comp. certifiables" table:"prio=2"`
	ToWork  string `csv:"À travailler" table:"wrap=20,prio=4"`
	Secret  string `csv:"Secret" table:"-"`
	Sending string `csv:"Envois" table:"prio=5"`
}

func TestTableFitsTheWidth(t *testing.T) {
	records := []fitRecord{
		{"SAINT-MARTIN DE LA TOUR", "Jean-Baptiste", "3E1", "Non Certifiable", "10/02/2026", "oui", "4",
			"Envoyer à nouveau son profil dans la collecte « Collecte de profils 3e » ; 1.3 Traiter des données (0/8 pix)", "SECRET", "2"},
		{"王", "小明", "3E2", "Certifiable", "01/02/2026", "", "16", "", "SECRET", "1"},
		{"NGUYE\u0302\u0303N", "Bảo Zoe\u0301", "3E2", "Non communiqué", "", "", "", "Rejoindre la collecte et envoyer son profil", "SECRET", "0"},
		{"LÉPINE-DE-MONTMORENCY-LAVAL-ET-AUTRES-LIEUX", "Anne-Charlotte-Éléonore", "6ème B", "Certifiable", "14/03/2026", "", "10", "", "SECRET", "3"},
	}
	doc := Document{
		Title:  "Collège Jean Moulin : certificabilité d'après le dernier profil envoyé, au 14/03/2026",
		Sheets: Sheets(Sheet{Name: "3E1", Records: records, Footer: "4 élèves : 2 certifiables, 1 non certifiable, 1 non communiqué ; 1 profil envoyé avant la dernière collecte de sa classe (à renvoyer)"}),
	}
	var unlimited bytes.Buffer
	if err := (tableWriter{}).Write(&unlimited, doc); err != nil {
		t.Fatal(err)
	}
	natural := 0
	for _, line := range strings.Split(unlimited.String(), "\n") {
		natural = max(natural, displayWidth(line))
	}
	var atItsWidth bytes.Buffer
	if err := Fit(tableWriter{}, natural, "").Write(&atItsWidth, doc); err != nil || atItsWidth.String() != unlimited.String() {
		t.Errorf("a table that fits is not drawn as it is:\n%s\nwant\n%s", atItsWidth.String(), unlimited.String())
	}
	tests := []struct {
		width int
		shown []string // headers, their first word (or what a cut left of it)
		left  string   // the line that says which columns are not shown
	}{
		{271, []string{"Nom", "Prénom", "Classe", "Certificabilité", "Date", "Envoyé", "Comp.", "À", "Envois"}, ""},
		{120, []string{"Nom", "Prénom", "Classe", "Certificabilité", "Date", "Envoyé", "Comp.", "À"},
			"Colonnes masquées faute de place : Envois. Voir toutes : COLUMNS=0."},
		{80, []string{"Nom", "Prénom", "Classe", "Certificabilité", "Date", "Comp."},
			"Colonnes masquées faute de place : Envoyé avant la dernière collecte, À travailler, Envois. Voir toutes : COLUMNS=0."},
		{40, []string{"Nom", "Prénom", "Classe", "Certificabilité"},
			"Colonnes masquées faute de place : Date de l'envoi, Envoyé avant la dernière collecte, Comp. certifiables, À travailler, Envois. Voir toutes : COLUMNS=0."},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		w := Fit(tableWriter{}, tt.width, " Voir toutes : COLUMNS=0.")
		withBufferedCells(t, 100_000)
		if err := w.Write(&b, doc); err != nil {
			t.Fatal(err)
		}
		var twice bytes.Buffer
		withBufferedCells(t, 10) // read twice: the same lines
		if err := w.Write(&twice, doc); err != nil || twice.String() != b.String() {
			t.Errorf("%d: read twice, drew\n%s\nwant\n%s", tt.width, twice.String(), b.String())
		}
		out := b.String()
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		tableWidth := 0
		for _, line := range lines {
			if w := displayWidth(line); w > tt.width {
				t.Errorf("%d: a line of %d cells:\n%s", tt.width, w, line)
			}
			if strings.HasPrefix(line, "│") || strings.HasPrefix(line, "┌") || strings.HasPrefix(line, "├") || strings.HasPrefix(line, "└") {
				if tableWidth == 0 {
					tableWidth = displayWidth(line)
				}
				if displayWidth(line) != tableWidth {
					t.Errorf("%d: misaligned line %q:\n%s", tt.width, line, out)
				}
			}
		}
		header := lines[slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "┌") })+1]
		var shown []string
		for _, cell := range strings.Split(strings.Trim(header, "│"), "│") {
			shown = append(shown, strings.Fields(cell)[0])
		}
		if !slices.EqualFunc(shown, tt.shown, func(got, want string) bool { return strings.HasPrefix(want, got) }) {
			t.Errorf("%d: columns %q, want %q:\n%s", tt.width, shown, tt.shown, out)
		}
		if (tt.left != "") != strings.Contains(out, "Colonnes masquées") || (tt.left != "" && !strings.Contains(strings.ReplaceAll(out, "\n", " "), tt.left)) {
			t.Errorf("%d: want the line %q:\n%s", tt.width, tt.left, out)
		}
		// Every character of the shown cells is drawn, marks with their letter.
		for _, want := range []string{"王", "小明", "NGUYE\u0302\u0303N", "Zoe\u0301", "3E2"} {
			if !strings.Contains(out, want) {
				t.Errorf("%d: %q is not drawn whole:\n%s", tt.width, want, out)
			}
		}
		if strings.Contains(out, "Secret") || strings.Contains(out, "SECRET") {
			t.Errorf("%d: a table:\"-\" column is shown:\n%s", tt.width, out)
		}
	}
}

func TestTableTags(t *testing.T) {
	for tag, want := range map[string]tableTag{
		"":              {},
		"-":             {hidden: true},
		"wrap":          {wrap: defaultWrapWidth},
		"wrap=22":       {wrap: 22},
		"prio=3":        {prio: 3},
		"wrap, prio=2":  {wrap: defaultWrapWidth, prio: 2},
		"prio=1,wrap=8": {wrap: 8, prio: 1},
	} {
		if got := parseTableTag("r.F", tag); got != want {
			t.Errorf("table:%q = %+v, want %+v", tag, got, want)
		}
	}
	for _, tag := range []string{"wide", "prio=0", "prio=x", "wrap=-1", "-,wrap"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("table:%q accepted", tag)
				}
			}()
			parseTableTag("r.F", tag)
		}()
	}
}
