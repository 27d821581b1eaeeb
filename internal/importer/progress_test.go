package importer

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pixcert/pixcert/internal/samples"
	"github.com/pixcert/pixcert/internal/store"
)

func TestProgressStateSaysWhereTheImportIs(t *testing.T) {
	tests := []struct {
		state   ProgressState
		text    string
		percent int
	}{
		{ProgressState{Phase: PhaseOpening}, "ouverture des fichiers", -1},
		{ProgressState{Phase: PhaseSurvey, Bytes: 450, TotalBytes: 1000}, "examen des fichiers", 45},
		{ProgressState{Phase: PhaseReading, File: 1, Files: 1, Rows: 1, Bytes: 10, TotalBytes: 1000}, "lecture, 1 ligne lue", 1},
		{ProgressState{Phase: PhaseReading, File: 2, Files: 3, Rows: 1234567, Bytes: 999, TotalBytes: 1000}, "fichier 2 sur 3, 1 234 567 lignes lues", 99},
		{ProgressState{Phase: PhaseReading, File: 3, Files: 3, Rows: 12, Bytes: 1100, TotalBytes: 1000}, "fichier 3 sur 3, 12 lignes lues", 100},
		{ProgressState{Phase: PhaseReading, File: 1, Files: 1, Rows: 0}, "lecture, 0 ligne lue", -1},
		{ProgressState{Phase: PhaseStoring, Rows: 2575, Bytes: 0, TotalBytes: 1000}, "enregistrement dans la base, 2 575 lignes lues", -1},
	}
	for _, tt := range tests {
		if got := tt.state.String(); got != tt.text {
			t.Errorf("%+v: %q, want %q", tt.state, got, tt.text)
		}
		if got := tt.state.Percent(); got != tt.percent {
			t.Errorf("%+v: %d %%, want %d", tt.state, got, tt.percent)
		}
	}
}

// An import keeps its Progress up to date for another goroutine: phases
// in order, rows and bytes that only grow within a phase, and at the end
// every file and row counted.
func TestProgressFollowsAnImport(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pixcert.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &Progress{}
	var states []ProgressState
	stop := make(chan struct{})
	var sampling sync.WaitGroup
	sampling.Add(1)
	go func() {
		defer sampling.Done()
		for {
			states = append(states, p.Now())
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Microsecond):
			}
		}
	}()
	files := []string{samples.Path("collecte-sco.csv"), samples.Path("roster-siecle.csv")}
	res, err := Run(context.Background(), st, files, Options{Now: time.Now(), Progress: p})
	close(stop)
	sampling.Wait()
	if err != nil {
		t.Fatal(err)
	}
	end := p.Now()
	rows := int64(res.Files[0].Rows + res.Files[1].Rows)
	if end.Phase != PhaseStoring || end.Files != 2 || end.File != 2 || end.Rows != rows || end.TotalBytes == 0 {
		t.Errorf("at the end: %+v, want storing, file 2 of 2, %d rows", end, rows)
	}
	for i := 1; i < len(states); i++ {
		a, b := states[i-1], states[i]
		if b.Phase < a.Phase || b.Rows < a.Rows || (a.Phase == b.Phase && (b.Bytes < a.Bytes || b.File < a.File)) {
			t.Errorf("went back: %+v then %+v", a, b)
		}
		if pc := b.Percent(); pc < -1 || pc > 100 {
			t.Errorf("%+v: %d %%", b, pc)
		}
	}
}
