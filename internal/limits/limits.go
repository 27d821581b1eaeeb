// Package limits says how much of an input file pixcert accepts before it
// refuses the file as broken or hostile, and holds the readers that enforce
// it: a zip archive opened without trusting what its headers declare, and
// an XML document read without letting one text, tag or element grow past
// a bound. Every limit is far above what a real file of a school, or of an
// académie, holds; a file past one is refused with a message that names the
// limit, never read until memory or the disk runs out.
package limits

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pixcert/pixcert/internal/visible"
)

// Text files (CSV and text exports).
const (
	// MaxRecordBytes bounds one record of a text file (one line, or several
	// when a quoted cell holds line ends), in bytes of text once decoded.
	// A row of a Pix export is under 1 KB, a roster row a few hundred
	// bytes: a thousand times that is a file with no line end for
	// megabytes, or a quote never closed, not a table.
	MaxRecordBytes = 1 << 20
	// MaxCellChars bounds one cell: Excel's own limit (32,767 characters),
	// so that whatever a spreadsheet wrote, pixcert reads.
	MaxCellChars = 32767
	// MaxSpooledBytes bounds standard input, or a pipe, which pixcert copies
	// once into a temporary file to read it. The export of an académie of
	// a million students weighs about 500 MB: twice that is room enough,
	// and the temporary folder never fills up from an endless stream.
	MaxSpooledBytes = 1 << 30
)

// Cells of rosters and exports, in characters.
const (
	// MaxNameChars bounds a last name, a name in use, first names, or one
	// cell holding "NOM Prénoms". The longest French names, with several
	// first names or a double-barrelled last name, stay under 100.
	MaxNameChars = 200
	// MaxClassChars bounds a class, division or group: "3E2", "TSTI2D-1",
	// a university group under 60.
	MaxClassChars = 100
	// MaxIDChars bounds a national student id (INE, 11 characters) or a
	// student number.
	MaxIDChars = 64
	// MaxLabelChars bounds what Pix limits to 255 characters: the name of
	// an organization, of a campaign, its code, a campaign's external id
	// (often an e-mail address, itself at most 254).
	MaxLabelChars = 255
)

// Archives (the SIECLE export in its .zip) and workbooks (.xlsx), which are
// zip archives too.
const (
	// MaxZipEntries bounds the files in an archive. The SIECLE .zip holds
	// one; a workbook of 250 sheets, each with its drawings and comments,
	// under 2,000.
	MaxZipEntries = 4096
	// MaxZipDirectoryBytes bounds the archive's table of contents, read
	// before anything else: 4,096 entries with names of 300 characters.
	MaxZipDirectoryBytes = 2 << 20
	// MaxCompressionRatio bounds how much bigger than in the archive a file
	// of over CompressionRatioFloor bytes may be once decompressed. XML and
	// CSV compress about 10 times, a sheet of repeated cells 50 times; a
	// "zip bomb", made to fill memory or disk, a thousand times.
	MaxCompressionRatio = 200
	// CompressionRatioFloor: smaller files are too small to matter, and
	// compress unevenly.
	CompressionRatioFloor = 1 << 20
	// MaxArchiveBytes bounds all the files of an archive, decompressed.
	MaxArchiveBytes = 1 << 30
	// MaxSIECLEXMLBytes bounds the SIECLE export ElevesSansAdresses.xml,
	// about 2.5 KB a student: 100,000 students (see MaxSIECLEStudents).
	MaxSIECLEXMLBytes = 256 << 20
	// MaxSIECLEStudents bounds the students of one SIECLE export, kept in
	// memory until their divisions are read at the end of the file. SIECLE
	// exports one establishment; the biggest lycées have about 5,000
	// students.
	MaxSIECLEStudents = 100_000
)

