package collecte

import (
	"bytes"
	"testing"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/tabfile"
)

// FuzzRead: an export is read into well-formed participations or into
// problems naming the file; it never panics.
func FuzzRead(f *testing.F) {
	samples.AddSeeds(f, "collecte-*.csv")
	f.Add([]byte(header("Classe") + "\n" + sentRow("Oui", "x", "3E2") + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := tabfile.Open("fuzz.csv", bytes.NewReader(data), tabfile.Options{})
		if err != nil {
			return
		}
		r, ok := Detect(tf)
		if !ok {
			return
		}
		var errs, warnings fileerr.Collector
		err = r.Read(&errs, &warnings, func(p Participation) error {
			if p.LastName == "" || p.FirstName == "" || p.CampaignID <= 0 {
				t.Fatalf("participation without a name or campaign: %+v", p)
			}
			if p.Sent && len(p.SentAt) < 10 {
				t.Fatalf("sent participation without a date: %+v", p)
			}
			for _, f := range []struct {
				value string
				max   int
			}{{p.Organization, limits.MaxLabelChars}, {p.CampaignName, limits.MaxLabelChars}, {p.LastName, limits.MaxNameChars},
				{p.FirstName, limits.MaxNameChars}, {p.Class, limits.MaxClassChars}, {p.ExternalID, limits.MaxLabelChars}} {
				if _, long := limits.TooLong(f.value, f.max); long {
					t.Fatalf("participation read with a field past its limit: %+v", p)
				}
			}
			for i := 0; i < certif.CompetenceCount; i++ {
				if p.Profile.Levels[i] < 0 || p.Profile.Pix[i] < 0 {
					t.Fatalf("negative level or pix: %+v", p)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Read returned %v; file problems belong in the collector", err)
		}
		for _, e := range append(errs.Kept, warnings.Kept...) {
			if e.File != "fuzz.csv" || e.Msg == "" {
				t.Fatalf("problem without file or message: %+v", e)
			}
		}
	})
}
