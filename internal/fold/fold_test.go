package fold

import "testing"

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
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
	}
	for _, tt := range tests {
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

func TestAppendIsKey(t *testing.T) {
	for _, s := range []string{"", "LEFÈVRE", "Nguyễn Bảo", "N’DIAYE-Œuvray 3E2", "ǅemal"} {
		if got := string(Append([]byte("x"), s)); got != "x"+Key(s) {
			t.Errorf("Append(x, %q) = %q, want x+%q", s, got, Key(s))
		}
	}
}
