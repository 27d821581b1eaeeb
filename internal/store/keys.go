package store

import (
	"strings"
	"unicode"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/fold"
	"github.com/pixcert/pixcert/internal/match"
)

// The *_key and search columns are derived here, and nowhere else, from
// what the files say: pixcert check derives them again to prove them.

// studentKeys are the derived columns of a student.
type studentKeys struct {
	name   string // name_key: match.NameKey of the birth name and first names
	class  string // class_key
	search string // search: what student_search indexes
}

func studentKeysOf(lastName, usageName, firstNames, class string) studentKeys {
	return studentKeys{
		name:   match.NameKey(lastName, firstNames),
		class:  match.ClassKey(class),
		search: searchText(lastName, usageName, firstNames),
	}
}

// participantKeys are the derived columns of a participant, which make its
// identity within a campaign.
type participantKeys struct {
	name    string // name_key
	class   string // class_key
	matchID string // match_id
}

func participantKeysOf(p collecte.Participation) participantKeys {
	return participantKeys{
		name:    match.NameKey(p.LastName, p.FirstName),
		class:   match.ClassKey(p.Class),
		matchID: p.MatchID(),
	}
}

// searchText is the text student_search indexes for a student: each name
// folded whole and each of its space-separated parts ("jeanpierrepaul",
// "jeanpierre": what matching compares, match.Student.NameKeys), and each
// word ("jean", "pierre", "paul": what a person types). Words are runs of
// letters and digits.
func searchText(names ...string) string {
	var tokens []string
	add := func(token string) {
		if token != "" && !containsString(tokens, token) {
			tokens = append(tokens, token)
		}
	}
	for _, name := range names {
		add(fold.Key(name))
		for _, part := range strings.Fields(name) {
			add(fold.Key(part))
		}
		for _, w := range nameWords(name) {
			add(fold.Key(w))
		}
	}
	return strings.Join(tokens, " ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nameWords splits a name into its words: runs of letters, digits and the
// accents written on them.
func nameWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// searchQuery turns what a person types to find a student ("lea dup",
// "Saint-Martin", "N'Diaye") into a student_search query: every word must
// begin a word of the student's names. It is "" when the text has no word.
func searchQuery(text string) string {
	var terms []string
	for _, w := range nameWords(text) {
		if key := fold.Key(w); key != "" {
			terms = append(terms, `"`+key+`"*`)
		}
	}
	return strings.Join(terms, " AND ")
}

// exactQuery is a student_search query for students whose names hold each
// of the folded keys whole: the candidates matching compares exactly.
func exactQuery(keys ...string) string {
	var terms []string
	for _, key := range keys {
		if key != "" {
			terms = append(terms, `"`+key+`"`)
		}
	}
	return strings.Join(terms, " AND ")
}
