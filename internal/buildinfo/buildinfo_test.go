package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func settings(kv ...string) []debug.BuildSetting {
	var s []debug.BuildSetting
	for i := 0; i < len(kv); i += 2 {
		s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
	}
	return s
}

func buildInfo(version string, kv ...string) *debug.BuildInfo {
	return &debug.BuildInfo{
		Main:     debug.Module{Path: "github.com/pixcert/pixcert", Version: version},
		Settings: settings(kv...),
	}
}

// TestFromBuildInfo: what `go build` and `go install` record, as each way
// of building leaves it.
func TestFromBuildInfo(t *testing.T) {
	const hash = "3f2a1c9d8e7b5a4f6e0d1c2b3a4958675f4e3d2c"
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build information", nil,
			"pixcert (version de développement) linux/amd64"},
		{"go build without a checkout (-buildvcs=false)", buildInfo("(devel)"),
			"pixcert (version de développement) linux/amd64"},
		{"go test's binary", buildInfo(""),
			"pixcert (version de développement) linux/amd64"},
		{"go install @v1.2.0", buildInfo("v1.2.0"),
			"pixcert 1.2.0 linux/amd64"},
		{"go install @commit, no tag before it", buildInfo("v0.0.0-20261128093000-3f2a1c9d8e7b"),
			"pixcert version de développement (commit 3f2a1c9d8e7b du 28/11/2026) linux/amd64"},
		{"go install @commit, after v1.2.0", buildInfo("v1.2.1-0.20261128093000-3f2a1c9d8e7b"),
			"pixcert 1.2.1-0.20261128093000-3f2a1c9d8e7b (commit 3f2a1c9d8e7b du 28/11/2026) linux/amd64"},
		{"go install @commit, after v1.3.0-rc.1", buildInfo("v1.3.0-rc.1.0.20261128093000-3f2a1c9d8e7b"),
			"pixcert 1.3.0-rc.1.0.20261128093000-3f2a1c9d8e7b (commit 3f2a1c9d8e7b du 28/11/2026) linux/amd64"},
		{"go build in a clean checkout at a tag",
			buildInfo("v1.2.0", "vcs", "git", "vcs.revision", hash, "vcs.time", "2026-11-28T09:30:00Z", "vcs.modified", "false"),
			"pixcert 1.2.0 (commit 3f2a1c9d8e7b du 28/11/2026) linux/amd64"},
		{"go build in a modified checkout, no tag",
			buildInfo("v0.0.0-20261128093000-3f2a1c9d8e7b+dirty", "vcs", "git", "vcs.revision", hash, "vcs.time", "2026-11-28T09:30:00Z", "vcs.modified", "true"),
			"pixcert version de développement (commit 3f2a1c9d8e7b du 28/11/2026, modifié) linux/amd64"},
		{"go build with a toolchain that records no version",
			buildInfo("(devel)", "vcs.revision", hash, "vcs.time", "2026-11-28T23:30:00+01:00", "vcs.modified", "true"),
			"pixcert version de développement (commit 3f2a1c9d8e7b du 28/11/2026, modifié) linux/amd64"},
		{"a commit with no date", buildInfo("(devel)", "vcs.revision", hash),
			"pixcert version de développement (commit 3f2a1c9d8e7b) linux/amd64"},
		{"a version that is not a tag", buildInfo("vendredi"),
			"pixcert vendredi linux/amd64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := resolve(Stamp{}, tc.bi, "linux/amd64").String()
			if got != tc.want {
				t.Errorf("\ngot  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestStampWins: a release's stamp is all that is said, even when the
// toolchain recorded a checkout too.
func TestStampWins(t *testing.T) {
	checkout := buildInfo("v0.0.0-20261128093000-aaaaaaaaaaaa+dirty", "vcs.revision", strings.Repeat("a", 40), "vcs.modified", "true")
	for _, tc := range []struct {
		name  string
		stamp Stamp
		want  string
	}{
		{"release", Stamp{Version: "v1.2.0", Commit: "3f2a1c9d8e7b5a4f6e0d1c2b3a4958675f4e3d2c", Date: "2026-12-01T17:05:00Z"},
			"pixcert 1.2.0 (commit 3f2a1c9d8e7b, construit le 01/12/2026) windows/amd64"},
		{"release from a modified work tree", Stamp{Version: "v1.2.0-3-g3f2a1c9-dirty", Commit: "3f2a1c9d8e7b5a4f6e0d1c2b3a4958675f4e3d2c", Date: "2026-12-01T17:05:00Z", Modified: true},
			"pixcert 1.2.0-3-g3f2a1c9-dirty (commit 3f2a1c9d8e7b, modifié, construit le 01/12/2026) windows/amd64"},
		{"release without git", Stamp{Version: "dev", Date: "2026-12-01T23:59:59Z"},
			"pixcert version de développement (construit le 01/12/2026) windows/amd64"},
		{"a date that is not RFC 3339", Stamp{Version: "v1.2.0", Date: "hier"},
			"pixcert 1.2.0 windows/amd64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := resolve(tc.stamp, checkout, "windows/amd64").String(); got != tc.want {
				t.Errorf("\ngot  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestLDFlags(t *testing.T) {
	const pkg = "github.com/pixcert/pixcert/internal/buildinfo"
	got := Stamp{Version: "v1.2.0", Commit: "3f2a1c9", Date: "2026-12-01T17:05:00Z"}.LDFlags()
	want := "-X " + pkg + ".Version=v1.2.0 -X " + pkg + ".Commit=3f2a1c9 -X " + pkg + ".Date=2026-12-01T17:05:00Z"
	if got != want {
		t.Errorf("\ngot  %s\nwant %s", got, want)
	}
	if got := (Stamp{Modified: true}).LDFlags(); !strings.HasSuffix(got, " -X "+pkg+".Modified=true") {
		t.Errorf("modified: %s", got)
	}
}
