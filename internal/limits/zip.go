package limits

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pixcert/pixcert/internal/fileerr"
	"github.com/pixcert/pixcert/internal/visible"
)

// Zip is what the files of an archive may weigh.
type Zip struct {
	MaxEntryBytes int64 // each file, decompressed
	MaxTotalBytes int64 // all files, decompressed
	// Of names the archive in messages: "l'archive", "le classeur".
	Of string
	// Hint says what to do; it ends every message.
	Hint string
}

// errDirectoryTooBig stops archive/zip reading a table of contents past
// MaxZipDirectoryBytes: it keeps every entry it reads in memory.
var errDirectoryTooBig = errors.New("table des matières trop grande")

// OpenZip reads the table of contents of the zip archive r, of size bytes,
// named name in messages, and checks that it lists at most MaxZipEntries
// files. of names the archive in messages ("l'archive") and hint ends them.
// A limit passed comes back as a *fileerr.Error; an archive that cannot be
// read as another error. Check what its files weigh with CheckZip before
// reading them with OpenEntry.
func OpenZip(name string, r io.ReaderAt, size int64, of, hint string) (*zip.Reader, error) {
	// The end of the archive is searched in its last 64 KB, then the table
	// of contents read: archive/zip reads entries until one is not one.
	budget := &budgetReaderAt{r: r, left: MaxZipDirectoryBytes + 80<<10}
	zr, err := zip.NewReader(budget, size)
	budget.left = -1
	fail := func(format string, args ...any) (*zip.Reader, error) {
		return nil, &fileerr.Error{File: name, Msg: strings.TrimSpace(fmt.Sprintf(format, args...) + " " + hint)}
	}
	switch {
	case errors.Is(err, errDirectoryTooBig):
		return fail("la table des matières de %s dépasse %s : il contient trop de fichiers pour être un export.", of, Size(MaxZipDirectoryBytes))
	case errors.Is(err, zip.ErrInsecurePath):
		// Names are never used as paths here.
	case err != nil:
		return nil, err
	}
	if len(zr.File) > MaxZipEntries {
		return fail("%s contient %s fichiers, au-delà des %s acceptés : ce n'est pas un export.", of, Count(int64(len(zr.File))), Count(MaxZipEntries))
	}
	return zr, nil
}

// CheckZip checks, from the table of contents of zr (an archive of size
// bytes, named name), what its files would weigh once decompressed, each
// and all together, and how much bigger than in the archive, before any of
// them is. A limit passed comes back as a *fileerr.Error; an archive that
// cannot be right as another error.
func CheckZip(name string, zr *zip.Reader, size int64, lim Zip) error {
	fail := func(format string, args ...any) error {
		return &fileerr.Error{File: name, Msg: strings.TrimSpace(fmt.Sprintf(format, args...) + " " + lim.Hint)}
	}
	var total uint64
	for _, f := range zr.File {
		full, packed := f.UncompressedSize64, f.CompressedSize64
		switch {
		case packed > uint64(size):
			return fmt.Errorf("« %s » annonce %s compressés, plus que l'archive entière", visible.Quote(f.Name), Size(int64(min(packed, 1<<62))))
		case full > uint64(lim.MaxEntryBytes):
			return fail("« %s », dans %s, ferait %s une fois décompressé, au-delà des %s acceptés.", visible.Quote(f.Name), lim.Of, Over(int64(min(full, 1<<62)), lim.MaxEntryBytes), Size(lim.MaxEntryBytes))
		case full > CompressionRatioFloor && full/max(packed, 1) > MaxCompressionRatio:
			return fail("« %s », dans %s, se décompresse %s fois plus gros (au plus %d fois pour un fichier ordinaire) : c'est une archive piégée, une « bombe de décompression », ou endommagée ; elle n'est pas ouverte.",
				visible.Quote(f.Name), lim.Of, Count(int64(min(full/max(packed, 1), 1<<62))), MaxCompressionRatio)
		}
		total += full
		if total > uint64(lim.MaxTotalBytes) {
			return fail("les fichiers de %s feraient plus de %s une fois décompressés, au-delà des %s acceptés.", lim.Of, Size(int64(min(total, 1<<62))), Size(lim.MaxTotalBytes))
		}
	}
	return nil
}

// budgetReaderAt lets archive/zip read at most left bytes while it reads the
// table of contents, then any number (left < 0).
type budgetReaderAt struct {
	r    io.ReaderAt
	left int64
}

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if b.left < 0 {
		return b.r.ReadAt(p, off)
	}
	if int64(len(p)) <= b.left {
		n, err := b.r.ReadAt(p, off)
		b.left -= int64(n)
		return n, err
	}
	n, err := b.r.ReadAt(p[:b.left], off)
	b.left = 0
	if err == nil {
		err = errDirectoryTooBig
	}
	return n, err
}

// OpenEntry opens a file of an archive read by OpenZip. It reads no more
// than the size the table of contents declares, which OpenZip checked: a
// file that decompresses to more is refused as an error about name, whatever
// archive/zip makes of it.
func OpenEntry(name string, f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &entryReader{rc: rc, left: int64(min(f.UncompressedSize64, 1<<62)), name: name, entry: f.Name}, nil
}

type entryReader struct {
	rc          io.ReadCloser
	left        int64
	name, entry string
}

func (e *entryReader) Read(p []byte) (int, error) {
	if e.left < 0 {
		return 0, e.tooBig()
	}
	if int64(len(p)) > e.left+1 {
		p = p[:e.left+1]
	}
	n, err := e.rc.Read(p)
	e.left -= int64(n)
	// archive/zip, which counts too, says ErrFormat when a file goes past
	// its size.
	if e.left < 0 || errors.Is(err, zip.ErrFormat) {
		return 0, e.tooBig()
	}
	return n, err
}

func (e *entryReader) tooBig() error {
	return &fileerr.Error{File: e.name, Msg: fmt.Sprintf("« %s » se décompresse en plus que la taille annoncée par l'archive : elle est endommagée ou piégée, et n'est pas lue.", visible.Quote(e.entry))}
}

func (e *entryReader) Close() error { return e.rc.Close() }
