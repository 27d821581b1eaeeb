// Command release builds pixcert for the computers schools have — Windows
// on Intel and ARM, macOS on Apple and Intel chips, Linux — into dist/,
// with a SHA256SUMS file to check them by:
//
//	go run ./tools/release                  # version from git describe
//	go run ./tools/release -version v1.2.0
//	go run ./tools/release -check           # builds each, keeps nothing (CI)
//
// Each binary is stamped with its version, commit and build date
// (internal/buildinfo), which `pixcert --version` prints. CGO_ENABLED=0:
// pixcert's SQLite is pure Go, so one machine builds them all and they need
// no C library where they run. SOURCE_DATE_EPOCH, when set, is the build
// date: the same commit then gives the same bytes.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pixcert/pixcert/internal/buildinfo"
)

// target is a system pixcert is built for.
type target struct{ OS, Arch string }

func (t target) String() string { return t.OS + "/" + t.Arch }

// targets are the school computers: Windows first, most of them.
var targets = []target{
	{"windows", "amd64"},
	{"windows", "arm64"},
	{"darwin", "arm64"},
	{"darwin", "amd64"},
	{"linux", "amd64"},
}

// sumsFile is read by `sha256sum -c SHA256SUMS` in dist/.
const sumsFile = "SHA256SUMS"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}

// Exit codes.
const (
	exitOK    = 0
	exitBuild = 1 // a build, git or a file failed
	exitUsage = 2
)

func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the flag package speaks English: usage below
	version := fs.String("version", "", "")
	check := fs.Bool("check", false, "")
	usage := func() {
		fmt.Fprint(stderr, `Utilisation : go run ./tools/release [-version v1.2.0] [-check]

Construit pixcert pour Windows (amd64, arm64), macOS (arm64, amd64) et Linux (amd64)
dans dist/, avec le fichier SHA256SUMS de leurs empreintes. dist/ est vidé d'abord.

Options :
  -version TEXTE   numéro de version (par défaut : git describe --tags --always --dirty,
                   ou « dev » sans git)
  -check           construit chaque système dans un dossier temporaire sans rien garder
                   (ce que fait la CI)

Variable SOURCE_DATE_EPOCH : date de construction en secondes depuis 1970 (constructions
reproductibles) ; sinon, maintenant.
`)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return exitOK
		}
		fmt.Fprintf(stderr, "release : %s\nAide : go run ./tools/release -h\n", frenchFlagError(err))
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "release : argument inattendu « %s »\nAide : go run ./tools/release -h\n", fs.Arg(0))
		return exitUsage
	}
	if *version != "" {
		if err := checkVersion(*version); err != nil {
			fmt.Fprintf(stderr, "release : %s\n", err)
			return exitUsage
		}
	}
	if err := release(ctx, *version, *check, stderr); err != nil {
		fmt.Fprintf(stderr, "release : %s\n", err)
		return exitBuild
	}
	return exitOK
}

func frenchFlagError(err error) string {
	msg := err.Error()
	for en, fr := range map[string]string{
		"flag provided but not defined: ": "option inconnue : ",
		"flag needs an argument: ":        "l'option attend une valeur : ",
		"invalid boolean value ":          "valeur invalide ",
		"bad flag syntax: ":               "option mal écrite : ",
	} {
		msg = strings.ReplaceAll(msg, en, fr)
	}
	return msg
}

