// Package importer reads the files a user gives to `pixcert import`,
// recognises each from its content, checks every row of every file and
// stores them in one transaction: all the files, or nothing.
package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"pixcert/internal/collecte"
	"pixcert/internal/fileerr"
	"pixcert/internal/roster"
	"pixcert/internal/store"
	"pixcert/internal/tabfile"
)

// ErrInvalidFiles means at least one file had a problem; nothing was stored.
var ErrInvalidFiles = errors.New("import refusé : aucun fichier n'a été enregistré")

// Kind is what a file was recognised as.
type Kind string

const (
	KindRoster   Kind = "liste d'élèves"
	KindCollecte Kind = "export « Collecte de profils »"
)

// Options tune an import.
type Options struct {
	Encoding  *tabfile.Encoding // forced; nil to detect
	Separator rune              // forced; 0 to detect
	Sheet     string            // sheet of a workbook; "" for the first
	DryRun    bool              // check and summarise, store nothing
	Now       time.Time
}

// FileResult is what became of one file.
type FileResult struct {
	Name   string
	Kind   Kind
	Format string // roster layout, or the campaign(s) of an export
	Source string // how it was read: encoding and separator, sheet, archive
	Rows   int
	Notes  []string // what a person should know of what was read

	// roster
	Added, Updated, Unchanged int

	// export
	NewRows int
	store.FileSummary

	Errors   fileerr.Collector
	Warnings fileerr.Collector
}

// Result is what became of every file of one import.
type Result struct {
	Files      []*FileResult
	LeftRoster int // students of the previous roster absent from the new one
	DryRun     bool
}

// HasErrors tells whether any file had a problem.
func (r *Result) HasErrors() bool {
	for _, f := range r.Files {
		if f.Errors.Total > 0 {
			return true
		}
	}
	return false
}

// Run imports the files at paths into st. When any file has a problem, it
// returns the result with every problem and ErrInvalidFiles, and the store is
// unchanged.
func Run(ctx context.Context, st *store.Store, paths []string, opts Options) (*Result, error) {
	im, err := st.BeginImport(ctx)
	if err != nil {
		return nil, err
	}
	defer im.Rollback() // a no-op after Commit

	res := &Result{DryRun: opts.DryRun}
	for i, path := range paths {
		fr := &FileResult{Name: path}
		res.Files = append(res.Files, fr)
		// Once a file is wrong nothing will be stored: the rest is only checked.
		write := !res.HasErrors()
		if err := readFile(im, i, path, fr, opts, write); err != nil {
			return nil, err
		}
	}
	if res.HasErrors() {
		return res, ErrInvalidFiles
	}
	summaries, left, err := im.Finish()
	if err != nil {
		return nil, err
	}
	res.LeftRoster = left
	for i, fr := range res.Files {
		if fr.Kind == KindCollecte {
			fr.FileSummary = summaries[i]
		}
	}
	if opts.DryRun {
		return res, nil
	}
	return res, im.Commit()
}

