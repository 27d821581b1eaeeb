package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	tests := []struct {
		text    string
		percent int
		width   int
		want    string
	}{
		{"Import : examen des fichiers", 45, 80, "Import : examen des fichiers  45 % █████████░░░░░░░░░░░"},
		{"Import : fichier 2 sur 3, 12 345 lignes lues", 100, 80, "Import : fichier 2 sur 3, 12 345 lignes lues 100 % ████████████████████"},
		{"Import : enregistrement dans la base, 12 345 lignes lues", -1, 80, "Import : enregistrement dans la base, 12 345 lignes lues"},
		// Narrow: the bar goes, then the text is cut.
		{"Import : fichier 2 sur 3, 12 345 lignes lues", 7, 40, "Import : fichier 2 sur 3, 12 345…   7 %"},
		{"Import : enregistrement dans la base", -1, 20, "Import : enregistr…"},
		{"Import : 王王王王王王王王", -1, 20, "Import : 王王王王…"},
	}
	for _, tt := range tests {
		got := Line(tt.text, tt.percent, tt.width)
		if got != tt.want {
			t.Errorf("Line(%q, %d, %d) =\n%q, want\n%q", tt.text, tt.percent, tt.width, got, tt.want)
		}
		if cells(got) > tt.width-1 {
			t.Errorf("Line(%q, %d, %d) is %d cells wide: it would wrap", tt.text, tt.percent, tt.width, cells(got))
		}
	}
}

// The bar is drawn at its ticks only, redrawn in place over a longer
// line, and erased at the end; a task that ends before the first tick
// draws nothing.
func TestBar(t *testing.T) {
	// Called by the bar's goroutine only, once a drawing.
	texts := []string{"Import : examen des fichiers", "Import : examen des fichiers", "Import : lecture, 8 lignes lues", "Import : examen des fichiers"}
	drawings := 0
	state := func() (string, int) { drawings++; return texts[drawings-1], -1 }

	var quiet bytes.Buffer
	never := make(chan time.Time)
	Start(&quiet, 80, Ticks{After: never, Every: never}, state).Stop()
	if quiet.Len() != 0 {
		t.Errorf("a task shorter than the delay drew %q", quiet.String())
	}

	var out bytes.Buffer
	after, every := make(chan time.Time), make(chan time.Time)
	b := Start(&out, 80, Ticks{After: after, Every: every}, state)
	after <- time.Time{}
	every <- time.Time{}
	every <- time.Time{}
	every <- time.Time{} // a shorter line covers the longer one
	b.Stop()
	b.Stop()
	want := "\rImport : examen des fichiers |" +
		"\rImport : examen des fichiers /" +
		"\rImport : lecture, 8 lignes lues -" +
		"\rImport : examen des fichiers \\   " +
		"\r" + strings.Repeat(" ", len("Import : lecture, 8 lignes lues -")) + "\r"
	if out.String() != want {
		t.Errorf("drew\n%q\nwant\n%q", out.String(), want)
	}
}
