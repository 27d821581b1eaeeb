// Package importer reads the files a user gives to `pixcert import`,
// recognises each from its content, checks every row of every file and
// stores them in one transaction: all the files, or nothing.
package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/certresults"
	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/match"
	"github.com/pixcert/pixcert/internal/roster"
	"github.com/pixcert/pixcert/internal/store"
	"github.com/pixcert/pixcert/internal/tabfile"
	"github.com/pixcert/pixcert/internal/visible"
)

// ErrInvalidFiles means at least one file had a problem; nothing was stored.
var ErrInvalidFiles = errors.New("import refusé : aucun fichier n'a été enregistré")

// Kind is what a file was recognised as.
type Kind string

const (
	KindRoster   Kind = "liste d'élèves"
	KindCollecte Kind = "export « Collecte de profils »"
	// KindResults is Pix Orga's export of certification results
	// (pix-formats.md §7).
	KindResults Kind = "export des résultats de certification"
)

// Options tune an import.
type Options struct {
	Encoding  *tabfile.Encoding // forced; nil to detect
	Separator rune              // forced; 0 to detect
	Sheet     string            // sheet of a workbook; "" for the first
	DryRun    bool              // check and summarise, store nothing
	Now       time.Time
	// Stdin is what the file "-" reads: standard input, which the caller
	// checks is not a terminal.
	Stdin io.Reader
	// Establishment names the establishment of the files that name none
	// (--etablissement), as store.Choose finds it; "" to let the files
	// and the store tell.
	Establishment string
	// Progress, when not nil, is kept up to date for a progress bar.
	Progress *Progress
}

// FileResult is what became of one file.
type FileResult struct {
	Name   string
	Kind   Kind
	Format string // roster layout, or the campaign(s) of an export
	Source string // how it was read: encoding and separator, sheet, archive
	Rows   int
	Notes  []string // what a person should know of what was read

	// Establishment is the one the file belongs to, "" while no export
	// has named it; NewEstablishment when this import added it.
	Establishment    string
	NewEstablishment bool
	// Already is the earlier import of the same file: it was not read.
	Already store.PreviousImport

	// roster
	Added, Updated, Unchanged int

	// export, results
	store.FileSummary
	// results: Pix Certif's sessions the file holds, in order met
	Sessions []string

	Errors   fileerr.Collector
	Warnings fileerr.Collector
}

