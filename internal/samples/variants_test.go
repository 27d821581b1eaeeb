package samples_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/pixcert/pixcert/internal/samples"
)

var updateVariants = flag.Bool("update-variants", false, "rewrite testdata/variants from testdata/samples")

// TestMakeVariants writes, from the samples, the files Excel and school
// software make of them: the end-to-end scripts check that each gives the
// same statuses as the original. Run with -update-variants after changing a
// sample; without it, it checks that every variant is there.
func TestMakeVariants(t *testing.T) {
	dir := filepath.Join(samples.Dir, "..", "variants")
	variants := map[string]func(t *testing.T) []byte{
		// Excel, "CSV (séparateur : point-virgule)": Windows-1252, CRLF, no BOM,
		// quotes only where needed.
		"roster-siecle-excel.csv": func(t *testing.T) []byte { return resave(t, "roster-siecle.csv", ';', charmap.Windows1252, keep) },
		"collecte-sco-excel.csv":  func(t *testing.T) []byte { return resave(t, "collecte-sco.csv", ';', charmap.Windows1252, keep) },
		"collecte-sco-excel-en.csv": func(t *testing.T) []byte {
			// An English-locale Excel: commas, and sendings re-typed as dates alone.
			return resave(t, "collecte-sco.csv", ',', charmap.Windows1252, dateOnly)
		},
		// Excel, "Texte Unicode": UTF-16 with a BOM, tab separated.
		"roster-siecle-unicode.txt": func(t *testing.T) []byte { return resave(t, "roster-siecle.csv", '\t', utf16, keep) },
		"collecte-sco-unicode.txt":  func(t *testing.T) []byte { return resave(t, "collecte-sco.csv", '\t', utf16, keep) },
		// A Mac: Mac Roman; Excel for Mac's "CSV (Macintosh)" ends lines with CR.
		"roster-extraction-macroman.csv": func(t *testing.T) []byte {
			return resave(t, "roster-extraction-cp1252.csv", ';', charmap.Macintosh, keep)
		},
		"roster-siecle-macintosh.csv": func(t *testing.T) []byte {
			return bytes.ReplaceAll(resave(t, "roster-siecle.csv", ';', charmap.Macintosh, keep), []byte("\r\n"), []byte("\r"))
		},
		// Workbooks, as Excel saves them: dates as date cells, numbers as numbers.
		"roster-siecle.xlsx": func(t *testing.T) []byte { return workbook(t, "roster-siecle.csv", false) },
		// A workbook that opens on a notice, the list on its second sheet.
		"roster-siecle-notice.xlsx": func(t *testing.T) []byte { return workbook(t, "roster-siecle.csv", true) },
		"collecte-sco.xlsx":         func(t *testing.T) []byte { return workbook(t, "collecte-sco.csv", false) },
		// SIECLE's XML export, zipped as it is downloaded.
		"ElevesSansAdresses.zip": func(t *testing.T) []byte { return zipped(t, "ElevesSansAdresses.xml") },
	}
	for name, make := range variants {
		path := filepath.Join(dir, name)
		if !*updateVariants {
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s is missing: run go test ./internal/samples -run TestMakeVariants -update-variants", path)
			}
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, make(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var utf16 = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)

func keep(s string) string { return s }

// dateOnly re-types "14/03/2026 10:42" as "14/03/2026".
func dateOnly(s string) string {
	if len(s) == 16 && s[2] == '/' && s[13] == ':' {
		return s[:10]
	}
	return s
}

func records(t *testing.T, sample string) [][]string {
	t.Helper()
	data := samples.Read(t, sample)
	text := string(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))
	if sample == "roster-extraction-cp1252.csv" {
		decoded, err := charmap.Windows1252.NewDecoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		text = decoded
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func resave(t *testing.T, sample string, sep rune, enc encoding.Encoding, retype func(string) string) []byte {
	t.Helper()
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	w.Comma, w.UseCRLF = sep, true
	for i, rec := range records(t, sample) {
		for j := range rec {
			if i > 0 {
				rec[j] = retype(rec[j])
			}
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	b, err := enc.NewEncoder().Bytes(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// workbook puts a sample in a sheet the way Excel does when it opens the CSV
// and saves it as .xlsx: numbers become numbers, dates become date cells.
func workbook(t *testing.T, sample string, notice bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Feuil1"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	if notice {
		f.SetCellStr(sheet, "A1", "Liste des élèves à importer dans Pix Orga")
		f.SetCellStr(sheet, "A2", "Mise à jour : voir la feuille Élèves")
		sheet = "Élèves"
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	dateTimeFormat := "dd/mm/yyyy hh:mm"
	dateTimeStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeFormat})
	for i, rec := range records(t, sample) {
		for j, cell := range rec {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if i == 0 {
				f.SetCellStr(sheet, ref, cell)
				continue
			}
			if d, err := time.Parse("02/01/2006 15:04", cell); err == nil {
				f.SetCellValue(sheet, ref, d)
				f.SetCellStyle(sheet, ref, ref, dateTimeStyle)
			} else if d, err := time.Parse("02/01/2006", cell); err == nil {
				f.SetCellValue(sheet, ref, d)
				f.SetCellStyle(sheet, ref, ref, dateStyle)
			} else if n, err := strconv.Atoi(cell); err == nil && len(cell) < 10 && !strings.HasPrefix(cell, "0") {
				f.SetCellInt(sheet, ref, int64(n))
			} else {
				f.SetCellStr(sheet, ref, cell)
			}
		}
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func zipped(t *testing.T, sample string) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: sample, Method: zip.Deflate, Modified: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(samples.Read(t, sample)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
