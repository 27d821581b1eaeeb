package view

import (
	"strconv"
	"time"

	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

type importRecord struct {
	ID         string `csv:"N°"`
	ImportedAt string `csv:"Importé le" table:"wrap=10"`
	File       string `csv:"Fichier" table:"wrap=16"`
	Kind       string `csv:"Type" table:"wrap"`
	Campaign   string `csv:"Campagne" table:"wrap"`
	Rows       string `csv:"Lignes"`
	SHA256     string `csv:"Empreinte SHA-256" table:"-"`
}

type importRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	importRecord
}

// importJSON is the JSON contract of `pixcert imports --format json`.
type importJSON struct {
	ID            int64      `json:"id"`
	ImportedAt    string     `json:"imported_at"` // RFC 3339
	File          string     `json:"file"`
	Kind          store.Kind `json:"kind"`
	Establishment *string    `json:"establishment"`
	SHA256        *string    `json:"sha256"`
	Rows          int        `json:"rows"`
	Campaign      *string    `json:"campaign"` // a collecte's; null for a roster
}

var kindLabels = map[store.Kind]string{store.KindRoster: "liste d'élèves", store.KindCollecte: "collecte",
	store.KindResults: "résultats de certification"}

// Imports lists the files imported, oldest first: the history of the store,
// and the numbers `pixcert forget` takes. Times are shown in loc.
func Imports(list []store.ImportRecord, loc *time.Location, scope Scope) output.Document {
	records := make([]any, 0, len(list))
	js := make([]importJSON, 0, len(list))
	for _, r := range list {
		rec := importRecord{strconv.FormatInt(r.ID, 10), r.ImportedAt.In(loc).Format("02/01/2006 15:04"), r.File, kindLabels[r.Kind],
			r.Campaign, strconv.Itoa(r.Rows), r.SHA256}
		if scope.Several {
			records = append(records, importRecordOfSeveral{r.Establishment, rec})
		} else {
			records = append(records, rec)
		}
		js = append(js, importJSON{r.ID, r.ImportedAt.UTC().Format(time.RFC3339), r.File, r.Kind, nonEmpty(r.Establishment),
			nonEmpty(r.SHA256), r.Rows, nonEmpty(r.Campaign)})
	}
	var first any = importRecord{}
	if scope.Several {
		first = importRecordOfSeveral{}
	}
	footer := countOf(len(list), [2]string{"fichier importé", "fichiers importés"})
	return output.Document{
		Title:  scope.title("fichiers importés"),
		Sheets: oneSheet(first, records, footer),
		JSON:   js,
	}
}
