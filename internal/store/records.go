package store

import (
	"encoding/binary"
	"errors"

	"pixcert/internal/roster"
)

// Students and participants keep their names in one blob each, the fields
// one after the other, each after its length: SQLite looks nothing up by
// name (names are folded, searched and sorted in Go), and binding one value
// costs an import far less than binding six. A participant's blob is part
// of a page (appendParticipant).

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
	rest, err := nextFields(b, fields...)
	if err == nil && len(rest) != 0 {
		err = errBadRecord
	}
	return err
}

// nextFields reads fields appendFields wrote at the start of b, and returns
// what follows them.
func nextFields(b []byte, fields ...*string) ([]byte, error) {
	for _, field := range fields {
		n, size := binary.Uvarint(b)
		if size <= 0 || uint64(len(b)-size) < n {
			return nil, errBadRecord
		}
		*field = string(b[size : size+int(n)])
		b = b[size+int(n):]
	}
	return b, nil
}

// studentIDs reads the national id and student number at the start of a
// student's record, without decoding the rest.
func studentIDs(record []byte) (nationalID, number []byte, err error) {
	var ids [2][]byte
	for i := range ids {
		n, size := binary.Uvarint(record)
		if size <= 0 || uint64(len(record)-size) < n {
			return nil, nil, errBadRecord
		}
		ids[i], record = record[size:size+int(n)], record[size+int(n):]
	}
	return ids[0], ids[1], nil
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
