package store

import (
	"reflect"
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// An export's summary counts as new only the rows the store did not hold
// before the file: the same as when each file is imported on its own.
func TestNewRowsAreCountedOnceInAnImport(t *testing.T) {
	lea := []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}}
	started, sentOnce := unsent("DUPONT", "Léa", "3E2"), sent("DUPONT", "Léa", "3E2", "2026-03-14 10:42", 6)
	retyped := sent("DUPONT", "Léa", "3E2", "2026-03-14", 6) // re-saved by Excel: the day only
	tests := []struct {
		name    string
		before  []collecte.Participation // imported first, alone; nil: nothing
		exports [][]collecte.Participation
		want    []int // new rows of each export
	}{
		{"a participation started, in two files", nil, [][]collecte.Participation{{started}, {started}}, []int{1, 0}},
		{"a participation started, twice in one file", nil, [][]collecte.Participation{{started, started}}, []int{1}},
		{"a participation started, in two files, of a participant stored before", []collecte.Participation{sentOnce},
			[][]collecte.Participation{{started}, {started}}, []int{1, 0}},
		{"a sending, in two files", nil, [][]collecte.Participation{{sentOnce}, {retyped}}, []int{1, 0}},
		{"both, in three files", nil, [][]collecte.Participation{{sentOnce, started}, {started, retyped}, {retyped, started}}, []int{2, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			together, apart := openStore(t), openStore(t)
			var files map[int]FileSummary
			if tt.before != nil {
				imp(t, together, lea, tt.before)
				imp(t, apart, lea, tt.before)
				files, _ = imp(t, together, nil, tt.exports...)
			} else {
				files, _ = imp(t, together, lea, tt.exports...)
				imp(t, apart, lea)
			}
			for i, rows := range tt.exports {
				one, _ := imp(t, apart, nil, rows)
				if files[i].NewRows != tt.want[i] || one[0].NewRows != tt.want[i] {
					t.Errorf("export %d: %d new rows in one import, %d alone, want %d", i, files[i].NewRows, one[0].NewRows, tt.want[i])
				}
			}
			if got, want := statuses(t, together), statuses(t, apart); !reflect.DeepEqual(got, want) {
				t.Errorf("statuses %v in one import, %v apart", got, want)
			}
			checked(t, together, "in one import")
		})
	}
}