// Result is what became of every file of one import.
type Result struct {
	Files      []*FileResult
	LeftRoster int              // students of the previous roster absent from the new one
	Renamed    []store.Renaming // establishments whose organization changed its name in Pix
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

// StdinName is how messages name standard input, the file "-".
const StdinName = "entrée standard"

// Run imports the files at paths into st; "-" is opts.Stdin. When any file
// has a problem, it returns the result with every problem and
// ErrInvalidFiles, and the store is unchanged.
func Run(ctx context.Context, st *store.Store, paths []string, opts Options) (*Result, error) {
	res := &Result{DryRun: opts.DryRun}
	// Each file is opened once, here, and stays open until the import
	// ends: a pipe is read once, a workbook opened once.
	inputs := make([]*input, len(paths))
	defer func() {
		for _, in := range inputs {
			in.close()
		}
	}()
	stdinTaken := false
	progress := opts.Progress
	for i, path := range paths {
		inputs[i] = openInput(path, opts, &stdinTaken)
		res.Files = append(res.Files, &FileResult{Name: inputs[i].name})
		if progress != nil {
			progress.totalBytes.Add(inputs[i].size)
		}
	}
	// Rosters first, whatever the order given: a participant is matched
	// with the roster of its establishment as it is stored.
	progress.setPhase(PhaseSurvey)
	plans, order, err := survey(inputs, opts)
	if err != nil {
		return nil, err
	}
	im, err := st.BeginImport(ctx, opts.Now)
	if err != nil {
		return nil, err
	}
	defer im.Rollback() // a no-op after Commit
	decisions, err := im.Plan(plans, opts.Establishment)
	if err != nil {
		return nil, err
	}
	progress.setPhase(PhaseReading)
	if progress != nil {
		progress.files.Store(int32(len(order)))
	}
	var done int64 // bytes of the files before this one
	for k, i := range order {
		if progress != nil {
			// The files before whole, whatever their reading counted: a
			// workbook or an archive is read by others, a head twice.
			progress.bytes.Store(done)
			progress.file.Store(int32(k + 1))
			done += inputs[i].size
		}
		fr, d := res.Files[i], decisions[i]
		fr.Establishment, fr.NewEstablishment = d.Establishment, d.NewEstablishment
		switch {
		case d.Err != nil:
			fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: d.Err.Error() + "."})
			continue
		case !d.Already.ImportedAt.IsZero() || d.Already.ThisRun:
			fr.Kind, fr.Already = kindOf(plans[i].Kind), d.Already
			continue
		}
		if prev := d.ReadAgain; !prev.ImportedAt.IsZero() {
			fr.Notes = append(fr.Notes, fmt.Sprintf("déjà importé le %s : relu, car c'est l'export importé en dernier qui fait foi "+
				"pour chaque certification", prev.ImportedAt.Local().Format("02/01/2006")))
		}
		// Once a file is wrong nothing will be stored: the rest is only checked.
		write := !res.HasErrors()
		err := readFile(im, i, inputs[i], fr, opts, write)
		inputs[i].close() // what it holds (a workbook's) is of no more use
		if err != nil {
			return nil, err
		}
	}
	if res.HasErrors() {
		return res, ErrInvalidFiles
	}
	progress.setPhase(PhaseStoring)
	summaries, left, err := im.Finish()
	if err != nil {
		return nil, err
	}
	res.LeftRoster, res.Renamed = left, im.Renamed()
	for i, fr := range res.Files {
		if s, ok := summaries[i]; ok && (fr.Kind == KindCollecte || fr.Kind == KindResults) {
			fr.FileSummary = s
		}
	}
	if opts.DryRun {
		return res, nil
	}
	return res, im.Commit()
}

func kindOf(k store.Kind) Kind {
	switch k {
	case store.KindRoster:
		return KindRoster
	case store.KindResults:
		return KindResults
	}
	return KindCollecte
}

// input is one file given to the import, opened once for the whole import.
type input struct {
	name string   // in messages: the path as given, or StdinName
	file *os.File // nil when it cannot be read: problem says why
	// path is where excelize opens a workbook: the file, or its copy.
	path string
	size int64
	// copy is the temporary copy of a pipe or standard input, which is
	// read once, removed at the end.
	copy    string
	sha256  string // of a copy, computed while copying
	problem *fileerr.Error

	// What the survey found, for the reading.
	book      *tabfile.Workbook
	bookErr   error
	sheet     string // of book, whose header is known
	xmlParams roster.XMLParams
}

// openFile is os.Open; tests count how often a file is opened.
var openFile = os.Open

// openInput opens the file at path, or standard input for "-". What
// cannot be read is told as a problem when the file is read.
func openInput(path string, opts Options, stdinTaken *bool) *input {
	if path == "-" {
		in := &input{name: StdinName}
		switch {
		case opts.Stdin == nil:
			in.problem = &fileerr.Error{File: in.name, Msg: "l'entrée standard n'est pas disponible."}
		case *stdinTaken:
			in.problem = &fileerr.Error{File: in.name, Msg: "« - » est donné deux fois : l'entrée standard ne se lit qu'une fois."}
		default:
			*stdinTaken = true
			in.copyOf(opts.Stdin)
		}
		return in
	}
	in := &input{name: path, path: path}
	file, err := openFile(path)
	if err != nil {
		in.problem = openError(path, err)
		return in
	}
	info, err := file.Stat()
	switch {
	case err != nil:
		in.problem = openError(path, err)
	case info.IsDir():
		in.problem = &fileerr.Error{File: path, Msg: "c'est un dossier, pas un fichier : indiquez les fichiers qu'il contient (par exemple dossier/*.csv)."}
	case info.Mode()&os.ModeDevice != 0:
		in.problem = &fileerr.Error{File: path, Msg: "c'est un périphérique (terminal, disque, /dev/zero…), pas un fichier : " +
			"indiquez un fichier CSV, Excel (.xlsx) ou XML, ou « - » pour lire l'entrée standard à travers un tube."}
	case info.Mode().IsRegular():
		in.file, in.size = file, info.Size()
		return in
	default:
		// A named pipe, or a pipe such as /dev/stdin or <(...): it can be
		// read once only.
		in.copyOf(file)
	}
	file.Close()
	return in
}

