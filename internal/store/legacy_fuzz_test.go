package store

import (
	"encoding/binary"
	"testing"
)

// The decoders of schema 2's pages read bytes of a file a user gives:
// whatever the bytes, they decode or say the page is unreadable, and
// never read past it.
func FuzzLegacyPages(f *testing.F) {
	participant := binary.LittleEndian.AppendUint64(nil, 42)
	participant = binary.AppendUvarint(participant, 4521)
	participant = binary.AppendUvarint(participant, 3)
	for _, field := range []string{"name_class", "DUPONT", "Léa", "3E2", "", ""} {
		participant = binary.AppendUvarint(participant, uint64(len(field)))
		participant = append(participant, field...)
	}
	sending := binary.AppendUvarint(nil, 1)
	sending = binary.LittleEndian.AppendUint64(sending, 7)
	sending = append(sending, byte(len("2026-03-14 10:42")))
	sending = append(sending, "2026-03-14 10:42"...)
	sending = binary.AppendUvarint(sending, 143)
	sending = append(sending, make([]byte, 32)...)
	f.Add(participant, sending, 1)
	f.Add([]byte{}, []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1)
	f.Add([]byte{0xff, 0xff}, []byte{0x80}, 3)
	f.Fuzz(func(t *testing.T, participants, participations []byte, count int) {
		count = min(max(count, 0), 300)
		n := 0
		err := decodeLegacyParticipants(1, count, participants, func(p legacyParticipant) error {
			n++
			return nil
		})
		if err == nil && n != count {
			t.Errorf("%d participants decoded from a page of %d", n, count)
		}
		err = decodeLegacyParticipations(1, count, participations, func(p legacyParticipation) error {
			if p.sentAt != "" && len(p.profile) != 32 {
				t.Errorf("a sending of %d bytes of profile", len(p.profile))
			}
			return nil
		})
		if err != nil && err != errLegacyPage {
			t.Errorf("error %v, want errLegacyPage", err)
		}
	})
}

// A student's record of schema 2: six fields, nothing after.
func FuzzLegacyFields(f *testing.F) {
	f.Add([]byte("\x0b123456789AB\x00\x06DUPONT\x00\x03L\xc3\xa9a\x0a2011-03-14"))
	f.Fuzz(func(t *testing.T, record []byte) {
		var a, b, c, d, e, g string
		rest, err := legacyFields(record, &a, &b, &c, &d, &e, &g)
		if err == nil && len(a)+len(b)+len(c)+len(d)+len(e)+len(g)+len(rest) > len(record) {
			t.Error("fields longer than the record")
		}
	})
}
