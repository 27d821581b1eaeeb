package cmd

import (
	"bytes"
	"testing"

	"github.com/pixcert/pixcert/internal/importer"
)

// Tables fit COLUMNS when it is a number (0: no limit), else the
// terminal, else 80 columns: a file, a pipe, a test.
func TestTableWidth(t *testing.T) {
	tests := []struct {
		name     string
		columns  string // "" : unset
		terminal int    // 0: not a terminal
		want     int
	}{
		{"a pipe", "", 0, 80},
		{"a terminal", "", 132, 132},
		{"a narrow terminal", "", 12, minTableWidth},
		{"COLUMNS wins", "200", 132, 200},
		{"COLUMNS in a pipe", "100", 0, 100},
		{"COLUMNS=0: no limit", "0", 132, 0},
		{"COLUMNS too small", "5", 0, minTableWidth},
		{"COLUMNS not a number", "large", 132, 132},
		{"COLUMNS negative", "-1", 0, 80},
		{"COLUMNS with spaces", " 90 ", 0, 90},
	}
	for _, tt := range tests {
		f := &Factory{
			Getenv: func(name string) string {
				if name == "COLUMNS" {
					return tt.columns
				}
				return ""
			},
			TerminalWidth: func(any) int { return tt.terminal },
		}
		if got := tableWidth(f, &bytes.Buffer{}); got != tt.want {
			t.Errorf("%s: width %d, want %d", tt.name, got, tt.want)
		}
	}
	if got := tableWidth(&Factory{}, &bytes.Buffer{}); got != defaultTableWidth {
		t.Errorf("without environment nor terminal: %d, want %d", got, defaultTableWidth)
	}
}

// The progress bar of an import is drawn on a terminal only: never in a
// pipe, a file or a test.
func TestProgressBarOnATerminalOnly(t *testing.T) {
	for _, tt := range []struct {
		name     string
		terminal func(any) int
		drawn    bool
	}{
		{"no terminal known", nil, false},
		{"stderr is a pipe", func(any) int { return 0 }, false},
		{"stderr is a terminal", func(any) int { return 100 }, true},
	} {
		f := &Factory{Err: &bytes.Buffer{}, TerminalWidth: tt.terminal}
		var iopts importer.Options
		bar := startProgressBar(f, &iopts)
		bar.Stop()
		f.close()
		if (bar != nil) != tt.drawn || (iopts.Progress != nil) != tt.drawn {
			t.Errorf("%s: bar %v, progress %v; want drawn %v", tt.name, bar != nil, iopts.Progress != nil, tt.drawn)
		}
		if got := f.Err.(*bytes.Buffer).String(); got != "" {
			t.Errorf("%s: an import shorter than the delay drew %q", tt.name, got)
		}
	}
}
