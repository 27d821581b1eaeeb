package crash

import (
	"strings"
	"testing"
)

func recovering(f func()) (p *Panic) {
	defer func() { p = Recovered(recover()) }()
	f()
	return nil
}

func indexOutOfRange(i int) int {
	var s []int
	return s[i]
}

func TestRecoveredSaysWhere(t *testing.T) {
	for _, tc := range []struct {
		name      string
		f         func()
		value     string
		whereHint string
	}{
		{"explicit panic", func() { panic("boom") }, "boom", "crash.TestRecoveredSaysWhere.func1, crash/crash_test.go:"},
		{"runtime error", func() { indexOutOfRange(3) }, "runtime error: index out of range [3] with length 0", "crash.indexOutOfRange, crash/crash_test.go:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := recovering(tc.f)
			if p == nil {
				t.Fatal("nothing recovered")
			}
			if got := p.Error(); !strings.Contains(got, tc.value) || !strings.Contains(got, tc.whereHint) {
				t.Errorf("Error() = %q, want the value %q and the place %q", got, tc.value, tc.whereHint)
			}
		})
	}
}

func TestRecoveredKeepsACarriedPanic(t *testing.T) {
	carried := &Panic{Value: "in a goroutine", Where: "importer.read, importer/x.go:12"}
	if p := recovering(func() { panic(carried) }); p != carried {
		t.Errorf("a carried panic became %v", p)
	}
}