// maxCopied is limits.MaxSpooledBytes, but in tests.
var maxCopied int64 = limits.MaxSpooledBytes

// copyOf copies r, once, into a temporary file readable by its owner only,
// computing its SHA-256 on the way: up to limits.MaxSpooledBytes.
func (in *input) copyOf(r io.Reader) {
	tmp, err := os.CreateTemp("", "pixcert-entree-")
	if err != nil {
		in.problem = &fileerr.Error{File: in.name, Msg: fmt.Sprintf("pas de fichier temporaire où le copier pour le lire (%v).", err)}
		return
	}
	in.copy = tmp.Name()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, maxCopied+1))
	switch {
	case err != nil:
		in.problem = &fileerr.Error{File: in.name, Msg: fmt.Sprintf("lecture interrompue (%v).", err)}
	case n > maxCopied:
		in.problem = &fileerr.Error{File: in.name, Msg: fmt.Sprintf("plus de %s lus : pixcert copie ce qu'il lit à travers un tube avant de le lire, "+
			"et s'arrête au-delà. Donnez plutôt le fichier par son nom.", limits.Size(maxCopied))}
	}
	if in.problem != nil {
		tmp.Close()
		return
	}
	in.file, in.path, in.size, in.sha256 = tmp, tmp.Name(), n, hex.EncodeToString(h.Sum(nil))
}

// close releases what the input holds: its file, its workbook and the
// files it extracted, its copy.
func (in *input) close() {
	if in.book != nil {
		in.book.Close()
		in.book = nil
	}
	if in.file != nil {
		in.file.Close()
		in.file = nil
	}
	if in.copy != "" {
		os.Remove(in.copy)
		in.copy = ""
	}
}

// hash is the SHA-256 of the file's bytes, which tells a file imported
// again.
func (in *input) hash(progress *Progress) (string, error) {
	if in.sha256 != "" {
		return in.sha256, nil
	}
	if _, err := in.file.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, progress.counted(in.file, PhaseSurvey)); err != nil {
		return "", err
	}
	in.sha256 = hex.EncodeToString(h.Sum(nil))
	return in.sha256, nil
}

// survey looks at every file before any is read: what it is, where it
// comes from, its SHA-256; and orders them, rosters first, then the
// others, each in the order given. The problems of a file are told when it
// is read.
func survey(inputs []*input, opts Options) (plans []store.FilePlan, order []int, err error) {
	var rosters, others []int
	books := &workbookBudget{left: openWorkbooksBudget}
	for i, in := range inputs {
		plan := planOf(in, opts, books)
		if plan.Kind != "" {
			if plan.SHA256, err = in.hash(opts.Progress); err != nil {
				plan.Kind = "" // unreadable: told when it is read
			}
			plan.Bytes = in.size
		}
		plan.Name = in.name
		plans = append(plans, plan)
		if plan.Kind == store.KindRoster {
			rosters = append(rosters, i)
		} else {
			others = append(others, i)
		}
	}
	return plans, append(rosters, others...), nil
}

// workbookBudget is what the workbooks of one import may still hold in
// memory: each stays open from the survey until it is read.
type workbookBudget struct{ left int64 }

// openWorkbooksBudget is limits.MaxOpenWorkbooksInMemoryBytes, but in tests.
var openWorkbooksBudget int64 = limits.MaxOpenWorkbooksInMemoryBytes

