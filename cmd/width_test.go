package cmd

import (
	"bytes"
	"testing"
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
