package fold

import (
	"slices"
	"testing"
)

func TestByCloseness(t *testing.T) {
	classes := []string{"3E1", "3E2", "3E10", "4A", "4B", "6ème B", "TD9"}
	tests := []struct {
		name  string
		texts []string
		want  []string
	}{
		{"one letter off", []string{"4Z"}, []string{"4A", "4B", "3E1", "3E2", "TD9", "3E10", "6ème B"}},
		{"compared folded", []string{"3e 2"}, []string{"3E2", "3E1", "3E10", "4A", "4B", "TD9", "6ème B"}},
		{"accents and case do not count", []string{"6EME-B"}, []string{"6ème B", "3E1", "3E2", "3E10", "4B", "4A", "TD9"}},
		{"natural order among ties", []string{"3E"}, []string{"3E1", "3E2", "3E10", "4A", "4B", "TD9", "6ème B"}},
		{"closest to any of several", []string{"4Z", "TD0"}, []string{"4A", "4B", "TD9", "3E1", "3E2", "3E10", "6ème B"}},
		{"nothing known", []string{"4Z"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := classes
			if tt.want == nil {
				names = nil
			}
			before := slices.Clone(names)
			got := ByCloseness(names, tt.texts...)
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("ByCloseness(%q) = %q, want %q", tt.texts, got, tt.want)
			}
			if !slices.Equal(names, before) {
				t.Errorf("ByCloseness changed its argument: %q", names)
			}
		})
	}
}
