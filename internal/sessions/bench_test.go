package sessions

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkMakeLarge plans a big lycée: 1,000 slots, 60 classes of 35,
// shared supervisors.
func BenchmarkMakeLarge(b *testing.B) {
	var spec Spec
	for i := range 30 {
		spec.Supervisors = append(spec.Supervisors, fmt.Sprintf("Surveillant %d", i))
	}
	day := at(b, "16/03/2026 08:00")
	for r := range 50 {
		for k := range 20 {
			spec.Slots = append(spec.Slots, Slot{Room: fmt.Sprintf("Salle %d", r), Seats: 12 + r%20,
				Start: day.Add(time.Duration(k/4)*24*time.Hour + time.Duration(k%4)*(DefaultDuration+2*DefaultMargin))})
		}
	}
	var candidates []Candidate
	for c := range 60 {
		candidates = append(candidates, class(fmt.Sprintf("2nde%d", c+1), 35, 3, 17)...)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Make(spec, candidates); err != nil {
			b.Fatal(err)
		}
	}
}
