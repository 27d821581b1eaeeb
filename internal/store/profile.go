package store

import (
	"fmt"

	"pixcert/internal/certif"
)

// A profile is stored as 32 bytes, the 16 levels then the 16 pix counts in
// Pix's order: a competence holds at most a few dozen pix, and a million
// students' sendings stay small.
func encodeProfile(p certif.Profile) (b [2 * certif.CompetenceCount]byte) {
	for i := range certif.CompetenceCount {
		b[i] = byte(p.Levels[i])
		b[certif.CompetenceCount+i] = byte(p.Pix[i])
	}
	return b
}

func decodeProfile(p *certif.Profile, b []byte) error {
	if len(b) != 2*certif.CompetenceCount {
		return fmt.Errorf("profil stocké illisible (%d octets)", len(b))
	}
	for i := range certif.CompetenceCount {
		p.Levels[i] = int(b[i])
		p.Pix[i] = int(b[certif.CompetenceCount+i])
	}
	return nil
}