// planOf opens a file up to what says where it comes from: the first row
// of an export, the head of a SIECLE XML export.
func planOf(in *input, opts Options, books *workbookBudget) store.FilePlan {
	var ignored fileerr.Collector
	c, err := openContent(in, opts, books, &ignored)
	if err != nil || c == nil {
		return store.FilePlan{}
	}
	defer c.close()
	switch c.kind(opts) {
	case KindRoster:
		plan := store.FilePlan{Kind: store.KindRoster}
		if c.xml != nil {
			in.xmlParams = roster.PeekSIECLEXML(c.xml)
			plan.UAI = in.xmlParams.UAI
		}
		return plan
	case KindCollecte:
		plan := store.FilePlan{Kind: store.KindCollecte}
		cr, _ := collecte.Detect(c.table)
		cr.Read(&ignored, &ignored, func(p collecte.Participation) error {
			plan.Organization, plan.CampaignID = p.Organization, p.CampaignID
			return errFirstRow
		})
		return plan
	case KindResults:
		return store.FilePlan{Kind: store.KindResults}
	}
	return store.FilePlan{}
}

var errFirstRow = errors.New("première ligne lue")

// content is an opened file: a table (CSV or a workbook's sheet) or the
// SIECLE XML export.
type content struct {
	table  *tabfile.File
	xml    io.Reader
	source string
	closer []func() error
	// firstLine is where the table's first row is, which an unknown file's
	// message points at even after looking further down for a header.
	firstLine int
}

// maxTitleRows is how far below the first row a header is looked for:
// extractions often put a title or a date above it.
const maxTitleRows = 5

// findHeader looks a few rows down for a header pixcert knows, when the
// first row is not one.
func (c *content) findHeader(opts Options) {
	c.firstLine = c.table.HeaderLine
	for tries := 0; tries < maxTitleRows && c.kind(opts) == kindUnknown; tries++ {
		if c.table.NextHeader() != nil {
			return
		}
	}
}

func (c *content) close() {
	for _, f := range c.closer {
		f()
	}
}

// kinds of file, besides KindRoster and KindCollecte.
const (
	kindEvaluation Kind = "export d'une campagne « Évaluation »"
	kindUnknown    Kind = ""
)

// kind recognises a file from its header.
func (c *content) kind(opts Options) Kind {
	switch {
	case c.xml != nil:
		return KindRoster
	case collecte.IsEvaluation(c.table):
		return kindEvaluation
	}
	if _, ok := certresults.Detect(c.table, opts.Now); ok {
		return KindResults
	}
	if _, ok := collecte.Detect(c.table); ok {
		return KindCollecte
	}
	if _, ok := roster.Detect(c.table, opts.Now); ok {
		return KindRoster
	}
	return kindUnknown
}

// openContent reads the input from its start, whatever its container, up
// to its header; it is called by the survey, then again to read the file.
// A workbook is opened the first time only (books bounds what they hold in
// memory). Problems with the file go to problems and it returns nil; the
// error returned is another failure.
func openContent(in *input, opts Options, books *workbookBudget, problems *fileerr.Collector) (*content, error) {
	if in.problem != nil {
		problems.Add(in.problem)
		return nil, nil
	}
	if _, err := in.file.Seek(0, io.SeekStart); err != nil {
		problems.Add(openError(in.name, err))
		return nil, nil
	}
	c := &content{}
	fail := func(e *fileerr.Error) (*content, error) {
		problems.Add(e)
		c.close()
		return nil, nil
	}
	file := opts.Progress.counted(in.file, PhaseReading)
	head := make([]byte, 512)
	n, _ := io.ReadFull(file, head)
	head = head[:n]
	rest := io.MultiReader(bytes.NewReader(head), file)

	switch kind := sniff(head); kind {
	case sniffZip:
		return openZip(c, in, opts, books, problems)
	case sniffXML:
		c.xml, c.source = rest, "XML"
	case sniffCSV:
		tf, err := tabfile.Open(in.name, rest, tabfile.Options{Encoding: opts.Encoding, Separator: opts.Separator})
		var fe *fileerr.Error
		if errors.As(err, &fe) {
			return fail(fe)
		}
		if err != nil {
			return nil, err
		}
		c.table, c.source = tf, tf.Source
		c.findHeader(opts)
	default:
		return fail(&fileerr.Error{File: in.name, Msg: refusals[kind]})
	}
	return c, nil
}

