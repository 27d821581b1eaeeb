package output

import (
	"encoding/csv"
	"io"

	"github.com/gocarina/gocsv"

	"pixcert/internal/frdate"
	"pixcert/internal/store"
)

// utf8BOM makes French Excel read the file as UTF-8 rather than Windows-1252.
const utf8BOM = "\uFEFF"

type csvWriter struct{}

// statusRecord is one CSV row; the tags are the column headers.
type statusRecord struct {
	LastName    string `csv:"Nom"`
	FirstName   string `csv:"Prénom"`
	Class       string `csv:"Classe"`
	Birthdate   string `csv:"Date de naissance"`
	NationalID  string `csv:"INE / N° étudiant"`
	Status      string `csv:"Certificabilité"`
	StatusDate  string `csv:"Date"`
	Competences string `csv:"Comp. certifiables"`
	PixScore    string `csv:"Score Pix"`
	Sendings    string `csv:"Envois"`
}

// WriteStatus writes CSV as French Excel opens it: UTF-8 with a BOM, ';',
// dates jj/mm/aaaa, every text cell guarded against formulas.
func (csvWriter) WriteStatus(w io.Writer, students []store.StudentStatus) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	records := make([]statusRecord, len(students))
	for i, s := range students {
		c := statusCells(s)
		records[i] = statusRecord{
			LastName: Guard(c[0]), FirstName: Guard(c[1]), Class: Guard(c[2]),
			Birthdate: frdate.French(s.Birthdate), NationalID: Guard(s.NationalID + s.StudentNumber),
			Status: c[3], StatusDate: c[4], Competences: c[5], PixScore: c[6], Sendings: c[7],
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true // what Excel writes and expects on Windows
	return gocsv.MarshalCSV(records, gocsv.NewSafeCSVWriter(cw))
}
