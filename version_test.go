package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/buildinfo"
)

// TestStampedVersion builds the real binary the way the release does,
// with -ldflags -X, and asks it its version both ways.
func TestStampedVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pixcert")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "pixcert")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	stamp := buildinfo.Stamp{Version: "v1.2.0", Commit: "3f2a1c9d8e7b5a4f6e0d1c2b3a4958675f4e3d2c", Date: "2026-12-01T17:05:00Z"}
	build := exec.Command(goCmd, "build", "-buildvcs=false", "-ldflags", stamp.LDFlags(), "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	want := "pixcert 1.2.0 (commit 3f2a1c9d8e7b, construit le 01/12/2026) " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Errorf("pixcert %s: %v", strings.Join(args, " "), err)
		}
		if string(out) != want {
			t.Errorf("pixcert %s:\n%q\nwant\n%q", strings.Join(args, " "), out, want)
		}
	}
}