// archiveHint ends the message of an archive past a limit.
const archiveHint = "pixcert lit dans une archive l'export SIECLE ElevesSansAdresses.xml : exportez-le à nouveau depuis SIECLE, ou extrayez-le de l'archive et importez le fichier .xml."

// nestedArchives are the extensions of archives, which pixcert does not
// open inside an archive: a bomb is often an archive of archives.
var nestedArchives = []string{".zip", ".xlsx", ".xlsm", ".ods", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".jar"}

// openZip opens a workbook (.xlsx) or a zip holding the SIECLE XML export.
func openZip(c *content, in *input, opts Options, books *workbookBudget, problems *fileerr.Collector) (*content, error) {
	fail := func(msg string) (*content, error) {
		problems.Add(&fileerr.Error{File: in.name, Msg: msg})
		c.close()
		return nil, nil
	}
	failWith := func(err error) (*content, error) {
		var fe *fileerr.Error
		if errors.As(err, &fe) {
			problems.Add(fe)
			c.close()
			return nil, nil
		}
		return fail(fmt.Sprintf("archive illisible (%v) : le fichier est peut-être incomplet ; téléchargez-le à nouveau.", err))
	}
	zr, err := limits.OpenZip(in.name, in.file, in.size, "l'archive",
		"Si c'est un classeur Excel, enregistrez-le au format CSV ; si c'est l'export SIECLE, extrayez-en ElevesSansAdresses.xml et importez-le.")
	if err != nil {
		return failWith(err)
	}
	for _, f := range zr.File {
		switch f.Name {
		case "xl/workbook.xml":
			return openWorkbook(c, in, opts, books, problems)
		case "mimetype":
			return fail("c'est un classeur LibreOffice (.ods), que pixcert ne lit pas : dans LibreOffice, « Enregistrer sous » au format Excel (.xlsx) ou CSV.")
		}
	}
	if err := limits.CheckZip(in.name, zr, in.size, limits.Zip{MaxEntryBytes: limits.MaxSIECLEXMLBytes, MaxTotalBytes: limits.MaxArchiveBytes,
		Of: "l'archive", Hint: archiveHint}); err != nil {
		return failWith(err)
	}
	var xmls []*zip.File
	for _, f := range zr.File {
		ext := strings.ToLower(path.Ext(f.Name))
		switch {
		case slices.Contains(nestedArchives, ext):
			return fail(fmt.Sprintf("l'archive contient une autre archive (« %s ») : pixcert n'ouvre pas d'archive dans une archive. %s", visible.Quote(f.Name), archiveHint))
		case ext == ".xml" && !strings.HasPrefix(path.Base(f.Name), "."):
			xmls = append(xmls, f)
		}
	}
	if len(xmls) == 0 {
		return fail("archive .zip sans export SIECLE (aucun fichier .xml) : pixcert lit dans une archive le fichier ElevesSansAdresses.xml ; sinon, extrayez les fichiers et importez-les.")
	}
	chosen := xmls[0]
	for _, f := range xmls {
		if strings.HasPrefix(strings.ToLower(path.Base(f.Name)), "elevessansadresses") {
			chosen = f
		}
	}
	rc, err := limits.OpenEntry(in.name, chosen)
	if err != nil {
		return fail(fmt.Sprintf("« %s » illisible dans l'archive (%v).", visible.Quote(chosen.Name), err))
	}
	c.xml, c.source = rc, fmt.Sprintf("archive .zip, fichier %s", visible.Quote(chosen.Name))
	c.closer = append(c.closer, rc.Close)
	return c, nil
}

// openWorkbookFile opens a workbook; tests count how often.
var openWorkbookFile = tabfile.OpenWorkbook

