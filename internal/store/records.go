package store

import (
	"encoding/binary"
	"errors"

	"pixcert/internal/collecte"
	"pixcert/internal/roster"
)

// Students and participants keep their names in one blob each, the fields
// one after the other, each after its length: SQLite looks nothing up by
// name (names are folded, searched and sorted in Go), and binding one value
// costs an import far less than binding six.

var errBadRecord = errors.New("enregistrement illisible")

func appendFields(buf []byte, fields ...string) []byte {
	for _, field := range fields {
		buf = binary.AppendUvarint(buf, uint64(len(field)))
		buf = append(buf, field...)
	}
	return buf
}

// decodeFields reads back exactly the fields appendFields wrote.
func decodeFields(b []byte, fields ...*string) error {
	for _, field := range fields {
		n, size := binary.Uvarint(b)
		if size <= 0 || uint64(len(b)-size) < n {
			return errBadRecord
		}
		*field = string(b[size : size+int(n)])
		b = b[size+int(n):]
	}
	if len(b) != 0 {
		return errBadRecord
	}
	return nil
}

// appendStudent encodes what a roster says of a student but the class,
// which has a column of its own for status --class. number is the student
// number as stored, in upper case.
func appendStudent(buf []byte, s roster.Student, number string) []byte {
	return appendFields(buf, s.NationalID, number, s.LastName, s.UsageName, s.FirstName, s.Birthdate)
}

func decodeStudent(b []byte, s *roster.Student) error {
	return decodeFields(b, &s.NationalID, &s.StudentNumber, &s.LastName, &s.UsageName, &s.FirstName, &s.Birthdate)
}

// appendIdentity encodes how an export names a participant: read back
// whole by the unmatched list and by rematching.
func appendIdentity(buf []byte, p collecte.Participation) []byte {
	return appendFields(buf, p.LastName, p.FirstName, p.Class, p.StudentNumber, p.ExternalID)
}

func decodeIdentity(b []byte, p *collecte.Participation) error {
	return decodeFields(b, &p.LastName, &p.FirstName, &p.Class, &p.StudentNumber, &p.ExternalID)
}
