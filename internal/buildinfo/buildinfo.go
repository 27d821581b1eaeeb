// Package buildinfo says which pixcert is running: its version, the commit
// it was built from and when. `pixcert --version` prints it, and so does the
// line a person reports after a crash.
//
// A release build (go run ./tools/release) stamps the variables below with
// -ldflags -X. A `go build` or `go install` leaves them empty, and the Go
// toolchain's own record is read instead: the module version (v1.2.0 after
// `go install …@v1.2.0`) and, from a git checkout, the commit.
package buildinfo

import (
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Set by the release build's -ldflags -X (see Stamp.LDFlags).
var (
	Version  string // as given to the release command, or git describe: "v1.2.0"
	Commit   string // full hash of the commit
	Date     string // when the release was built, UTC RFC 3339
	Modified string // "true" when the work tree had uncommitted changes
)

// Info is what is known of this build. Empty fields are unknown.
type Info struct {
	Version   string    // "1.2.0", without the tag's v
	Commit    string    // full hash, or its first 12 digits from a pseudo-version
	Modified  bool      // built from a work tree with uncommitted changes
	Built     time.Time // when a release build was made
	Committed time.Time // the commit's date, as the Go toolchain records it
	Platform  string    // "linux/amd64"
}

// Current is this program's build.
func Current() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return resolve(Stamp{Version: Version, Commit: Commit, Date: Date, Modified: Modified == "true"},
		bi, runtime.GOOS+"/"+runtime.GOARCH)
}

// resolve prefers the release's stamp: when any of it is there, the build
// was a release and the toolchain's record, which may describe another
// state of the work tree, is not mixed in.
func resolve(s Stamp, bi *debug.BuildInfo, platform string) Info {
	if s != (Stamp{}) {
		info := Info{Version: displayVersion(s.Version), Commit: s.Commit, Modified: s.Modified, Platform: platform}
		if t, err := time.Parse(time.RFC3339, s.Date); err == nil {
			info.Built = t
		}
		return info
	}
	info := FromBuildInfo(bi)
	info.Platform = platform
	return info
}

// pseudoVersion is the version Go gives a commit that is not a tag:
// v0.0.0-20261201192442-a063c9e89960 when no tag comes before it,
// v1.2.1-0.20261201192442-a063c9e89960 after v1.2.0 (golang.org/ref/mod,
// "Pseudo-versions").
var pseudoVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+-((?:[0-9A-Za-z-]+\.)*0\.)?(\d{14})-([0-9a-f]{12})$`)

// FromBuildInfo reads what the Go toolchain recorded: the module version,
// and vcs.revision, vcs.time and vcs.modified when it was built from a
// checkout. bi may be nil.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	var info Info
	if bi == nil {
		return info
	}
	version := bi.Main.Version
	if version == "(devel)" {
		version = ""
	}
	// Go adds +dirty to the version it derives from a modified checkout.
	version, metadata, _ := strings.Cut(version, "+")
	if metadata == "dirty" {
		info.Modified = true
	}
	// go install …@<commit> records no vcs settings: the pseudo-version
	// carries the commit and its date. One with no tag before it says
	// nothing more than they do.
	if m := pseudoVersion.FindStringSubmatch(version); m != nil {
		info.Commit = m[3]
		info.Committed, _ = time.Parse("20060102150405", m[2])
		if m[1] == "" {
			version = ""
		}
	}
	info.Version = displayVersion(version)
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.time":
			if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
				info.Committed = t
			}
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// displayVersion drops a tag's v: v1.2.0 is pixcert 1.2.0. "dev", what the
// release command stamps without git, is no version.
func displayVersion(v string) string {
	if v == "dev" {
		return ""
	}
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v[1:]
	}
	return v
}

// String is the line `pixcert --version` prints:
//
//	pixcert 1.2.0 (commit 3f2a1c9d8e7b, construit le 01/12/2026) linux/amd64
//	pixcert version de développement (commit 3f2a1c9d8e7b du 28/11/2026, modifié) linux/amd64
//	pixcert (version de développement) linux/amd64
func (i Info) String() string {
	var details []string
	if i.Commit != "" {
		commit := "commit " + ShortCommit(i.Commit)
		if !i.Committed.IsZero() {
			commit += " du " + frenchDate(i.Committed)
		}
		details = append(details, commit)
	}
	if i.Modified {
		details = append(details, "modifié")
	}
	if !i.Built.IsZero() {
		details = append(details, "construit le "+frenchDate(i.Built))
	}
	version := i.Version
	switch {
	case version == "" && len(details) == 0:
		version = "(version de développement)"
	case version == "":
		version = "version de développement"
	}
	line := "pixcert " + version
	if len(details) > 0 {
		line += " (" + strings.Join(details, ", ") + ")"
	}
	if i.Platform != "" {
		line += " " + i.Platform
	}
	return line
}

// ShortCommit is the first 12 digits of a commit's hash, as many as a
// pseudo-version keeps.
func ShortCommit(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// The day, in UTC as the release stamps it and git records it.
func frenchDate(t time.Time) string { return t.UTC().Format("02/01/2006") }

// Stamp is what a release build writes into the variables above.
type Stamp struct {
	Version, Commit, Date string
	Modified              bool
}

// LDFlags are the linker's -X flags that write s into this package's
// variables. The values must hold no space nor quote: go build splits
// -ldflags on them.
func (s Stamp) LDFlags() string {
	pkg := reflect.TypeFor[Info]().PkgPath()
	flags := []string{
		"-X " + pkg + ".Version=" + s.Version,
		"-X " + pkg + ".Commit=" + s.Commit,
		"-X " + pkg + ".Date=" + s.Date,
	}
	if s.Modified {
		flags = append(flags, "-X "+pkg+".Modified=true")
	}
	return strings.Join(flags, " ")
}
