package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/store"
)

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFilesPixcertDoesNotReadAreRefusedWithAdvice(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
		want    string
	}{
		{"eleves.ods", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), "classeur LibreOffice (.ods)"},
		{"eleves.xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 100)...), "classeur Excel ancien (.xls)"},
		{"resultats.pdf", []byte("%PDF-1.7\n..."), "document PDF"},
		{"photos.zip", zipOf(t, map[string]string{"a.jpg": "jpeg"}), "archive .zip sans export SIECLE"},
		{"cut.zip", []byte("PK\x03\x04 cut short"), "archive illisible"},
		{"cut.xlsx", zipOf(t, map[string]string{"xl/workbook.xml": "<not a workbook"}), "classeur Excel illisible"},
		{"other.xml", []byte(`<?xml version="1.0"?><ROOT/>`), "élément racine « ROOT »"},
	}
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "pixcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), st, []string{samples.Path("roster-siecle.csv"), path}, Options{Now: time.Now()})
			if !errors.Is(err, ErrInvalidFiles) {
				t.Fatalf("Run error = %v, want ErrInvalidFiles", err)
			}
			got := res.Files[1].Errors
			if got.Total != 1 || !strings.Contains(got.Kept[0].Msg, tt.want) {
				t.Errorf("problems = %v, want one saying %q", got.Kept, tt.want)
			}
			if res.Files[0].Errors.Total != 0 {
				t.Errorf("the good roster got problems: %v", res.Files[0].Errors.Kept)
			}
		})
	}
	if has, err := st.HasStudents(context.Background()); err != nil || has {
		t.Errorf("students stored after refused imports (%v)", err)
	}
}