// Workbooks (.xlsx).
const (
	// MaxWorkbookBytes bounds a workbook's parts, decompressed: its sheets
	// are extracted to a temporary folder. A sheet of Pix's export weighs
	// about 4 KB a student as Excel writes it: this is an export of
	// 100,000 students; bigger files are for CSV, which has no such limit.
	MaxWorkbookBytes = 512 << 20
	// WorkbookXMLInMemory is the size above which a sheet or the table of
	// shared strings is read from a temporary file rather than memory
	// (excelize's UnzipXMLSizeLimit). Shared strings held in memory take
	// about 10 times their size: 2 MB hold the 75,000 distinct texts of an
	// export of 40,000 students in under 20 MB.
	WorkbookXMLInMemory = 2 << 20
	// MaxWorkbookPartBytes bounds every other part (styles, theme,
	// drawings, pictures), which are held in memory: the styles of a
	// heavily formatted workbook weigh a few hundred KB.
	MaxWorkbookPartBytes = 16 << 20
	// MaxWorkbookInMemoryBytes bounds the parts of one workbook held in
	// memory while it is open: everything but the sheets and shared
	// strings above WorkbookXMLInMemory.
	MaxWorkbookInMemoryBytes = 32 << 20
	// MaxOpenWorkbooksInMemoryBytes bounds the same for all the workbooks
	// of one import, each open from when it is first looked at to when it
	// has been read.
	MaxOpenWorkbooksInMemoryBytes = 96 << 20
	// MaxSheets bounds the sheets of a workbook: one a class of a big
	// lycée is 60; Excel long allowed 255.
	MaxSheets = 250
	// MaxSharedStrings bounds the distinct texts of a workbook, each costing
	// about 56 bytes of memory when read from a temporary file: a roster or
	// an export of 100,000 students has about 200,000.
	MaxSharedStrings = 1_000_000
	// MaxSheetRowBytes bounds one row of a sheet as Excel writes it, about
	// 40 bytes a cell: a full row of Excel's 16,384 columns, four times.
	MaxSheetRowBytes = 4 << 20
)

// XML, for SIECLE exports and the parts of workbooks.
const (
	// MaxXMLText bounds a text between two tags, once escaped: a cell of
	// MaxCellChars characters, each up to 4 bytes of UTF-8, or 6 when
	// written as &amp; or &#xXXXX;.
	MaxXMLText = 256 << 10
	// MaxXMLTag bounds a tag with its attributes; a cell's or a student's
	// are under 100 bytes.
	MaxXMLTag = 64 << 10
	// MaxXMLDepth bounds how deep elements nest: SIECLE's students are at
	// depth 4, a workbook's cells at depth 4 to 6.
	MaxXMLDepth = 64
	// MaxSIECLEStudentBytes bounds one student of a SIECLE export (an
	// ELEVE, its STRUCTURES_ELEVE, its OPTIONS), each a few KB.
	MaxSIECLEStudentBytes = 1 << 20
)

// Size writes a number of bytes as Windows' Explorer shows it to a French
// user, in binary units: "512 Mo", "1 Go", "1,5 Go", "64 Ko".
func Size(n int64) string {
	units := []string{"octets", "Ko", "Mo", "Go", "To"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d octets", n)
	}
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " " + units[u]
}

// Over writes n, a size past limit, as Size does; "plus de" the limit when
// both would read the same.
func Over(n, limit int64) string {
	if Size(n) == Size(limit) {
		return "plus de " + Size(limit)
	}
	return Size(n)
}

// Count writes a count with spaces between thousands, as French does.
func Count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Count(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// TooLong reports whether s has more than max characters, and then how
// many; it counts them only when s holds more than max bytes, which nearly
// no cell does.
func TooLong(s string, max int) (chars int, tooLong bool) {
	if len(s) <= max {
		return 0, false
	}
	n := utf8.RuneCountInString(s)
	return n, n > max
}

// TooLongMessage says that value, of chars characters, is too long for
// what ("un nom"), which holds at most max: a cell that long holds
// something else.
func TooLongMessage(value string, chars, max int, what string) string {
	return fmt.Sprintf("« %s » est trop long pour %s (%s caractères, au plus %d) : la cellule contient sans doute autre chose "+
		"(colonnes décalées, texte collé) ; vérifiez cette ligne.", visible.Quote(value), what, Count(int64(chars)), max)
}
