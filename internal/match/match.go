// Package match ties the participants of Pix exports to the students of the
// school's roster. It holds the rules and nothing else: no database, no
// files. An import asks an Index it builds in memory from the roster it
// reads; an import without a roster, and a person's decision, ask the store,
// which finds the same answers with its indexes (Finder).
//
// In order of confidence, a participant is:
//
//  1. the student a person decided it is (pixcert link), or no one
//     (pixcert unlink): a decision stops the rules below;
//  2. the student whose national id or student number is the participant's
//     identifier (its student number, or an external id that looks like an
//     INE);
//  3. the student with its last and first name (birth or usage name, all
//     first names or the first one), compared folded, in the same class;
//  4. the student with its name, whatever the class, when only one student
//     of the roster has it (a student who changed class since that export).
//
// A participant two students could be is left unmatched rather than guessed.
package match

import (
	"strings"

	"github.com/pixcert/pixcert/internal/fold"
)

// Method says how a participant was matched.
type Method string

const (
	ByID        Method = "id"
	ByNameClass Method = "name_class"
	ByName      Method = "name"
	Manual      Method = "manual"
)

// Student is what matching knows of a student of the roster.
type Student struct {
	ID            int64
	NationalID    string // INE, upper case; "" when none
	StudentNumber string // upper case; "" when none
	LastName      string // birth name, the one Pix exports show
	UsageName     string
	FirstNames    string
	Class         string
}

// Participant is what matching knows of a participant of an export.
type Participant struct {
	LastName, FirstName string
	Class               string // `Classe` or `Groupe` of the export
	// MatchID is the participant's identifier, upper case: its student
	// number, or an external id that looks like an INE; "" when none.
	MatchID string
}

// NameKey is how a last and a first name compare: folded (fold.Key), the
// two parts apart.
func NameKey(last, first string) string { return fold.Key(last) + "|" + fold.Key(first) }

// ClassKey is how classes compare: "3E2", "3e2" and "3 E 2" are one class.
func ClassKey(class string) string { return fold.Key(class) }

// NameKey is the name the participant appears under.
func (p Participant) NameKey() string { return NameKey(p.LastName, p.FirstName) }

// NameKeys are the names a student may appear under in an export: birth or
// usage name, with all their first names or the first one alone (rosters
// often list every first name, Pix shows the first).
func (s Student) NameKeys() []string {
	firsts := []string{fold.Key(s.FirstNames)}
	if words := strings.Fields(s.FirstNames); len(words) > 1 {
		if first := fold.Key(words[0]); first != firsts[0] {
			firsts = append(firsts, first)
		}
	}
	var keys []string
	for _, last := range []string{fold.Key(s.LastName), fold.Key(s.UsageName)} {
		if last == "" || (len(keys) > 0 && keys[0] == last+"|"+firsts[0]) {
			continue // no usage name, or the same as the birth name
		}
		for _, first := range firsts {
			keys = append(keys, last+"|"+first)
		}
	}
	return keys
}

// Ambiguous is what a Finder returns for a key that several students share.
const Ambiguous int64 = -1

// Finder finds students of a roster by key. Each method returns the id of
// the one student with the key, 0 when none has it, Ambiguous when several
// do.
type Finder interface {
	// ByID: the student whose national id or student number is id.
	ByID(id string) (int64, error)
	// ByNameClass: the student with that name key (among their NameKeys)
	// in the class of that key.
	ByNameClass(nameKey, classKey string) (int64, error)
	// ByName: the student with that name key, whatever their class.
	ByName(nameKey string) (int64, error)
}

// Result is the student a participant is, 0 when none, and how it was found.
type Result struct {
	Student int64
	Method  Method // "" when no student
}

// Decision is what a person decided a participant is: Student, or, when it
// is 0, no student of the roster.
type Decision struct{ Student int64 }

// Match finds the student participant p is in roster f, a person's decision
// first.
func Match(f Finder, p Participant, decision *Decision) (Result, error) {
	if decision != nil {
		if decision.Student == 0 {
			return Result{}, nil
		}
		return Result{decision.Student, Manual}, nil
	}
	if p.MatchID != "" {
		student, err := f.ByID(p.MatchID)
		if err != nil || student > 0 {
			return Result{student, ByID}, err
		}
	}
	name := p.NameKey()
	student, err := f.ByNameClass(name, ClassKey(p.Class))
	switch {
	case err != nil:
		return Result{}, err
	case student == Ambiguous:
		return Result{}, nil // namesakes in one class: no guess
	case student > 0:
		return Result{student, ByNameClass}, nil
	}
	student, err = f.ByName(name)
	if err != nil || student <= 0 {
		return Result{}, err
	}
	return Result{student, ByName}, nil
}

// ByNameBirthdate is how a certification result is matched without an
// id: its name and birth date, which Pix's results export gives (and no
// class).
const ByNameBirthdate Method = "name_birthdate"

// BirthFinder finds students of a roster for a certification result.
type BirthFinder interface {
	// ByID: the student whose national id or student number is id.
	ByID(id string) (int64, error)
	// ByNameBirthdate: the student with that name key (among their
	// NameKeys) born on birthdate (YYYY-MM-DD).
	ByNameBirthdate(nameKey, birthdate string) (int64, error)
}

// MatchCertification finds the student a certification result is: the
// one whose INE (or student number) is the result's external id, else
// the one with its name and birth date. A result has no class: a name
// alone, which namesakes share across classes, is not enough.
func MatchCertification(f BirthFinder, externalID, nameKey, birthdate string) (Result, error) {
	if id := strings.ToUpper(strings.TrimSpace(externalID)); id != "" {
		student, err := f.ByID(id)
		if err != nil || student > 0 {
			return Result{student, ByID}, err
		}
	}
	if birthdate == "" {
		return Result{}, nil
	}
	student, err := f.ByNameBirthdate(nameKey, birthdate)
	if err != nil || student <= 0 {
		return Result{}, err
	}
	return Result{student, ByNameBirthdate}, nil
}