// A version goes into file names and into go build's -ldflags, which
// splits on spaces and quotes.
var versionChars = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+_-]*$`)

func checkVersion(v string) error {
	if !versionChars.MatchString(v) {
		return fmt.Errorf("version « %s » invalide : lettres, chiffres, « . », « - », « _ » et « + » seulement, par exemple v1.2.0", v)
	}
	return nil
}

func release(ctx context.Context, version string, check bool, stderr io.Writer) error {
	start := time.Now()
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	stamp, err := stampFor(ctx, root, version, os.Getenv("SOURCE_DATE_EPOCH"), time.Now())
	if err != nil {
		return err
	}
	if stamp.Modified {
		fmt.Fprintln(stderr, "attention : le dossier a des modifications non validées (git status) ; "+
			"les binaires le diront (« modifié »).")
	}
	dir := filepath.Join(root, "dist")
	shown := "dist/"
	if check {
		if dir, err = os.MkdirTemp("", "pixcert-release-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		shown = "un dossier temporaire"
	} else {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
	}
	commit := buildinfo.ShortCommit(stamp.Commit)
	if commit == "" {
		commit = "inconnu (pas de git)"
	}
	fmt.Fprintf(stderr, "pixcert %s (commit %s, construit le %s) pour %d systèmes, dans %s :\n",
		stamp.Version, commit, stamp.Date, len(targets), shown)
	var names []string
	for _, t := range targets {
		name := binaryName(stamp.Version, t)
		began := time.Now()
		if err := build(ctx, root, filepath.Join(dir, name), t, stamp, stderr); err != nil {
			return fmt.Errorf("%s : %w", t, err)
		}
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "  %-14s %-36s %s Mo  %s s\n", t, name,
			frenchDecimal(float64(st.Size())/(1<<20)), frenchDecimal(time.Since(began).Seconds()))
		names = append(names, name)
	}
	if err := writeChecksums(dir, names); err != nil {
		return err
	}
	if check {
		fmt.Fprintf(stderr, "Les %d systèmes se construisent (%s s) ; rien n'est gardé.\n",
			len(targets), frenchDecimal(time.Since(start).Seconds()))
		return nil
	}
	fmt.Fprintf(stderr, "%d binaires et %s dans dist/ en %s s. Pour vérifier : cd dist && sha256sum -c %s\n",
		len(names), sumsFile, frenchDecimal(time.Since(start).Seconds()), sumsFile)
	return nil
}

// moduleRoot is pixcert's folder, wherever in it the command is run.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD : %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("lancez la commande depuis le dossier de pixcert (go.mod introuvable)")
	}
	return filepath.Dir(gomod), nil
}

// stampFor says what the binaries will say of themselves.
func stampFor(ctx context.Context, root, version, sourceDateEpoch string, now time.Time) (buildinfo.Stamp, error) {
	var s buildinfo.Stamp
	date, err := buildDate(sourceDateEpoch, now)
	if err != nil {
		return s, err
	}
	s.Date = date
	_, gitErr := exec.LookPath("git")
	hasGit := gitErr == nil && gitOutput(ctx, root, "rev-parse", "--is-inside-work-tree") == "true"
	if hasGit {
		s.Commit = gitOutput(ctx, root, "rev-parse", "HEAD")
		s.Modified = gitOutput(ctx, root, "status", "--porcelain") != ""
	}
	switch {
	case version != "":
		s.Version = version
	case hasGit:
		s.Version = gitOutput(ctx, root, "describe", "--tags", "--always", "--dirty")
		if err := checkVersion(s.Version); err != nil {
			return s, fmt.Errorf("git describe : %w ; donnez -version", err)
		}
	default:
		s.Version = "dev"
	}
	return s, nil
}

// gitOutput is what git prints, or "" when it fails.
func gitOutput(ctx context.Context, dir string, args ...string) string {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// buildDate is SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else
// now, in UTC RFC 3339.
func buildDate(sourceDateEpoch string, now time.Time) (string, error) {
	if sourceDateEpoch == "" {
		return now.UTC().Format(time.RFC3339), nil
	}
	secs, err := strconv.ParseInt(sourceDateEpoch, 10, 64)
	if err != nil || secs < 0 {
		return "", fmt.Errorf("SOURCE_DATE_EPOCH « %s » invalide : un nombre de secondes depuis le 01/01/1970 attendu", sourceDateEpoch)
	}
	return time.Unix(secs, 0).UTC().Format(time.RFC3339), nil
}

// binaryName is pixcert-1.2.0-windows-amd64.exe: the version as
// `pixcert --version` says it, without the tag's v.
func binaryName(version string, t target) string {
	if len(version) > 1 && version[0] == 'v' && version[1] >= '0' && version[1] <= '9' {
		version = version[1:]
	}
	name := "pixcert-" + version + "-" + t.OS + "-" + t.Arch
	if t.OS == "windows" {
		name += ".exe"
	}
	return name
}

func build(ctx context.Context, root, out string, t target, stamp buildinfo.Stamp, stderr io.Writer) error {
	// -buildvcs=false: the stamp says what git would, and go build would
	// fail where git refuses a checkout owned by someone else.
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w "+stamp.LDFlags(), "-o", out, ".")
	cmd.Dir = root
	// The oldest processors of each kind: a developer's GOAMD64=v3 must
	// not make a binary that an old school computer cannot run.
	cmd.Env = append(os.Environ(), "GOOS="+t.OS, "GOARCH="+t.Arch, "CGO_ENABLED=0", "GOAMD64=v1", "GOARM64=v8.0")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		stderr.Write(output.Bytes())
		return fmt.Errorf("go build a échoué : %w", err)
	}
	return nil
}

// writeChecksums writes dir/SHA256SUMS in sha256sum's format: the hash,
// two spaces, the file's name; sorted by name.
func writeChecksums(dir string, names []string) error {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	var b strings.Builder
	for _, name := range sorted {
		sum, err := fileSHA256(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, name)
	}
	return os.WriteFile(filepath.Join(dir, sumsFile), []byte(b.String()), 0o644)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func frenchDecimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
}