// readFile reads one file into the import, whatever its container. Problems
// with the file go to fr.Errors; the error returned is one of the store,
// which ends the import.
func readFile(im *store.Import, fileNo int, path string, fr *FileResult, opts Options, write bool) error {
	file, err := os.Open(path)
	if err != nil {
		fr.Errors.Add(openError(path, err))
		return nil
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		fr.Errors.Add(openError(path, err))
		return nil
	}
	if info.IsDir() {
		fr.Errors.Add(&fileerr.Error{File: path, Msg: "c'est un dossier, pas un fichier : indiquez les fichiers qu'il contient (par exemple dossier/*.csv)."})
		return nil
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(file, head)
	head = head[:n]
	content := io.MultiReader(bytes.NewReader(head), file)
	r := reader{im: im, fileNo: fileNo, fr: fr, opts: opts, write: write}

	switch kind := sniff(head); kind {
	case sniffZip:
		err = r.readZip(file, info.Size())
	case sniffXML:
		fr.Source = "XML"
		err = r.readSIECLEXML(content)
	case sniffCSV:
		tf, openErr := tabfile.Open(path, content, tabfile.Options{Encoding: opts.Encoding, Separator: opts.Separator})
		if openErr != nil {
			err = fileProblem(fr, openErr)
			break
		}
		err = r.readTable(tf)
	default:
		fr.Errors.Add(&fileerr.Error{File: path, Msg: refusals[kind]})
	}
	return err
}

// reader reads the content of one file into the import.
type reader struct {
	im     *store.Import
	fileNo int
	fr     *FileResult
	opts   Options
	write  bool // false once any file is wrong: nothing will be stored
}

// fileProblem files a *fileerr.Error among the file's problems and returns
// any other error.
func fileProblem(fr *FileResult, err error) error {
	var fe *fileerr.Error
	if errors.As(err, &fe) {
		fr.Errors.Add(fe)
		return nil
	}
	return err
}

// readTable reads a table (CSV or sheet) recognised from its header.
func (r reader) readTable(tf *tabfile.File) error {
	defer tf.Close()
	fr := r.fr
	fr.Source = tf.Source
	if collecte.IsEvaluation(tf) {
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: "c'est l'export d'une campagne « Évaluation » : il ne dit rien de la certificabilité. " +
			"Dans Pix Orga, téléchargez les résultats d'une campagne « Collecte de profils » (onglet Résultats, « Exporter les résultats »)."})
		return nil
	}
	if cr, ok := collecte.Detect(tf); ok {
		fr.Kind = KindCollecte
		campaigns := map[string]bool{}
		return cr.Read(&fr.Errors, &fr.Warnings, func(p collecte.Participation) error {
			fr.Rows++
			if !campaigns[p.CampaignName] {
				campaigns[p.CampaignName] = true
				if fr.Format == "" {
					fr.Format = fmt.Sprintf("campagne « %s »", p.CampaignName)
				} else {
					fr.Format = strings.Replace(fr.Format, "campagne ", "campagnes ", 1) + fmt.Sprintf(", « %s »", p.CampaignName)
				}
			}
			if !r.write || fr.Errors.Total > 0 {
				return nil
			}
			added, err := r.im.AddParticipation(r.fileNo, p)
			if added {
				fr.NewRows++
			}
			return err
		})
	}
	if rr, ok := roster.Detect(tf, r.opts.Now); ok {
		fr.Kind, fr.Format = KindRoster, rr.Format
		return rr.Read(&fr.Errors, r.addStudent)
	}
	fr.Errors.Add(&fileerr.Error{File: fr.Name, Line: tf.HeaderLine, Msg: "type de fichier non reconnu d'après sa ligne d'en-tête. pixcert lit : " +
		"une liste d'élèves (colonnes nom, prénom et classe, par exemple « Nom de famille », « Premier prénom », « Division » ou « Élève », « Classe »), " +
		"l'export SIECLE ElevesSansAdresses.xml, et l'export des résultats d'une campagne « Collecte de profils » de Pix Orga (colonnes « Nom du Participant », « Envoi (O/N) »…)."})
	return nil
}

// addStudent stores a roster student, the first one of the import making
// the roster the new current list.
func (r reader) addStudent(s roster.Student) error {
	fr := r.fr
	fr.Rows++
	if !r.write || fr.Errors.Total > 0 {
		return nil
	}
	if err := r.im.BeginRoster(); err != nil {
		return err
	}
	change, err := r.im.AddStudent(s)
	switch change {
	case store.StudentAdded:
		fr.Added++
	case store.StudentUpdated:
		fr.Updated++
	case store.StudentUnchanged:
		fr.Unchanged++
	}
	return err
}

