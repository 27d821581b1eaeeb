package visible

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain ASCII", "MARTIN Tom", "MARTIN Tom"},
		{"accents and apostrophes", "N'DIAYE Aïssatou-Hélène", "N'DIAYE Aïssatou-Hélène"},
		{"no-break spaces are text", "DE\u00a0LA\u202fTOUR", "DE\u00a0LA\u202fTOUR"},
		{"terminal escape sequence", "\x1b[2J\x1b]0;pwned\x07Tom", `\x1b[2J\x1b]0;pwned\x07Tom`},
		{"tab, newline, carriage return", "a\tb\nc\rd", `a\tb\nc\rd`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 control (CSI)", "a\u009b31mb", `a\x9b31mb`},
		{"right-to-left override", "Tom\u202eevil", `Tom\u202eevil`},
		{"bidi isolates", "\u2066x\u2069", `\u2066x\u2069`},
		{"left-to-right and Arabic marks", "\u200ea\u061c", `\u200ea\u061c`},
		{"zero-width space and BOM", "a\u200bb\ufeff", `a\u200bb\ufeff`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"bytes that are not UTF-8", "caf\xe9", `caf\xe9`},
		{"soft hyphen is kept", "Jean\u00adPierre", "Jean\u00adPierre"},
		{"emoji are text", "Léa 🙂", "Léa 🙂"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Escape(tc.in); got != tc.want {
				t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("DUPONT"); got != "DUPONT" {
		t.Errorf("short text: %q", got)
	}
	exact := strings.Repeat("é", MaxQuoted)
	if got := Quote(exact); got != exact {
		t.Errorf("text of MaxQuoted characters is cut: %q", got)
	}
	long := strings.Repeat("é", 50<<20/2) + "\x1b"
	got := Quote(long)
	want := strings.Repeat("é", MaxQuoted) + "… (26214401 caractères en tout)"
	if got != want {
		t.Errorf("Quote(50 MB) = %q, want %q", got, want)
	}
	if got := Quote(strings.Repeat("\x1b", 100)); !strings.HasPrefix(got, strings.Repeat(`\x1b`, MaxQuoted)+"…") {
		t.Errorf("controls are cut by characters, then escaped: %q", got)
	}
}

func TestLines(t *testing.T) {
	in := "eleves.csv, ligne 2 : « \x1b[31m »\neleves.csv, ligne 3 : « \u202e »"
	want := "eleves.csv, ligne 2 : « \\x1b[31m »\neleves.csv, ligne 3 : « \\u202e »"
	if got := Lines(in); got != want {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"MARTIN", "\x1b[2J", "\u202e", "caf\xe9", "a\u2028b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if i := firstUnsafe(got); i >= 0 {
			t.Fatalf("Escape(%q) = %q still has an unsafe character at %d", s, got, i)
		}
		if firstUnsafe(s) < 0 && got != s {
			t.Fatalf("safe text changed: %q -> %q", s, got)
		}
	})
}

func BenchmarkEscapeName(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Escape("N'DIAYE Aïssatou-Hélène")
	}
}
