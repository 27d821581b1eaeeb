// Package importer reads the files a user gives to `pixcert import`,
// recognises each from its content, checks every row of every file and
// stores them in one transaction: all the files, or nothing.
package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
	DryRun    bool              // check and summarise, store nothing
	Now       time.Time
}

// FileResult is what became of one file.
type FileResult struct {
	Name     string
	Kind     Kind
	Format   string // roster layout, or the campaign(s) of an export
	Encoding string
	Rows     int

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
	im, err := st.BeginImport(ctx, opts.Now)
	if err != nil {
		return nil, err
	}
	defer im.Rollback() // a no-op after Commit

	res := &Result{DryRun: opts.DryRun}
	hashes := make([]string, len(paths))
	for i, path := range paths {
		fr := &FileResult{Name: path}
		res.Files = append(res.Files, fr)
		// Once a file is wrong nothing will be stored: the rest is only checked.
		write := !res.HasErrors()
		hash, err := readFile(ctx, im, i, path, fr, opts, write)
		if err != nil {
			return nil, err
		}
		hashes[i] = hash
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
		if err := im.RecordFile(hashes[i], fr.Name, string(fr.Kind)); err != nil {
			return nil, err
		}
	}
	if opts.DryRun {
		return res, nil
	}
	return res, im.Commit()
}

// readFile reads one file into the import. Problems with the file go to
// fr.Errors; the error returned is one of the store, which ends the import.
func readFile(ctx context.Context, im *store.Import, fileNo int, path string, fr *FileResult, opts Options, write bool) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		fr.Errors.Add(openError(path, err))
		return "", nil
	}
	defer file.Close()
	if info, err := file.Stat(); err == nil && info.IsDir() {
		fr.Errors.Add(&fileerr.Error{File: path, Msg: "c'est un dossier, pas un fichier : indiquez les fichiers qu'il contient (par exemple dossier/*.csv)."})
		return "", nil
	}
	hash := sha256.New()
	content := io.TeeReader(file, hash)

	head := make([]byte, 8)
	n, _ := io.ReadFull(content, head)
	head = head[:n]
	if msg, refused := notYetReadable(head); refused {
		fr.Errors.Add(&fileerr.Error{File: path, Msg: msg})
		return "", nil
	}
	tf, err := tabfile.Open(path, io.MultiReader(bytes.NewReader(head), content), tabfile.Options{Encoding: opts.Encoding, Separator: opts.Separator})
	if err != nil {
		var fe *fileerr.Error
		if errors.As(err, &fe) {
			fr.Errors.Add(fe)
			return "", nil
		}
		return "", err
	}
	fr.Encoding = tf.Encoding.Name

	if collecte.IsEvaluation(tf) {
		fr.Errors.Add(&fileerr.Error{File: path, Msg: "c'est l'export d'une campagne « Évaluation » : il ne dit rien de la certificabilité. " +
			"Dans Pix Orga, téléchargez les résultats d'une campagne « Collecte de profils » (onglet Résultats, « Exporter les résultats »)."})
		return "", nil
	}
	if r, ok := collecte.Detect(tf); ok {
		fr.Kind = KindCollecte
		campaigns := map[string]bool{}
		err := r.Read(&fr.Errors, &fr.Warnings, func(p collecte.Participation) error {
			fr.Rows++
			if !campaigns[p.CampaignName] {
				campaigns[p.CampaignName] = true
				if fr.Format == "" {
					fr.Format = fmt.Sprintf("campagne « %s »", p.CampaignName)
				} else {
					fr.Format = strings.Replace(fr.Format, "campagne ", "campagnes ", 1) + fmt.Sprintf(", « %s »", p.CampaignName)
				}
			}
			if !write || fr.Errors.Total > 0 {
				return nil
			}
			added, err := im.AddParticipation(fileNo, p)
			if added {
				fr.NewRows++
			}
			return err
		})
		return hex.EncodeToString(hash.Sum(nil)), err
	}
	if r, ok := roster.Detect(tf, opts.Now); ok {
		fr.Kind, fr.Format = KindRoster, r.Format
		if write {
			if err := im.BeginRoster(); err != nil {
				return "", err
			}
		}
		err := r.Read(&fr.Errors, func(s roster.Student) error {
			fr.Rows++
			if !write || fr.Errors.Total > 0 {
				return nil
			}
			change, err := im.AddStudent(s)
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
		return hex.EncodeToString(hash.Sum(nil)), err
	}
	fr.Errors.Add(&fileerr.Error{File: path, Line: tf.HeaderLine, Msg: "type de fichier non reconnu d'après sa ligne d'en-tête. pixcert lit : " +
		"une liste d'élèves (colonnes nom, prénom et classe, par exemple « Nom de famille », « Premier prénom », « Division » ou « Élève », « Classe ») " +
		"et l'export des résultats d'une campagne « Collecte de profils » de Pix Orga (colonnes « Nom du Participant », « Envoi (O/N) »…)."})
	return "", nil
}

// notYetReadable recognises, from their first bytes, files that are not
// tabular text and says what to do with them.
func notYetReadable(head []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "c'est un classeur (.xlsx, .ods) ou une archive .zip, que cette version ne lit pas encore : " +
			"ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format « CSV (séparateur : point-virgule) ».", true
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		return "c'est un classeur Excel ancien (.xls) : enregistrez-le au format « CSV (séparateur : point-virgule) ».", true
	case bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \r\n\t"), []byte("<")):
		return "c'est un fichier XML (export SIECLE ElevesSansAdresses.xml ?), que cette version ne lit pas encore : " +
			"utilisez l'extraction CSV de votre logiciel de vie scolaire.", true
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "c'est un document PDF : pixcert lit les fichiers CSV téléchargés depuis Pix Orga ou extraits du logiciel de vie scolaire.", true
	}
	return "", false
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