// openWorkbook opens the sheet --sheet names or, without it, the first
// sheet whose header pixcert knows: a workbook often opens on a cover page.
// The workbook is opened once, by the survey; the reading reads the sheet
// the survey chose again.
func openWorkbook(c *content, in *input, opts Options, books *workbookBudget, problems *fileerr.Collector) (*content, error) {
	fail := func(err error) (*content, error) {
		c.close()
		var fe *fileerr.Error
		if errors.As(err, &fe) {
			problems.Add(fe)
			return nil, nil
		}
		return nil, err
	}
	if in.bookErr != nil {
		return fail(in.bookErr)
	}
	if in.book == nil {
		if books == nil {
			books = &workbookBudget{left: limits.MaxWorkbookInMemoryBytes}
		}
		book, err := openWorkbookFile(in.name, in.file, in.size, in.path, min(books.left, limits.MaxWorkbookInMemoryBytes))
		if err != nil {
			in.bookErr = err
			return fail(err)
		}
		in.book = book
		books.left -= book.InMemory
		sheets := []string{opts.Sheet}
		if opts.Sheet == "" {
			sheets = book.Sheets
		}
		// The sheet is chosen once: the first whose header is known, else
		// the first that has a header at all.
		chosen, found := "", false
		for _, sheet := range sheets {
			tf, err := book.Sheet(sheet)
			if err != nil {
				if opts.Sheet != "" {
					in.bookErr = err
					return fail(err) // the sheet asked for is missing or empty
				}
				continue // an empty sheet: try the next one
			}
			try := &content{table: tf}
			try.findHeader(opts)
			known := try.kind(opts) != kindUnknown
			tf.Close()
			if !found {
				chosen, found = sheet, true
			}
			if known {
				chosen = sheet
				break
			}
		}
		if !found {
			in.bookErr = &fileerr.Error{File: in.name, Msg: "le classeur est vide : aucune feuille n'a de ligne d'en-tête."}
			return fail(in.bookErr)
		}
		in.sheet = chosen
	}
	tf, err := in.book.Sheet(in.sheet)
	if err != nil {
		return fail(err)
	}
	c.table, c.source = tf, tf.Source
	c.closer = append(c.closer, tf.Close)
	c.findHeader(opts)
	return c, nil
}

// readFile reads one file into the import. Problems with the file go to
// fr.Errors; the error returned is one of the store, which ends the import.
func readFile(im *store.Import, fileNo int, in *input, fr *FileResult, opts Options, write bool) error {
	c, err := openContent(in, opts, nil, &fr.Errors)
	if c == nil || err != nil {
		return err
	}
	defer c.close()
	fr.Source = c.source
	r := reader{im: im, fileNo: fileNo, fr: fr, opts: opts, write: write}
	info := store.FileInfo{Name: fr.Name}
	if c.table != nil {
		if info.Sheet = c.table.Sheet; info.Sheet == "" {
			info.Encoding, info.Separator = c.table.Encoding.Name, c.table.Separator
		}
	}
	switch kind := c.kind(opts); kind {
	case KindRoster:
		if c.xml != nil {
			fr.Kind, fr.Format = KindRoster, roster.SIECLEXMLFormat
			return r.readSIECLEXML(c.xml, in.xmlParams, info)
		}
		rr, _ := roster.Detect(c.table, opts.Now)
		fr.Kind, fr.Format = KindRoster, rr.Format
		info.Format = "liste d'élèves, " + rr.Format
		return r.readRoster(info, func(each func(roster.Student) error) error { return rr.Read(&fr.Errors, each) })
	case KindCollecte:
		cr, _ := collecte.Detect(c.table)
		return r.readExport(cr, info)
	case kindEvaluation:
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: "c'est l'export d'une campagne « Évaluation » : il ne dit rien de la certificabilité. " +
			"Dans Pix Orga, téléchargez les résultats d'une campagne « Collecte de profils » (onglet Résultats, « Exporter les résultats »)."})
	case KindResults:
		rr, _ := certresults.Detect(c.table, opts.Now)
		return r.readResults(rr, info)
	default:
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Line: c.firstLine, Msg: "type de fichier non reconnu d'après sa ligne d'en-tête. pixcert lit : " +
			"une liste d'élèves (colonnes nom, prénom et classe, par exemple « Nom de famille », « Premier prénom », « Division » ou « Élève », « Classe »), " +
			"l'export SIECLE ElevesSansAdresses.xml, l'export des résultats d'une campagne « Collecte de profils » de Pix Orga (colonnes « Nom du Participant », « Envoi (O/N) »…) " +
			"et l'export des résultats de certification de Pix Orga (colonnes « Numéro de certification », « Statut »…)."})
	}
	return nil
}

