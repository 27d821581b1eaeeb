package importer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/fileerr"
)

func TestWriteErrorsShowsTheFirstTwentyPerFileThenACount(t *testing.T) {
	bad := &FileResult{Name: "eleves.csv"}
	for line := 2; line < 2+25; line++ {
		bad.Errors.Add(&fileerr.Error{File: "eleves.csv", Line: line, Msg: "problème"})
	}
	other := &FileResult{Name: "export.csv"}
	other.Errors.Add(&fileerr.Error{File: "export.csv", Msg: "fichier vide"})
	res := &Result{Files: []*FileResult{bad, other, {Name: "bon.csv"}}}

	var out bytes.Buffer
	res.WriteErrors(&out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{}
	for line := 2; line < 22; line++ {
		want = append(want, fmt.Sprintf("erreur : eleves.csv, ligne %d : problème", line))
	}
	want = append(want,
		"erreur : eleves.csv, … et 5 erreurs de plus dans ce fichier.",
		"erreur : export.csv : fichier vide",
		"26 erreurs dans 2 fichiers : rien n'a été importé, la base est inchangée. Corrigez et relancez la même commande.")
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestCollectorKeepsABoundedNumber(t *testing.T) {
	var c fileerr.Collector
	for i := 0; i < fileerr.MaxKept+500; i++ {
		c.Add(&fileerr.Error{File: "x", Msg: "m"})
	}
	if len(c.Kept) != fileerr.MaxKept || c.Total != fileerr.MaxKept+500 {
		t.Errorf("kept %d of %d, want %d of %d", len(c.Kept), c.Total, fileerr.MaxKept, fileerr.MaxKept+500)
	}
}
