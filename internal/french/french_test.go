package french

import "testing"

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 élève"}, {1, "1 élève"}, {2, "2 élèves"}, {1000, "1000 élèves"}} {
		if got := Plural(tt.n, "élève", "élèves"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := Pick(3, "l'import", "les imports"); got != "les imports" {
		t.Errorf("Pick = %q", got)
	}
}
