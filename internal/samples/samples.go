// Package samples gives tests the real-shaped files of testdata/samples,
// copied from the project's shared samples, wherever the test runs from.
package samples

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir is the folder of the sample files.
var Dir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "samples")
}()

// Path is the path of a sample file.
func Path(name string) string { return filepath.Join(Dir, name) }

// Read returns the content of a sample file.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(Path(name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// AddSeeds adds the sample files matching pattern (e.g. "roster-*.csv") to a
// fuzz corpus.
func AddSeeds(f *testing.F, pattern string) {
	paths, err := filepath.Glob(filepath.Join(Dir, pattern))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no sample matches %q", pattern)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}