// reader reads the content of one file into the import.
type reader struct {
	im     *store.Import
	fileNo int
	fr     *FileResult
	opts   Options
	write  bool // false once any file is wrong: nothing will be stored
}

// begin records the file in the import, when it is to be stored.
func (r reader) begin(info store.FileInfo) error {
	if !r.write {
		return nil
	}
	return r.im.BeginFile(r.fileNo, info)
}

// end records how many rows the file held, when it is stored.
func (r reader) end() error {
	if !r.write || r.fr.Errors.Total > 0 {
		return nil
	}
	return r.im.EndFile(r.fileNo, r.fr.Rows)
}

// readExport reads an export in one goroutine and stores it in this one.
// The reading side owns fr.
func (r reader) readExport(cr *collecte.Reader, info store.FileInfo) error {
	fr := r.fr
	fr.Kind = KindCollecte
	info.Format = "export « Collecte de profils »"
	if err := r.begin(info); err != nil {
		return err
	}
	campaigns := map[string]bool{}
	var organization string // of the first row, folded
	firstLine := 0
	err := pipeline(func(emit func(store.ParticipationRow) error) error {
		return cr.Read(&fr.Errors, &fr.Warnings, func(p collecte.Participation) error {
			fr.Rows++
			r.opts.Progress.addRow()
			if !campaigns[p.CampaignName] {
				campaigns[p.CampaignName] = true
				if fr.Format == "" {
					fr.Format = fmt.Sprintf("campagne « %s »", visible.Quote(p.CampaignName))
				} else {
					fr.Format = strings.Replace(fr.Format, "campagne ", "campagnes ", 1) + fmt.Sprintf(", « %s »", visible.Quote(p.CampaignName))
				}
			}
			// Pix writes one organization per export: the establishment
			// of the file is that of its first row.
			if key := fold.Key(p.Organization); firstLine == 0 {
				organization, firstLine = key, p.Line
			} else if key != organization {
				fr.Errors.Add(&fileerr.Error{File: fr.Name, Line: p.Line, Column: "Nom de l'organisation", Msg: fmt.Sprintf(
					"« %s » alors que la ligne %d nomme un autre établissement : un export de Pix Orga n'en contient qu'un ; importez l'export de chaque établissement tel que Pix Orga l'a écrit.",
					visible.Quote(p.Organization), firstLine)})
			}
			if !r.write || fr.Errors.Total > 0 {
				return nil // nothing will be stored: check the rest only
			}
			return emit(store.PrepareParticipation(p))
		})
	}, func(row store.ParticipationRow) error {
		_, err := r.im.AddParticipation(r.fileNo, &row)
		return err
	})
	// A row the store refuses stops the reading: the file is told so.
	var rowErr *store.RowError
	if errors.As(err, &rowErr) {
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Line: rowErr.Line, Column: rowErr.Column, Msg: rowErr.Msg})
		return nil
	}
	if err != nil {
		return err
	}
	return r.end()
}

