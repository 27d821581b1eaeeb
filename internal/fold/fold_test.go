package fold

import (
	"strings"
	"testing"
)

// keyTests are names and headers with the key they fold to.
var keyTests = []struct{ in, want string }{
	{"", ""},
	{"DUPONT", "dupont"},
	{"LEFÈVRE", "lefevre"},
	{"Lefevre", "lefevre"},
	{"N'DIAYE", "ndiaye"},
	{"N’Diaye", "ndiaye"},
	{"SAINT-MARTIN", "saintmartin"},
	{"Saint Martin", "saintmartin"},
	{"Jean-Baptiste", "jeanbaptiste"},
	{"Nguyễn", "nguyen"},
	{"Bảo", "bao"},
	{"Maëlle", "maelle"},
	{"Lætitia", "laetitia"},
	{"Œuvray", "oeuvray"},
	{"Nom d’usage", "nomdusage"},
	{"Identifiant unique*", "identifiantunique"},
	{"Date de naissance (jj/mm/aaaa)*", "datedenaissancejjmmaaaa"},
	{"  3E2 ", "3e2"},
	{"=BONO", "bono"},
	{"Ǆemal", "dzemal"},
	{"ǅemal", "dzemal"},
	{"Ｍartin", "martin"},
	{"Griﬀon", "griffon"},
	{"Nguyễn Bảo 3E2", "nguyenbao3e2"},
}

func TestKey(t *testing.T) {
	for _, tt := range keyTests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSortKeyOrdersNumbersNaturally(t *testing.T) {
	ordered := []string{"2NDE1", "2nde 2", "2NDE10", "3E2", "3E10", "TD1", "TD9", "TD10", "Term A"}
	for i := 1; i < len(ordered); i++ {
		if a, b := SortKey(ordered[i-1]), SortKey(ordered[i]); a >= b {
			t.Errorf("SortKey(%q) = %q is not before SortKey(%q) = %q", ordered[i-1], a, ordered[i], b)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{{"", "", 0}, {"dupont", "dupont", 0}, {"dupont", "dupond", 1}, {"division", "divison", 1}, {"lea", "leo", 1}, {"", "abc", 3}, {"martin", "tom", 5}}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

// Append appends the key after what the buffer holds, and leaves it alone.
func TestAppend(t *testing.T) {
	for _, tt := range keyTests {
		buf := make([]byte, 1, 64)
		buf[0] = '>'
		if got := string(Append(buf, tt.in)); got != ">"+tt.want {
			t.Errorf("Append(>, %q) = %q, want %q", tt.in, got, ">"+tt.want)
		}
	}
}

// DistanceAtMost agrees with Distance within its limit, and says "more"
// beyond it.
func TestDistanceAtMost(t *testing.T) {
	words := []string{"", "a", "dupont", "dupond", "durand", "martin", "saintmartin", "lea", "leo", "zoeanne"}
	for _, a := range words {
		for _, b := range words {
			d := Distance(a, b)
			for limit := 0; limit <= 12; limit++ {
				want := min(d, limit+1)
				if got := DistanceAtMost(a, b, limit); got != want {
					t.Errorf("DistanceAtMost(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
				}
			}
		}
	}
}

func TestDistanceOfLongKeys(t *testing.T) {
	long := strings.Repeat("ab", 50)
	if got := Distance(long, long+"c"); got != 1 {
		t.Errorf("Distance of keys of 100 and 101 bytes = %d, want 1", got)
	}
}
