package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pixcert/pixcert/cmd"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pixcert": func() { os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the end-to-end scripts of testdata/script against the real
// binary. Each script starts with the sample files in $WORK/samples, their
// Excel and school-software variants in $WORK/variants, and a
// home and configuration folder of its own, so the default store is
// $WORK/.config/pixcert/pixcert.db.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		// PIXCERT_UPDATE_SCRIPTS=1 rewrites the expected files that cmp
		// compares with what pixcert prints: review the diff before a commit.
		UpdateScripts: os.Getenv("PIXCERT_UPDATE_SCRIPTS") != "",
		Cmds:          map[string]func(ts *testscript.TestScript, neg bool, args []string){"unescape": unescape},
		Setup: func(env *testscript.Env) error {
			home := env.WorkDir
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("APPDATA", filepath.Join(home, "AppData"))
			if err := copyDir("testdata/samples", filepath.Join(env.WorkDir, "samples")); err != nil {
				return err
			}
			return copyDir("testdata/variants", filepath.Join(env.WorkDir, "variants"))
		},
	})
}

func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// unescape SRC DST writes DST with the escapes of SRC (\x1b, \u202e, \t,
// \\ as in Go) turned into the bytes they stand for: a script's files are
// text, and some files a school receives hold escape sequences, controls
// or bytes that are not UTF-8.
func unescape(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: unescape SRC DST")
	}
	src := ts.ReadFile(args[0])
	var out strings.Builder
	for src != "" {
		r, multibyte, tail, err := strconv.UnquoteChar(src, 0)
		if err != nil {
			ts.Fatalf("unescape %s: %v near %q", args[0], err, src[:min(len(src), 10)])
		}
		if r < utf8.RuneSelf || multibyte || !strings.HasPrefix(src, `\x`) {
			out.WriteRune(r)
		} else {
			out.WriteByte(byte(r)) // \xe9: that byte, not é
		}
		src = tail
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out.String()), 0o644))
}
