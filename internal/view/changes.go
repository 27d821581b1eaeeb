package view

import (
	"fmt"
	"strings"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/frdate"
	"github.com/pixcert/pixcert/internal/french"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// ChangeKind is what happened to a student's status between two days.
type ChangeKind string

const (
	BecameCertifiable  ChangeKind = "became-certifiable"  // not certifiable (or no profile), now certifiable
	LostCertifiability ChangeKind = "lost-certifiability" // certifiable, now not: a competence was reset
	FirstSending       ChangeKind = "first-sending"       // no profile before, now one, not certifiable yet
	Unchanged          ChangeKind = "unchanged"
)

// changeKinds are the kinds in the order a list of changes shows them,
// with their heading.
var changeKinds = []struct {
	kind  ChangeKind
	label string
}{
	{BecameCertifiable, "Devenu certifiable"},
	{LostCertifiability, "N'est plus certifiable"},
	{FirstSending, "Premier envoi"},
	{Unchanged, "Sans changement"},
}

// KindOfChange tells what happened to s between its Before status and now.
func KindOfChange(s *store.StudentStatus) ChangeKind {
	switch {
	case s.Status == s.Before:
		return Unchanged
	case s.Status == certif.Certifiable:
		return BecameCertifiable
	case s.Before == certif.Certifiable:
		return LostCertifiability
	case s.Before == certif.NotCommunicated:
		return FirstSending
	}
	return Unchanged // not-certifiable and not-communicated never follow a sending
}

// changeRecord is a student in `pixcert changes`. On a narrow screen, the
// status before goes first (the change says it), then the date.
type changeRecord struct {
	Change    string `csv:"Changement" table:"wrap"`
	LastName  string `csv:"Nom" table:"wrap"`
	FirstName string `csv:"Prénom" table:"wrap"`
	Class     string `csv:"Classe"`
	From      string `csv:"Avant" table:"prio=3"`
	To        string `csv:"Maintenant"`
	Date      string `csv:"Date de l'envoi" table:"prio=2"`
	Detail    string `csv:"Compétences certifiables" table:"prio=1"`
}

type changeRecordOfSeveral struct {
	Establishment string `csv:"Établissement" table:"wrap"`
	changeRecord
}

// changeJSON is the JSON contract of `pixcert changes --format json`.
type changeJSON struct {
	LastName      string        `json:"last_name"`
	FirstName     string        `json:"first_name"`
	Class         string        `json:"class"`
	Kind          ChangeKind    `json:"kind"`
	From          certif.Status `json:"from"`
	To            certif.Status `json:"to"`
	Date          *string       `json:"date"` // YYYY-MM-DD of the sending that decides "to"
	Establishment *string       `json:"establishment"`
}

// Changes lists the students whose status changed since a day, grouped by
// kind of change, each with counts; the students still not communicated
// are only counted unless all, which lists every student. students must
// carry their Before status (store.Snapshot.CompareWith), and are read once
// per kind: a list of changes is never held in memory.
func Changes(students Students, since string, all bool, scope Scope) output.Document {
	what := "changements depuis le début des collectes"
	if since != "" {
		what = "changements depuis le " + frdate.French(since)
	}
	var first any = changeRecord{}
	if scope.Several {
		first = changeRecordOfSeveral{}
	}
	// each calls f with the students of a kind, in the list's order.
	each := func(kind ChangeKind, f func(s *store.StudentStatus) error) error {
		return students(func(s *store.StudentStatus) error {
			k := KindOfChange(s)
			if k != kind || (k == Unchanged && !all) {
				return nil
			}
			return f(s)
		})
	}
	return output.Document{
		Title: scope.title(what + " (" + StatusWhat + ")"),
		Sheets: func(w output.SheetWriter) error {
			if err := w.Begin("", first); err != nil {
				return err
			}
			counts := map[ChangeKind]int{}
			stillNotCommunicated := 0
			err := students(func(s *store.StudentStatus) error {
				k := KindOfChange(s)
				counts[k]++
				if k == Unchanged && s.Status == certif.NotCommunicated {
					stillNotCommunicated++
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range changeKinds {
				err := each(k.kind, func(s *store.StudentStatus) error {
					rec := changeRecord{k.label, s.LastName, s.FirstName, s.Class, s.Before.Label(), s.Status.Label(),
						frdate.French(s.StatusDate), competencesChange(s)}
					if scope.Several {
						return w.Record(changeRecordOfSeveral{s.Establishment, rec})
					}
					return w.Record(rec)
				})
				if err != nil {
					return err
				}
			}
			return w.End(changesFooter(counts, stillNotCommunicated, all))
		},
		JSONList: func(add func(any) error) error {
			for _, k := range changeKinds {
				err := each(k.kind, func(s *store.StudentStatus) error {
					j := changeJSON{LastName: s.LastName, FirstName: s.FirstName, Class: s.Class, Kind: k.kind,
						From: s.Before, To: s.Status, Establishment: nonEmpty(s.Establishment)}
					if s.HasProfile {
						j.Date = nonEmpty(frdate.Day(s.StatusDate))
					}
					return add(j)
				})
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// competencesChange says what the profile now holds: "5 (avant : 3)".
func competencesChange(s *store.StudentStatus) string {
	switch {
	case !s.HasProfile:
		return ""
	case s.Before == certif.NotCommunicated:
		return fmt.Sprint(s.CertifiableCt)
	}
	return fmt.Sprintf("%d (avant : %d)", s.CertifiableCt, s.BeforeCt)
}

// changesFooter counts each kind of change, then the students with no
// profile yet.
func changesFooter(counts map[ChangeKind]int, stillNotCommunicated int, all bool) string {
	var parts []string
	for _, k := range changeKinds[:3] {
		if n := counts[k.kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s : %d", strings.ToLower(k.label[:1])+k.label[1:], n))
		}
	}
	line := "Aucun changement de statut"
	if len(parts) > 0 {
		line = upperFirst(strings.Join(parts, ", "))
	}
	if unchanged := counts[Unchanged] - stillNotCommunicated; unchanged > 0 {
		line += fmt.Sprintf(" ; %s sans changement", countOf(unchanged, [2]string{"élève", "élèves"}))
	}
	if stillNotCommunicated > 0 {
		line += fmt.Sprintf(" ; %s toujours %s", countOf(stillNotCommunicated, [2]string{"élève", "élèves"}), french.Pick(stillNotCommunicated, "non communiqué", "non communiqués"))
	}
	if !all && counts[Unchanged] > 0 {
		line += " (--all les liste)"
	}
	return line
}
