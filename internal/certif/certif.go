// Package certif holds Pix's certificability rule and the reference list of
// the 16 competences it is computed on.
//
// Source: 1024pix/pix, api/src/shared/domain/constants.js
// (PIX_COUNT_BY_LEVEL, COMPETENCES_COUNT,
// MINIMUM_COMPETENCE_LEVEL_FOR_CERTIFIABILITY,
// MINIMUM_CERTIFIABLE_COMPETENCES_FOR_CERTIFIABILITY).
package certif

import "sort"

const (
	// PixPerLevel is the number of pix that make one level of a competence.
	PixPerLevel = 8
	// MinLevelForCertifiableCompetence is the level from which a competence
	// counts towards certificability.
	MinLevelForCertifiableCompetence = 1
	// MinCertifiableCompetences is how many certifiable competences a learner
	// needs to be allowed to sit the certification.
	MinCertifiableCompetences = 5
)

// Status is a student's certificability as Pix Orga shows it.
type Status string

const (
	Certifiable     Status = "certifiable"
	NotCertifiable  Status = "non-certifiable"
	NotCommunicated Status = "not-communicated"
)

// Statuses lists every status, in the order Pix Orga lists them.
var Statuses = []Status{Certifiable, NotCertifiable, NotCommunicated}

// Label is the status as Pix Orga writes it, capitals included
// ("Non Certifiable" with a capital C).
func (s Status) Label() string {
	switch s {
	case Certifiable:
		return "Certifiable"
	case NotCertifiable:
		return "Non Certifiable"
	case NotCommunicated:
		return "Non communiqué"
	}
	return string(s)
}

// Profile is what one sent participation says of the 16 competences, in the
// order of Competences.
type Profile struct {
	Levels [CompetenceCount]int
	Pix    [CompetenceCount]int
}

// IsCertifiableCompetence tells whether a competence at this level counts.
func IsCertifiableCompetence(level int) bool {
	return level >= MinLevelForCertifiableCompetence
}

// CertifiableCompetences counts the certifiable competences of a profile:
// the "Nombre de compétences certifiables" of an export.
func (p Profile) CertifiableCompetences() int {
	n := 0
	for _, level := range p.Levels {
		if IsCertifiableCompetence(level) {
			n++
		}
	}
	return n
}

// IsCertifiable is the rule itself: enough certifiable competences.
func IsCertifiable(certifiableCompetences int) bool {
	return certifiableCompetences >= MinCertifiableCompetences
}

// StatusOf gives the status decided by the latest sent profile.
func StatusOf(p Profile) Status {
	return StatusOfCount(p.CertifiableCompetences())
}

// StatusOfCount is StatusOf for a profile with that many certifiable
// competences, for what keeps the count and not the profile.
func StatusOfCount(certifiableCompetences int) Status {
	if IsCertifiable(certifiableCompetences) {
		return Certifiable
	}
	return NotCertifiable
}

// MissingCompetences is how many more certifiable competences a learner
// with count of them needs: 0 once certifiable.
func MissingCompetences(count int) int {
	return max(0, MinCertifiableCompetences-count)
}

// ClosestToCertifiable lists, among the competences not yet certifiable, the
// n nearest to level 1: most pix first (fewest pix still to earn), Pix's
// order between equals. These are what a learner should work on first.
func (p Profile) ClosestToCertifiable(n int) []int {
	var candidates []int
	for i, level := range p.Levels {
		if !IsCertifiableCompetence(level) {
			candidates = append(candidates, i)
		}
	}
	sort.SliceStable(candidates, func(a, b int) bool {
		return p.Pix[candidates[a]] > p.Pix[candidates[b]]
	})
	if len(candidates) > n {
		candidates = candidates[:n]
	}
	return candidates
}
