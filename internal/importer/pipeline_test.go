package importer

import (
	"errors"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/crash"
)

func TestPipelineKeepsOrderAndStopsOnConsumerError(t *testing.T) {
	const n = 3*pipelineBatch + 7
	var got []int
	err := pipeline(func(emit func(int) error) error {
		for i := 0; i < n; i++ {
			if err := emit(i); err != nil {
				return err
			}
		}
		return nil
	}, func(v int) error { got = append(got, v); return nil })
	if err != nil || len(got) != n {
		t.Fatalf("err %v, %d values, want %d", err, len(got), n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("value %d is %d: order lost", i, v)
		}
	}

	boom := errors.New("boom")
	produced := 0
	err = pipeline(func(emit func(int) error) error {
		for i := 0; i < 100*pipelineBatch; i++ {
			produced++
			if err := emit(i); err != nil {
				return err
			}
		}
		return nil
	}, func(v int) error {
		if v == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || produced == 100*pipelineBatch {
		t.Errorf("err %v after %d produced: want boom, and the producer stopped early", err, produced)
	}

	readErr := errors.New("unreadable")
	if err := pipeline(func(emit func(int) error) error { emit(1); return readErr }, func(int) error { return nil }); !errors.Is(err, readErr) {
		t.Errorf("err %v, want the producer's", err)
	}
}

// A panic while reading a file must not end the process from a goroutine:
// it reaches the caller's goroutine, with the place it happened.
func TestPipelineCarriesAProducerPanic(t *testing.T) {
	defer func() {
		p, ok := recover().(*crash.Panic)
		if !ok {
			t.Fatalf("recovered %T, want a *crash.Panic", p)
		}
		if p.Value != "bad row" || !strings.Contains(p.Where, "importer.TestPipelineCarriesAProducerPanic") {
			t.Errorf("carried panic %v, want the value and the producer's place", p)
		}
	}()
	pipeline(func(emit func(int) error) error {
		emit(1)
		panic("bad row")
	}, func(int) error { return nil })
	t.Fatal("pipeline returned after its producer panicked")
}
