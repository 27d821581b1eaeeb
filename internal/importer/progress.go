package importer

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/pixcert/pixcert/internal/limits"
)

// Phase is a step of an import, as a progress bar names it.
type Phase int32

const (
	PhaseOpening Phase = iota // the files are opened
	PhaseSurvey               // each file is recognised, and its SHA-256 computed
	PhaseReading              // rows are read and stored
	PhaseStoring              // the import ends: indexes, statuses, the commit
)

// Progress is how far an import is. The import updates it as it goes;
// another goroutine reads it (Now) to draw a progress bar. A nil Progress
// counts nothing.
type Progress struct {
	phase      atomic.Int32
	file       atomic.Int32 // being read, from 1
	files      atomic.Int32
	rows       atomic.Int64
	bytes      atomic.Int64 // of the files, hashed (survey) or read (reading)
	totalBytes atomic.Int64
}

// ProgressState is what Progress says at one moment.
type ProgressState struct {
	Phase       Phase
	File, Files int   // the file being read, from 1, of how many
	Rows        int64 // read so far
	Bytes       int64 // of the phase, hashed or read, of TotalBytes
	TotalBytes  int64
}

// Now reads the state of the import.
func (p *Progress) Now() ProgressState {
	return ProgressState{
		Phase: Phase(p.phase.Load()), File: int(p.file.Load()), Files: int(p.files.Load()),
		Rows: p.rows.Load(), Bytes: p.bytes.Load(), TotalBytes: p.totalBytes.Load(),
	}
}

func (p *Progress) setPhase(ph Phase) {
	if p != nil {
		p.bytes.Store(0)
		p.phase.Store(int32(ph))
	}
}

func (p *Progress) addRow() {
	if p != nil {
		p.rows.Add(1)
	}
}

// Percent is how far the phase is, 0 to 100; -1 when it cannot be told.
func (s ProgressState) Percent() int {
	if s.TotalBytes <= 0 || (s.Phase != PhaseSurvey && s.Phase != PhaseReading) {
		return -1
	}
	return int(min(100, s.Bytes*100/s.TotalBytes))
}

// String says the state in French, for a progress bar:
// « fichier 2 sur 3, 12 345 lignes lues ».
func (s ProgressState) String() string {
	switch s.Phase {
	case PhaseSurvey:
		return "examen des fichiers"
	case PhaseReading:
		if s.Files == 1 {
			return "lecture, " + rowsRead(s.Rows)
		}
		return fmt.Sprintf("fichier %d sur %d, %s", s.File, s.Files, rowsRead(s.Rows))
	case PhaseStoring:
		return "enregistrement dans la base, " + rowsRead(s.Rows)
	}
	return "ouverture des fichiers"
}

func rowsRead(n int64) string {
	if n > 1 {
		return limits.Count(n) + " lignes lues"
	}
	return limits.Count(n) + " ligne lue"
}

// progressReader counts what it reads into n.
type progressReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c progressReader) Read(b []byte) (int, error) {
	k, err := c.r.Read(b)
	c.n.Add(int64(k))
	return k, err
}

// counted is r, counting what it reads into the bytes of the phase, when
// it is phase.
func (p *Progress) counted(r io.Reader, phase Phase) io.Reader {
	if p == nil || Phase(p.phase.Load()) != phase {
		return r
	}
	return progressReader{r, &p.bytes}
}
