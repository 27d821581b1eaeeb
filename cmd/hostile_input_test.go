package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/hostile"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/samples"
)

// hostileStore is a store holding the samples, and an empty temporary
// folder for pixcert: what a refused import must leave exactly as it was.
type hostileStore struct {
	db, tmp string
	before  []byte
}

func newHostileStore(t *testing.T) *hostileStore {
	t.Helper()
	s := &hostileStore{db: filepath.Join(t.TempDir(), "pixcert.db"), tmp: t.TempDir()}
	if code, _, stderr := run(t, s.db, "import", samples.Path("roster-siecle.csv"), samples.Path("collecte-sco.csv")); code != ExitOK {
		t.Fatalf("first import: %d %s", code, stderr)
	}
	var err error
	if s.before, err = os.ReadFile(s.db); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", s.tmp)
	return s
}

// unchanged checks the store is the same, byte for byte, and nothing is left
// in the temporary folder.
func (s *hostileStore) unchanged(t *testing.T) {
	t.Helper()
	if after, err := os.ReadFile(s.db); err != nil || !bytes.Equal(after, s.before) {
		t.Errorf("store changed by a refused import (%v)", err)
	}
	if left, _ := os.ReadDir(s.tmp); len(left) > 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
}

func writeHostile(t *testing.T, name string, write func(io.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	write(f)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func bytesOf(data []byte) func(io.Writer) { return func(w io.Writer) { w.Write(data) } }

const siecleHead = `<?xml version="1.0" encoding="ISO-8859-15"?><BEE_ELEVES VERSION="3.1"><PARAMETRES><UAJ>0751234A</UAJ></PARAMETRES><DONNEES><ELEVES>`

// TestHostileInputsAreRefused: every file made to exhaust memory, disk or
// patience, and every broken one, is refused with a message naming the
// file, where it applies the line and column, and the limit; the import
// exits with 1, the store is as it was, nothing is left behind.
func TestHostileInputsAreRefused(t *testing.T) {
	header := hostile.Row("Nom", "Prénom", "Classe")
	rosterHead := "Nom;Prénom;Classe\nDUPONT;Léa;3E2\n"
	tests := []struct {
		name  string
		file  string
		write func(io.Writer)
		want  string // a regular expression, matched against a line of stderr
	}{
		// Archives
		{"a zip bomb", "ElevesSansAdresses.zip", bytesOf(hostile.Zip(hostile.Part{Name: "ElevesSansAdresses.xml",
			Write: hostile.Concat(hostile.Text(siecleHead), hostile.Repeat("    ", 64<<20))})),
			`^erreur : .*ElevesSansAdresses.zip : « ElevesSansAdresses.xml », dans l'archive, se décompresse 1 0\d\d fois plus gros \(au plus 200 fois pour un fichier ordinaire\) : c'est une archive piégée`},
		{"an archive announcing a file of gigabytes", "ElevesSansAdresses.zip", bytesOf(hostile.Zip(hostile.Part{Name: "ElevesSansAdresses.xml",
			Write: hostile.Text(siecleHead), Declared: 5 << 30})),
			`: « ElevesSansAdresses.xml », dans l'archive, ferait 5 Go une fois décompressé, au-delà des 256 Mo acceptés`},
		{"an archive hiding a file bigger than it announces", "ElevesSansAdresses.zip", bytesOf(hostile.Zip(hostile.Part{Name: "ElevesSansAdresses.xml",
			Write: hostile.Concat(hostile.Text(siecleHead+"<ELEVE><NOM_DE_FAMILLE>"), hostile.Random(2<<20)), Declared: 1000})),
			`: « ElevesSansAdresses.xml » se décompresse en plus que la taille annoncée par l'archive : elle est endommagée ou piégée`},
		{"an archive in an archive", "ElevesSansAdresses.zip", bytesOf(hostile.Zip(
			hostile.Part{Name: "ElevesSansAdresses.xml", Write: hostile.Text(siecleHead)},
			hostile.Part{Name: "encore.zip", Write: hostile.Text("PK\x03\x04")})),
			`: l'archive contient une autre archive \(« encore.zip »\) : pixcert n'ouvre pas d'archive dans une archive`},
		{"an archive of thousands of files", "ElevesSansAdresses.zip", bytesOf(hostile.Zip(manyParts(limits.MaxZipEntries + 1)...)),
			`: l'archive contient 4 097 fichiers, au-delà des 4 096 acceptés`},
		// SIECLE XML
		{"a text of megabytes in the XML", "ElevesSansAdresses.xml", hostile.Concat(hostile.Text(siecleHead+"\n<ELEVE ELEVE_ID=\"1\">\n<NOM_DE_FAMILLE>"), hostile.Random(300<<10)),
			`ElevesSansAdresses.xml, ligne 3 : texte de plus de 256 Ko entre deux balises, au-delà de la limite. Vérifiez que c'est bien l'export ElevesSansAdresses.xml`},
		{"an XML nested without end", "ElevesSansAdresses.xml", hostile.Concat(hostile.Text(siecleHead), hostile.Repeat("<ELEVE>", 1<<20)),
			`ElevesSansAdresses.xml, ligne 1 : éléments imbriqués sur plus de 64 niveaux`},
		// Workbooks
		{"a workbook of a bomb sheet", "eleves.xlsx", bytesOf(hostile.Zip(hostile.Workbook(1, hostile.Concat(hostile.Text(hostile.SheetHead+header),
			hostile.Repeat(hostile.Row("A", "B", "C"), 256<<20)), nil)...)),
			`eleves.xlsx : « xl/worksheets/sheet1.xml », dans le classeur, se décompresse .* fois plus gros`},
		{"a workbook of thousands of sheets", "eleves.xlsx", bytesOf(hostile.Zip(hostile.Workbook(3000, hostile.Text(hostile.SheetHead+header+hostile.SheetTail), nil)...)),
			`eleves.xlsx : le classeur a 3 000 feuilles, au-delà des 250 acceptées`},
		{"a workbook of a huge shared string", "eleves.xlsx", bytesOf(hostile.Zip(hostile.Workbook(1, hostile.Text(hostile.SheetHead+header+hostile.SheetTail),
			hostile.Concat(hostile.Text("<sst><si><t>"), hostile.Random(1<<20)))...)),
			`eleves.xlsx : dans xl/sharedStrings.xml, ligne 1 : texte de plus de 256 Ko entre deux balises`},
		{"a workbook cell past Excel's limit", "eleves.xlsx", bytesOf(hostile.Zip(hostile.Workbook(1, hostile.Text(hostile.SheetHead+header+
			hostile.Row("DUPONT", strings.Repeat("Léa ", 9000), "3E2")+hostile.SheetTail), nil)...)),
			`eleves.xlsx, ligne 2, colonne « Prénom » : cellule de 36 000 caractères, au-delà des 32 767 qu'une cellule d'Excel peut contenir`},
		// Text
		{"2 GB without a line end", "eleves.csv", hostile.Repeat("A", 3<<20),
			`eleves.csv, ligne 1 : ligne de plus de 1 Mo, la limite`},
		{"a line of megabytes", "eleves.csv", hostile.Concat(hostile.Text(rosterHead), hostile.Repeat("A;", 3<<20)),
			`eleves.csv, ligne 3 : ligne de plus de 1 Mo, la limite : une ligne d'un tableau en fait quelques centaines d'octets.* La lecture s'arrête à cette ligne.$`},
		{"a quote never closed", "eleves.csv", hostile.Concat(hostile.Text(rosterHead+"MARTIN;\"Tom\n"), hostile.Repeat("3E2;\n", 3<<20)),
			`eleves.csv, ligne 3 : ligne de plus de 1 Mo, la limite .*guillemet jamais fermé`},
		{"a name of megabytes", "eleves.csv", hostile.Concat(hostile.Text(rosterHead+"MARTIN;"), hostile.Repeat("Tom", 50<<20)),
			`eleves.csv, ligne 3 : ligne de plus de 1 Mo`},
		{"a name of 300 characters", "eleves.csv", hostile.Text(rosterHead + "MARTIN;" + strings.Repeat("Tom-", 75) + ";3E2\n"),
			`eleves.csv, ligne 3, colonne « Prénom » : « Tom-Tom-.*… \(300 caractères en tout\) » est trop long pour des prénoms \(300 caractères, au plus 200\)`},
		{"a class of a paragraph", "eleves.csv", hostile.Text(rosterHead + "MARTIN;Tom;" + strings.Repeat("3E2 ", 40) + "\n"),
			`eleves.csv, ligne 3, colonne « Classe » : .* est trop long pour une classe \(159 caractères, au plus 100\)`},
		{"a NUL past the first 64 KB", "eleves.csv", hostile.Concat(hostile.Text("Nom;Prénom;Classe\n"),
			hostile.Lines(500, func(i int) string { return fmt.Sprintf("NOM%d;Léa%s;3E2\n", i, strings.Repeat(" Marie", 25)) }),
			hostile.Text("MARTIN;T\x00m;3E2\n")),
			`eleves.csv, ligne 502 : caractère nul \(octet 0\) dans cette ligne : ce n'est pas un fichier texte, ou il est endommagé`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newHostileStore(t)
			path := writeHostile(t, tt.file, tt.write)
			code, stdout, stderr := run(t, s.db, "import", path)
			if code != ExitInvalidFiles || stdout != "" {
				t.Errorf("exit code %d, stdout %q; want %d and nothing", code, stdout, ExitInvalidFiles)
			}
			if !matchLine(stderr, tt.want) {
				t.Errorf("stderr:\n%s\nwant a line matching %s", stderr, tt.want)
			}
			if !strings.Contains(stderr, "rien n'a été importé, la base est inchangée") {
				t.Errorf("stderr does not say the store is unchanged:\n%s", stderr)
			}
			s.unchanged(t)
		})
	}
}

func manyParts(n int) []hostile.Part {
	parts := make([]hostile.Part, n)
	for i := range parts {
		parts[i] = hostile.Part{Name: fmt.Sprintf("f%d.xml", i), Write: hostile.Text("<a/>")}
	}
	return parts
}

func TestDevicesAreRefused(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	s := newHostileStore(t)
	code, _, stderr := run(t, s.db, "import", "/dev/zero")
	if code != ExitInvalidFiles || !matchLine(stderr, `^erreur : /dev/zero : c'est un périphérique \(terminal, disque, /dev/zero…\), pas un fichier`) {
		t.Errorf("exit code %d, stderr:\n%s", code, stderr)
	}
	s.unchanged(t)
}

// TestStandardInput: "-" reads standard input, recognised as a file is.
func TestStandardInput(t *testing.T) {
	s := newHostileStore(t)
	roster, err := os.ReadFile(samples.Path("roster-extraction-cp1252.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w.Write(roster)
		w.Close()
	}()
	var stdout, stderr bytes.Buffer
	code := Main([]string{"--db", s.db, "import", "--dry-run", "-"}, r, &stdout, &stderr)
	r.Close()
	if code != ExitOK || !matchLine(stderr.String(), `^entrée standard : liste d'élèves, extraction de logiciel de vie scolaire \(encodage Windows-1252, séparateur point-virgule\)$`) {
		t.Errorf("exit code %d, stderr:\n%s", code, stderr.String())
	}
	s.unchanged(t)

	t.Run("twice", func(t *testing.T) {
		code, _, stderr := run(t, s.db, "import", "-", "eleves.csv", "-")
		if code != ExitUsage || !strings.Contains(stderr, "« - » (l'entrée standard) est donné 2 fois : elle ne se lit qu'une fois") {
			t.Errorf("exit code %d, stderr:\n%s", code, stderr)
		}
	})
	t.Run("a terminal", func(t *testing.T) {
		var errOut bytes.Buffer
		f := &Factory{In: os.Stdin, Err: &errOut, IsTerminal: func(any) bool { return true }}
		cmd := newImportCmd(f, nil)
		cmd.SetArgs([]string{"-"})
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "qui est ici le terminal : donnez le fichier à travers un tube ou une redirection, par exemple « pixcert import - < eleves.csv »") {
			t.Errorf("err = %v, want a usage error with a hint", err)
		}
	})
}

func matchLine(text, pattern string) bool {
	for _, line := range strings.Split(text, "\n") {
		if matched, _ := regexp.MatchString(pattern, line); matched {
			return true
		}
	}
	return false
}