// readResults reads a certification results export. It is a class's
// results, a few dozen rows: read and stored in turn.
func (r reader) readResults(rr *certresults.Reader, info store.FileInfo) error {
	fr := r.fr
	fr.Kind = KindResults
	info.Format = "export des résultats de certification"
	if err := r.begin(info); err != nil {
		return err
	}
	sessions := map[string]bool{}
	certifications := map[string]int{} // the line of each certification, by number (or candidate and session)
	err := rr.Read(&fr.Errors, func(res certresults.Result) error {
		fr.Rows++
		r.opts.Progress.addRow()
		// Pix writes a certification once: a second row of it is an
		// edited file, whose rows would replace one another.
		key, column, what := "n"+res.Number, "Numéro de certification", "la certification n° "+visible.Quote(res.Number)
		if res.Number == "" {
			key = "c" + match.NameKey(res.LastName, res.FirstName) + "|" + res.Birthdate + "|" + res.Session
			column, what = "Nom", "le même candidat, né le même jour, dans la même session,"
		}
		if line, ok := certifications[key]; ok {
			fr.Errors.Add(&fileerr.Error{File: fr.Name, Line: res.Line, Column: column, Msg: fmt.Sprintf("%s est déjà à la ligne %d : "+
				"un export de Pix Orga donne chaque certification une fois ; importez l'export tel que Pix Orga l'a écrit.", what, line)})
			return nil
		}
		certifications[key] = res.Line
		if res.Session != "" && !sessions[res.Session] {
			sessions[res.Session] = true
			fr.Sessions = append(fr.Sessions, res.Session)
		}
		if !r.write || fr.Errors.Total > 0 {
			return nil
		}
		_, err := r.im.AddResult(r.fileNo, store.PrepareResult(res))
		return err
	})
	if err != nil {
		return err
	}
	if len(fr.Sessions) > 0 {
		fr.Format = french.Pick(len(fr.Sessions), "session ", "sessions ") + strings.Join(fr.Sessions, ", ")
	}
	return r.end()
}

// readRoster reads a roster in one goroutine, with read, and stores it in
// this one. The reading side owns fr but for the counts of changes.
func (r reader) readRoster(info store.FileInfo, read func(each func(roster.Student) error) error) error {
	fr := r.fr
	if err := r.begin(info); err != nil {
		return err
	}
	err := pipeline(func(emit func(store.StudentRow) error) error {
		return read(func(s roster.Student) error {
			fr.Rows++
			r.opts.Progress.addRow()
			if !r.write || fr.Errors.Total > 0 {
				return nil
			}
			return emit(store.PrepareStudent(s))
		})
	}, func(row store.StudentRow) error {
		change, err := r.im.AddStudent(r.fileNo, row)
		switch change {
		case store.StudentAdded:
			fr.Added++
		case store.StudentUpdated:
			fr.Updated++
		case store.StudentUnchanged:
			fr.Unchanged++
		}
		return err
	})
	if err != nil {
		return err
	}
	if fr.Rows == 0 && fr.Errors.Total == 0 {
		// A roster is the establishment's whole list: an empty one would
		// take every student off it. It is a wrong file, or a wrong export.
		fr.Errors.Add(&fileerr.Error{File: fr.Name, Msg: "la liste ne contient aucun élève : importée, elle retirerait tous les élèves " +
			"de la liste actuelle. Vérifiez que c'est le bon fichier, ou exportez à nouveau la liste depuis le logiciel de l'établissement."})
		return nil
	}
	return r.end()
}

func (r reader) readSIECLEXML(content io.Reader, params roster.XMLParams, info store.FileInfo) error {
	// The survey read the head of the file, which says its encoding.
	info.Format, info.Encoding = "liste d'élèves, "+roster.SIECLEXMLFormat, cmpOr(params.Encoding, "UTF-8")
	var skipped roster.XMLSkipped
	err := r.readRoster(info, func(each func(roster.Student) error) error {
		var err error
		skipped, err = roster.ReadSIECLEXML(r.fr.Name, content, r.opts.Now, &r.fr.Errors, each)
		return err
	})
	if skipped.Left > 0 {
		r.fr.Notes = append(r.fr.Notes, french.Plural(skipped.Left, "élève sorti de l'établissement (DATE_SORTIE) ignoré", "élèves sortis de l'établissement (DATE_SORTIE) ignorés")+", comme le fait Pix")
	}
	if skipped.Inactive > 0 {
		r.fr.Notes = append(r.fr.Notes, french.Plural(skipped.Inactive, "élève de la seule division « Inactifs » ignoré", "élèves de la seule division « Inactifs » ignorés")+", comme le fait Pix")
	}
	if n := skipped.NoID + skipped.NoDivision; n > 0 {
		r.fr.Notes = append(r.fr.Notes, french.Plural(n, "élève sans INE ou sans division ignoré", "élèves sans INE ou sans division ignorés")+", comme le fait Pix")
	}
	return err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
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
