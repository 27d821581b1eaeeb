package frdate

import (
	"testing"
	"time"
)

// FuzzParse: an accepted date is a real one, written YYYY-MM-DD[ HH:MM].
func FuzzParse(f *testing.F) {
	for _, s := range []string{"14/03/2011", "14/03/11", "2011-03-14", "14/03/2026 10:42", "14/03/2026 10:42:00", "31/02/2011", "2025-06-12T08:30:00Z", "NA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The short paths read what the general parser reads, the same way.
		if fast, ok := pixDate(s); ok {
			if d, _, err := parse(s, 26); err != nil || d != fast {
				t.Fatalf("pixDate(%q) = %q, the parser gives %q, %v", s, fast, d, err)
			}
		}
		if fast, ok := pixDateTime(s); ok {
			if d, clock, err := parse(s, -1); err != nil || d+" "+clock != fast {
				t.Fatalf("pixDateTime(%q) = %q, the parser gives %q %q, %v", s, fast, d, clock, err)
			}
		}
		if d, err := ParseDate(s, 26); err == nil {
			if _, perr := time.Parse("2006-01-02", d); perr != nil {
				t.Fatalf("ParseDate(%q) = %q, not a date", s, d)
			}
		}
		if d, err := ParseDateTime(s); err == nil {
			layout := "2006-01-02"
			if len(d) > 10 {
				layout = "2006-01-02 15:04"
			}
			if _, perr := time.Parse(layout, d); perr != nil {
				t.Fatalf("ParseDateTime(%q) = %q, not a date", s, d)
			}
		}
	})
}
