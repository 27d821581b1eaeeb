package store

import (
	"testing"

	"github.com/pixcert/pixcert/internal/collecte"
	"github.com/pixcert/pixcert/internal/roster"
)

// exportOrders are the ways two exports can reach a store: which of them
// (0 or 1) each import reads, in turn.
var exportOrders = []struct {
	name    string
	imports [][]int
}{
	{"one import, the first then the second", [][]int{{0, 1}}},
	{"one import, the second then the first", [][]int{{1, 0}}},
	{"the first, then the second", [][]int{{0}, {1}}},
	{"the second, then the first", [][]int{{1}, {0}}},
}

// importInTurn imports a roster and exports in the imports an order says.
func importInTurn(t *testing.T, st *Store, students []roster.Student, imports [][]int, exports ...[]collecte.Participation) {
	t.Helper()
	for i, files := range imports {
		var rows [][]collecte.Participation
		for _, f := range files {
			rows = append(rows, exports[f])
		}
		if i == 0 {
			imp(t, st, students, rows...)
		} else {
			imp(t, st, nil, rows...)
		}
	}
}

// An export made before 2023/2024 dates a sending by its UTC day
// (« Date de l'envoi »), a current one by its time in Paris (UTC+1 in
// winter, UTC+2 in summer): the same sending, read from both, is stored
// once, with its time. A current export re-saved by Excel keeps the day in
// Paris: that too is the same sending. Another day is another sending.
func TestASendingOfBothExportErasIsStoredOnce(t *testing.T) {
	lea := []roster.Student{{NationalID: "1", LastName: "DUPONT", FirstName: "Léa", Class: "3E2"}}
	tests := []struct {
		name        string
		day, timed  string // the old export's date, the current one's
		wantSending int
		wantDate    string
	}{
		{"winter, UTC+1: 00:20 in Paris is the day before in UTC", "2022-11-30", "2022-12-01 00:20", 1, "2022-12-01 00:20"},
		{"summer, UTC+2: 01:30 in Paris is the day before in UTC", "2023-06-14", "2023-06-15 01:30", 1, "2023-06-15 01:30"},
		{"the night the clocks go back: 01:59 in Paris is still summer time", "2023-10-28", "2023-10-29 01:59", 1, "2023-10-29 01:59"},
		{"the night the clocks go forward: 00:30 in Paris is 23:30 UTC", "2024-03-30", "2024-03-31 00:30", 1, "2024-03-31 00:30"},
		{"the night the clocks go forward: 01:30 in Paris is still winter time, 00:30 UTC", "2024-03-30", "2024-03-31 01:30", 2, "2024-03-31 01:30"},
		{"in the day, both days are one", "2022-12-01", "2022-12-01 15:00", 1, "2022-12-01 15:00"},
		{"an Excel re-save keeps the day in Paris", "2022-12-01", "2022-12-01 00:20", 1, "2022-12-01 00:20"},
		{"winter, 01:00 in Paris is midnight UTC, the same day", "2022-11-30", "2022-12-01 01:00", 2, "2022-12-01 01:00"},
		{"summer, 02:10 in Paris is the same day in UTC", "2023-06-14", "2023-06-15 02:10", 2, "2023-06-15 02:10"},
		{"two days apart", "2022-11-29", "2022-12-01 00:20", 2, "2022-12-01 00:20"},
		{"the day after", "2022-12-02", "2022-12-01 00:20", 2, "2022-12-02"},
	}
	for _, tt := range tests {
		for _, order := range exportOrders {
			t.Run(tt.name+"/"+order.name, func(t *testing.T) {
				st := openStore(t)
				old := []collecte.Participation{sent("DUPONT", "Léa", "6E2", tt.day, 4)}
				current := []collecte.Participation{sent("DUPONT", "Léa", "3E2", tt.timed, 4)}
				importInTurn(t, st, lea, order.imports, old, current)
				list, err := st.Students(ctx, Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(list) != 1 || list[0].Sendings != tt.wantSending || list[0].StatusDate != tt.wantDate {
					t.Fatalf("%+v: want %d sending(s), the latest of %s", list, tt.wantSending, tt.wantDate)
				}
				history, err := st.History(ctx, list[0].ID)
				if err != nil || len(history) != tt.wantSending {
					t.Errorf("history %+v (%v): want %d sending(s)", history, err, tt.wantSending)
				}
				checked(t, st, "after both exports")
			})
		}
	}
}

func TestSameSendingDay(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"2022-12-01 00:20", "2022-12-01 23:59", true}, // the day a time is read as, in Paris
		{"2022-12-01 00:20", "2022-11-30 23:50", false},
		{"2022-12-01", "2022-12-01", true},
		{"2022-11-30", "2022-12-01", false},
		{"2022-12-01 00:20", "2022-11-30", true}, // 23:20 UTC
		{"2022-12-01 00:20", "2022-12-01", true},
		{"2022-12-01 00:59", "2022-11-30", true},
		{"2022-12-01 01:00", "2022-11-30", false}, // 00:00 UTC
		{"2023-06-15 01:59", "2023-06-14", true},  // 23:59 UTC
		{"2023-06-15 02:00", "2023-06-14", false}, // 00:00 UTC
		{"2023-10-29 01:59", "2023-10-28", true},  // summer time until 03:00
		{"2024-03-31 00:30", "2024-03-30", true},  // winter time until 02:00
		{"2024-03-31 01:30", "2024-03-30", false}, // 00:30 UTC
		{"2023-01-01 00:30", "2022-12-31", true},  // over a year's end
		{"2024-03-01 00:30", "2024-02-29", true},  // a leap day
		{"2022-12-02 00:20", "2022-11-30", false},
		{"2022-12-01 00:20", "2022-12-02", false},
	}
	for _, tt := range tests {
		for _, pair := range [][2]string{{tt.a, tt.b}, {tt.b, tt.a}} {
			if got := sameSendingDay(pair[0], pair[1]); got != tt.want {
				t.Errorf("sameSendingDay(%q, %q) = %v, want %v", pair[0], pair[1], got, tt.want)
			}
		}
	}
}
