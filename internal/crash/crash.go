// Package crash turns a panic, which is a bug in pixcert, into one line a
// person can copy into a report: what went wrong and where in the code. A
// panic in a goroutine of pixcert's is carried to the main one with the
// place it happened, so that the command ends like any other failure: the
// store's transaction rolled back, temporary files removed, an exit code
// of its own.
package crash

import (
	"fmt"
	"runtime"
	"strings"
)

// Panic is a recovered panic and the place in pixcert's code it came from.
type Panic struct {
	Value any
	Where string // function, file:line; "" when unknown
}

func (p *Panic) Error() string {
	if p.Where == "" {
		return fmt.Sprintf("panic: %v", p.Value)
	}
	return fmt.Sprintf("panic: %v (%s)", p.Value, p.Where)
}

// Recovered wraps the value recover returned. Call it in the deferred
// function that recovered, so that the panicking frame is still on the
// stack; a value that is already a *Panic, carried from another goroutine,
// is kept as it is.
func Recovered(r any) *Panic {
	if p, ok := r.(*Panic); ok {
		return p
	}
	return &Panic{Value: r, Where: panicSite()}
}

// panicSite is the first frame below runtime.gopanic that is not the
// runtime's own (an index out of range goes through runtime.goPanicIndex).
func panicSite() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	below := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			below = true
		case below && !strings.HasPrefix(f.Function, "runtime."):
			return fmt.Sprintf("%s, %s:%d", shortFunction(f.Function), shortFile(f.File), f.Line)
		}
		if !more {
			return ""
		}
	}
}

// shortFunction drops the module path: pixcert/internal/store.(*Import).Add
// becomes store.(*Import).Add.
func shortFunction(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// shortFile keeps the package folder and the file name, which say where
// the code is without the builder's home directory.
func shortFile(path string) string {
	parts := strings.Split(path, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, "/")
}
