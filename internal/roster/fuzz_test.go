package roster

import (
	"bytes"
	"testing"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/limits"
	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/tabfile"
)

// FuzzRead: a roster is read into students with a name, or into problems
// naming the file; it never panics.
func FuzzRead(f *testing.F) {
	samples.AddSeeds(f, "roster-*.csv")
	f.Add([]byte("Élève;Classe\nDUPONT;3E2\n DUPONT  Léa ;\n"))
	f.Add([]byte("NOM;PRENOM;DIVISION;INE;DATE NAISS\nA;B;C;1;31/02/2011\nA;B;C;1;29/02/12\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := tabfile.Open("fuzz.csv", bytes.NewReader(data), tabfile.Options{})
		if err != nil {
			return
		}
		r, ok := Detect(tf, now)
		if !ok {
			return
		}
		var errs fileerr.Collector
		err = r.Read(&errs, func(s Student) error {
			if s.LastName == "" || s.FirstName == "" || s.Line <= tf.HeaderLine {
				t.Fatalf("student without a name or a line: %+v", s)
			}
			if s.Birthdate != "" && len(s.Birthdate) != 10 {
				t.Fatalf("birth date %q is not YYYY-MM-DD", s.Birthdate)
			}
			withinLimits(t, s)
			return nil
		})
		if err != nil {
			t.Fatalf("Read returned %v; file problems belong in the collector", err)
		}
		for _, e := range errs.Kept {
			if e.File != "fuzz.csv" || e.Msg == "" {
				t.Fatalf("problem without file or message: %+v", e)
			}
		}
	})
}

// withinLimits fails when a student read holds a field longer than a real
// one can be.
func withinLimits(t *testing.T, s Student) {
	for _, f := range []struct {
		value string
		max   int
	}{{s.NationalID, limits.MaxIDChars}, {s.StudentNumber, limits.MaxIDChars}, {s.LastName, limits.MaxNameChars},
		{s.UsageName, limits.MaxNameChars}, {s.FirstName, limits.MaxNameChars}, {s.Class, limits.MaxClassChars}} {
		if _, long := limits.TooLong(f.value, f.max); long {
			t.Fatalf("student read with a field past its limit: %+v", s)
		}
	}
}

// FuzzSIECLEXML: the XML export is read into students with a national id
// and a division, or into problems naming the file; it never panics.
func FuzzSIECLEXML(f *testing.F) {
	samples.AddSeeds(f, "ElevesSansAdresses.xml")
	f.Add([]byte(xmlHead + `<ELEVE ELEVE_ID="1"><ID_NATIONAL>X</ID_NATIONAL></ELEVE></ELEVES></DONNEES></BEE_ELEVES>`))
	f.Add([]byte(`<?xml version="1.0" encoding="x-unknown"?><BEE_ELEVES/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var errs fileerr.Collector
		_, err := ReadSIECLEXML("fuzz.xml", bytes.NewReader(data), now, &errs, func(s Student) error {
			if s.NationalID == "" || s.Class == "" || s.LastName == "" || s.FirstName == "" {
				t.Fatalf("student Pix would not keep: %+v", s)
			}
			withinLimits(t, s)
			return nil
		})
		if err != nil {
			t.Fatalf("ReadSIECLEXML returned %v; file problems belong in the collector", err)
		}
		for _, e := range errs.Kept {
			if e.File != "fuzz.xml" || e.Msg == "" {
				t.Fatalf("problem without file or message: %+v", e)
			}
		}
	})
}