func (r reader) readSIECLEXML(content io.Reader) error {
	r.fr.Kind, r.fr.Format = KindRoster, roster.SIECLEXMLFormat
	skipped, err := roster.ReadSIECLEXML(r.fr.Name, content, r.opts.Now, &r.fr.Errors, r.addStudent)
	if skipped.Left > 0 {
		r.fr.Notes = append(r.fr.Notes, plural(skipped.Left, "élève sorti de l'établissement (DATE_SORTIE) ignoré", "élèves sortis de l'établissement (DATE_SORTIE) ignorés")+", comme le fait Pix")
	}
	if n := skipped.NoID + skipped.NoDivision; n > 0 {
		r.fr.Notes = append(r.fr.Notes, plural(n, "élève sans INE ou sans division ignoré", "élèves sans INE ou sans division ignorés")+", comme le fait Pix")
	}
	return err
}

// readZip reads a workbook (.xlsx) or a zip holding the SIECLE XML export.
func (r reader) readZip(file *os.File, size int64) error {
	fr := r.fr
	zr, err := zip.NewReader(file, size)
	if err != nil {
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: fmt.Sprintf("archive illisible (%v) : le fichier est peut-être incomplet ; téléchargez-le à nouveau.", err)})
		return nil
	}
	var xmls []*zip.File
	for _, f := range zr.File {
		switch {
		case f.Name == "xl/workbook.xml":
			tf, err := tabfile.OpenXLSX(fr.Name, file.Name(), r.opts.Sheet)
			if err != nil {
				return fileProblem(fr, err)
			}
			return r.readTable(tf)
		case f.Name == "mimetype":
			fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: "c'est un classeur LibreOffice (.ods), que pixcert ne lit pas : dans LibreOffice, « Enregistrer sous » au format Excel (.xlsx) ou CSV."})
			return nil
		case strings.EqualFold(path.Ext(f.Name), ".xml") && !strings.HasPrefix(path.Base(f.Name), "."):
			xmls = append(xmls, f)
		}
	}
	if len(xmls) == 0 {
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: "archive .zip sans export SIECLE (aucun fichier .xml) : pixcert lit dans une archive le fichier ElevesSansAdresses.xml ; sinon, extrayez les fichiers et importez-les."})
		return nil
	}
	chosen := xmls[0]
	for _, f := range xmls {
		if strings.HasPrefix(strings.ToLower(path.Base(f.Name)), "elevessansadresses") {
			chosen = f
		}
	}
	rc, err := chosen.Open()
	if err != nil {
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: fmt.Sprintf("%s illisible dans l'archive (%v).", chosen.Name, err)})
		return nil
	}
	defer rc.Close()
	fr.Source = fmt.Sprintf("archive .zip, fichier %s", chosen.Name)
	return r.readSIECLEXML(rc)
}

// What a file is, from its first bytes.
type sniffed int

const (
	sniffCSV sniffed = iota
	sniffZip
	sniffXML
	sniffXLS
	sniffPDF
)

func sniff(head []byte) sniffed {
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \r\n\t")
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		return sniffXLS
	case bytes.HasPrefix(head, []byte("%PDF")):
		return sniffPDF
	case bytes.HasPrefix(text, []byte("<?xml")), bytes.HasPrefix(text, []byte("<BEE_ELEVES")):
		return sniffXML
	}
	return sniffCSV
}

// refusals say what to do with a file pixcert does not read.
var refusals = map[sniffed]string{
	sniffXLS: "c'est un classeur Excel ancien (.xls) : dans Excel, « Enregistrer sous » au format « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) ».",
	sniffPDF: "c'est un document PDF : pixcert lit les fichiers CSV ou Excel téléchargés depuis Pix Orga ou extraits du logiciel de vie scolaire.",
}

func openError(path string, err error) *fileerr.Error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &fileerr.Error{File: path, Msg: "fichier introuvable : vérifiez son nom et le dossier où la commande est lancée."}
	case errors.Is(err, fs.ErrPermission):
		return &fileerr.Error{File: path, Msg: "lecture refusée : vous n'avez pas le droit de lire ce fichier."}
	}
	return &fileerr.Error{File: path, Msg: fmt.Sprintf("le fichier ne peut pas être ouvert (%v).", err)}
}
