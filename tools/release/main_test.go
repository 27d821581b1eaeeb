package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/buildinfo"
)

func TestTargets(t *testing.T) {
	var got []string
	for _, tg := range targets {
		got = append(got, tg.String())
	}
	want := "windows/amd64 windows/arm64 darwin/arm64 darwin/amd64 linux/amd64"
	if strings.Join(got, " ") != want {
		t.Errorf("targets %v, want %s", got, want)
	}
}

func TestBinaryName(t *testing.T) {
	for _, tc := range []struct {
		version string
		target  target
		want    string
	}{
		{"v1.2.0", target{"windows", "amd64"}, "pixcert-1.2.0-windows-amd64.exe"},
		{"v1.2.0", target{"windows", "arm64"}, "pixcert-1.2.0-windows-arm64.exe"},
		{"v1.2.0", target{"darwin", "arm64"}, "pixcert-1.2.0-darwin-arm64"},
		{"1.2.0", target{"darwin", "amd64"}, "pixcert-1.2.0-darwin-amd64"},
		{"v1.2.0-3-g3f2a1c9-dirty", target{"linux", "amd64"}, "pixcert-1.2.0-3-g3f2a1c9-dirty-linux-amd64"},
		{"a063c9e", target{"linux", "amd64"}, "pixcert-a063c9e-linux-amd64"},
		{"dev", target{"windows", "amd64"}, "pixcert-dev-windows-amd64.exe"},
		{"version2", target{"linux", "amd64"}, "pixcert-version2-linux-amd64"},
	} {
		if got := binaryName(tc.version, tc.target); got != tc.want {
			t.Errorf("binaryName(%q, %s) = %q, want %q", tc.version, tc.target, got, tc.want)
		}
	}
}

// TestWriteChecksums: the file `sha256sum -c` reads, sorted by name.
func TestWriteChecksums(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"pixcert-1.2.0-windows-amd64.exe": "abc",
		"pixcert-1.2.0-darwin-arm64":      "",
		"pixcert-1.2.0-linux-amd64":       "The quick brown fox jumps over the lazy dog",
	}
	var names []string
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := writeChecksums(dir, names); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	// The digests of FIPS 180-2's "abc", of nothing and of the fox.
	want := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  pixcert-1.2.0-darwin-arm64\n" +
		"d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592  pixcert-1.2.0-linux-amd64\n" +
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  pixcert-1.2.0-windows-amd64.exe\n"
	if string(got) != want {
		t.Errorf("SHA256SUMS:\n%s\nwant\n%s", got, want)
	}
}

func TestBuildDate(t *testing.T) {
	now := time.Date(2026, 12, 1, 18, 5, 0, 0, time.FixedZone("Paris", 3600))
	for _, tc := range []struct {
		epoch, want string
	}{
		{"", "2026-12-01T17:05:00Z"},
		{"1764608700", "2025-12-01T17:05:00Z"},
		{"0", "1970-01-01T00:00:00Z"},
	} {
		got, err := buildDate(tc.epoch, now)
		if err != nil || got != tc.want {
			t.Errorf("buildDate(%q) = %q, %v; want %q", tc.epoch, got, err, tc.want)
		}
	}
	for _, bad := range []string{"hier", "-1", "1764608700.5"} {
		if _, err := buildDate(bad, now); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH « "+bad+" » invalide") {
			t.Errorf("buildDate(%q): %v", bad, err)
		}
	}
}

func TestCheckVersion(t *testing.T) {
	for _, ok := range []string{"v1.2.0", "1.2.0-rc.1", "v1.2.0+build.5", "a063c9e", "dev"} {
		if err := checkVersion(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "v1 2", "v1.2.0'", `v"1`, "-v1", "../v1", "v1/2"} {
		if err := checkVersion(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestUsage: a wrong command line is told in French before anything is
// built.
func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-version", "v1 2"}, exitUsage, "release : version « v1 2 » invalide"},
		{[]string{"-versoin", "v1"}, exitUsage, "release : option inconnue : -versoin"},
		{[]string{"-version"}, exitUsage, "release : l'option attend une valeur : -version"},
		{[]string{"v1.2.0"}, exitUsage, "release : argument inattendu « v1.2.0 »"},
		{[]string{"-h"}, exitOK, "Utilisation : go run ./tools/release"},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), tc.args, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: exit %d, want %d; stderr %q lacks %q", tc.args, code, tc.code, stderr.String(), tc.want)
		}
	}
}

// TestStampFromGit: without -version, the version is git describe's, the
// commit HEAD, and a change not committed says so.
func TestStampFromGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git absent")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=pixcert", "-c", "user.email=pixcert@example.org",
			"-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.org/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "go.mod")
	git("commit", "-q", "-m", "un")
	git("tag", "v1.2.0")
	head := git("rev-parse", "HEAD")
	now := time.Date(2026, 12, 1, 17, 5, 0, 0, time.UTC)
	ctx := context.Background()

	s, err := stampFor(ctx, dir, "", "", now)
	want := buildinfo.Stamp{Version: "v1.2.0", Commit: head, Date: "2026-12-01T17:05:00Z"}
	if err != nil || s != want {
		t.Errorf("at the tag: %+v, %v; want %+v", s, err, want)
	}
	if s, _ := stampFor(ctx, dir, "v9.9.9", "1764608700", now); s.Version != "v9.9.9" || s.Date != "2025-12-01T17:05:00Z" {
		t.Errorf("-version and SOURCE_DATE_EPOCH: %+v", s)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.org/m\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = stampFor(ctx, dir, "", "", now)
	want = buildinfo.Stamp{Version: "v1.2.0-dirty", Commit: head, Date: "2026-12-01T17:05:00Z", Modified: true}
	if err != nil || s != want {
		t.Errorf("modified: %+v, %v; want %+v", s, err, want)
	}

	notGit := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(notGit)) // a TMPDIR inside a checkout
	s, err = stampFor(ctx, notGit, "", "", now)
	want = buildinfo.Stamp{Version: "dev", Date: "2026-12-01T17:05:00Z"}
	if err != nil || s != want {
		t.Errorf("outside git: %+v, %v; want %+v", s, err, want)
	}
}
