package sessions

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// FuzzReadSpec: a plan file is read into slots a plan can use, or into
// problems; never a panic, and never more than MaxSlots slots.
func FuzzReadSpec(f *testing.F) {
	for _, name := range []string{"plan-exemple.csv", "plan-exemple.yaml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, data)
		f.Add("plan", data)
	}
	f.Add("plan.yaml", []byte("salles: [{nom: CDI, places: 3}]\ncreneaux: [{date: 16/03/2026, heure: 8h}]\n"))
	f.Add("plan.yaml", []byte("a: &a [*a]\n"))
	f.Add("plan.csv", []byte("Salle,Places,Date,Heure\nCDI,3,16/03/26,8h30\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		spec, err := ReadSpec(name, bytes.NewReader(data), now)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if len(spec.Slots) == 0 || len(spec.Slots) > MaxSlots {
			t.Fatalf("%d slots read", len(spec.Slots))
		}
		for _, s := range spec.Slots {
			if s.Seats < 1 || s.Seats > maxSeats || s.Room == "" || s.Start.Before(now.Add(-24*time.Hour)) {
				t.Fatalf("a slot no plan can use: %+v", s)
			}
		}
		if spec.Duration < 0 || spec.Duration > maxDuration || spec.Margin < 0 || spec.Margin > maxMargin {
			t.Fatalf("lengths out of bounds: %v %v", spec.Duration, spec.Margin)
		}
		// What was read plans, or is refused as a spec, without a panic.
		_, _ = Make(spec, class("3E1", 5, 1))
	})
}
