package certif

import "testing"

func profileWithLevels(levels ...int) Profile {
	var p Profile
	copy(p.Levels[:], levels)
	for i, l := range p.Levels {
		p.Pix[i] = l * PixPerLevel
	}
	return p
}

func TestStatusOf(t *testing.T) {
	tests := []struct {
		name      string
		profile   Profile
		wantCount int
		want      Status
	}{
		{"empty profile", Profile{}, 0, NotCertifiable},
		{"four competences at level 1", profileWithLevels(1, 1, 1, 1), 4, NotCertifiable},
		{"exactly five", profileWithLevels(1, 1, 1, 1, 1), 5, Certifiable},
		{"five spread out with zeros between", profileWithLevels(0, 2, 0, 1, 0, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5), 5, Certifiable},
		{"high levels count once each", profileWithLevels(7, 7, 7, 7), 4, NotCertifiable},
		{"all sixteen", profileWithLevels(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5), 16, Certifiable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.profile.CertifiableCompetences(); got != tt.wantCount {
				t.Errorf("CertifiableCompetences() = %d, want %d", got, tt.wantCount)
			}
			if got := StatusOf(tt.profile); got != tt.want {
				t.Errorf("StatusOf() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPixWithoutLevelDoesNotCount(t *testing.T) {
	// MARTIN Tom in the samples: 7 pix in a competence is one short of level 1.
	p := profileWithLevels(1, 1, 1, 1)
	p.Pix[4] = 7
	if got := p.CertifiableCompetences(); got != 4 {
		t.Fatalf("CertifiableCompetences() = %d, want 4", got)
	}
}

func TestLabels(t *testing.T) {
	want := map[Status]string{
		Certifiable:     "Certifiable",
		NotCertifiable:  "Non Certifiable",
		NotCommunicated: "Non communiqué",
	}
	for s, label := range want {
		if got := s.Label(); got != label {
			t.Errorf("%s.Label() = %q, want %q", s, got, label)
		}
	}
}
