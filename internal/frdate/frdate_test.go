package frdate

import (
	"errors"
	"testing"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"14/03/2011", "2011-03-14", nil},
		{"4/3/2011", "2011-03-04", nil},
		{"2011-03-14", "2011-03-14", nil},
		{"14/03/11", "2011-03-14", nil},
		{"14/03/95", "1995-03-14", nil},
		{"14/03/2011 00:00", "2011-03-14", nil},
		{" 29/02/2012 ", "2012-02-29", nil},
		{"31/02/2011", "", ErrImpossible},
		{"29/02/2011", "", ErrImpossible},
		{"14/13/2011", "", ErrImpossible},
		{"", "", ErrFormat},
		{"14.03.2011", "2011-03-14", nil},
		{"14-03-2011", "2011-03-14", nil},
		{"14-03-11", "2011-03-14", nil},
		{"31.02.2011", "", ErrImpossible},
		{"14.03", "", ErrFormat},
		{"14/03/201", "", ErrFormat},
		{"mars 2011", "", ErrFormat},
		{"2011-3-x", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, 26)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"14/03/2026 10:42", "2026-03-14 10:42", nil},    // Pix
		{"14/03/2026 9:05", "2026-03-14 09:05", nil},     // Excel drops the zero
		{"14/03/2026 10:42:00", "2026-03-14 10:42", nil}, // Excel adds seconds
		{"14/03/2026", "2026-03-14", nil},                // Excel re-typed as a date
		{"2025-06-12", "2025-06-12", nil},                // older exports
		{"2025-06-12T08:30:00Z", "2025-06-12 08:30", nil},
		{"14/03/2026 25:00", "", ErrImpossible},
		{"14/03/26 10:42", "", ErrFormat}, // no guessing of a sending's century
		{"NA", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.in)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseDateTime(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestFrench(t *testing.T) {
	for in, want := range map[string]string{"": "", "2026-03-14": "14/03/2026", "2026-03-14 10:42": "14/03/2026"} {
		if got := French(in); got != want {
			t.Errorf("French(%q) = %q, want %q", in, got, want)
		}
	}
}
