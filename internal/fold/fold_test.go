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
