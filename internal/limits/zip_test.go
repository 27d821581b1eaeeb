package limits

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/hostile"
)

var testZip = Zip{MaxEntryBytes: 8 << 20, MaxTotalBytes: 12 << 20, Of: "l'archive", Hint: "Extrayez-la."}

func openAndCheck(name string, archive []byte, lim Zip) (*zip.Reader, error) {
	zr, err := OpenZip(name, bytes.NewReader(archive), int64(len(archive)), lim.Of, lim.Hint)
	if err != nil {
		return nil, err
	}
	return zr, CheckZip(name, zr, int64(len(archive)), lim)
}

type entry struct {
	name string
	data []byte
	// declared, when not 0, replaces the decompressed size the archive
	// announces: a lie.
	declared uint64
}

func zipOf(t *testing.T, entries ...entry) []byte {
	parts := make([]hostile.Part, len(entries))
	for i, e := range entries {
		parts[i] = hostile.Part{Name: e.name, Write: hostile.Text(string(e.data)), Declared: e.declared}
	}
	return hostile.Zip(parts...)
}

func TestOpenZipLimits(t *testing.T) {
	many := make([]entry, MaxZipEntries+1)
	for i := range many {
		many[i] = entry{name: fmt.Sprintf("f%d.xml", i), data: []byte("<a/>")}
	}
	bomb := bytes.Repeat([]byte{0}, 4<<20) // 4 MB of zeros pack into 4 KB
	tests := []struct {
		name    string
		archive []byte
		want    string
	}{
		{"ordinary", zipOf(t, entry{name: "ElevesSansAdresses.xml", data: []byte("<BEE_ELEVES/>")}), ""},
		{"too many files", zipOf(t, many...), "l'archive contient 4 097 fichiers, au-delà des 4 096 acceptés"},
		{"a file too big", zipOf(t, entry{name: "a.xml", data: []byte("<a/>"), declared: 5 << 30}), "« a.xml », dans l'archive, ferait 5 Go une fois décompressé, au-delà des 8 Mo acceptés"},
		{"all files too big", zipOf(t, many[:8]...), "les fichiers de l'archive feraient plus de 32 octets une fois décompressés, au-delà des 30 octets acceptés"},
		{"a bomb", zipOf(t, entry{name: "a.xml", data: bomb}), "se décompresse 1 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := testZip
			if tt.name == "all files too big" {
				lim.MaxTotalBytes = 30
			}
			zr, err := openAndCheck("eleves.zip", tt.archive, lim)
			if tt.want == "" {
				if err != nil || len(zr.File) != 1 {
					t.Fatalf("OpenZip = %v", err)
				}
				return
			}
			var fe *fileerr.Error
			if !errors.As(err, &fe) || fe.File != "eleves.zip" || !strings.Contains(fe.Msg, tt.want) || !strings.HasSuffix(fe.Msg, " Extrayez-la.") {
				t.Fatalf("OpenZip error = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// TestOpenZipStopsAtALongTableOfContents: archive/zip keeps every entry of
// the table of contents in memory; past MaxZipDirectoryBytes, it is not
// read on.
func TestOpenZipStopsAtALongTableOfContents(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	name := strings.Repeat("n", 200)
	for i := 0; i < 2*MaxZipDirectoryBytes/250; i++ {
		zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%s%d", name, i), Method: zip.Store})
	}
	zw.Close()
	counter := &countingReaderAt{r: bytes.NewReader(b.Bytes())}
	_, err := OpenZip("x.zip", counter, int64(b.Len()), "l'archive", "")
	var fe *fileerr.Error
	if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "la table des matières de l'archive dépasse 2 Mo") {
		t.Fatalf("error = %v", err)
	}
	if counter.n > MaxZipDirectoryBytes+80<<10 {
		t.Errorf("read %d bytes of the archive", counter.n)
	}
}

type countingReaderAt struct {
	r io.ReaderAt
	n int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// TestOpenEntryTrustsNoHeader: a file that decompresses to more than its
// header says is cut there and refused.
func TestOpenEntryTrustsNoHeader(t *testing.T) {
	archive := zipOf(t, entry{name: "a.xml", data: bytes.Repeat([]byte("x"), 100000), declared: 1000})
	zr, err := openAndCheck("eleves.zip", archive, testZip)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := OpenEntry("eleves.zip", zr.File[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if err == nil || n > 1000 {
		t.Errorf("read %d bytes, error %v; want at most the 1000 announced, and an error", n, err)
	}
}
