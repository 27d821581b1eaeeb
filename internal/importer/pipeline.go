package importer

import (
	"errors"

	"github.com/pixcert/pixcert/internal/crash"
)

// errStopped tells a producer the consumer gave up.
var errStopped = errors.New("lecture interrompue")

// pipelineBatch is how many rows go from the reading goroutine to the
// storing one at a time.
const pipelineBatch = 256

// pipeline runs produce, which reads a file and prepares its rows, in a
// goroutine of its own, and consume, which stores them, in this one: the two
// cores of a school's computer share an import. produce owns what it
// writes until it returns; consume sees rows in order. The first error of
// consume stops produce; otherwise produce's error is returned. A panic in
// produce is carried to this goroutine, where the command's recovery
// reports it, instead of ending the process there.
func pipeline[T any](produce func(emit func(T) error) error, consume func(T) error) error {
	const inFlight = 8
	batches := make(chan []T, inFlight)
	// Batches go back to the producer once consumed: a row is a few hundred
	// bytes, and fresh batches for a million of them would be as many
	// bytes for the collector to reclaim as the files themselves.
	free := make(chan []T, inFlight+2)
	stop := make(chan struct{})
	var produceErr error
	var producePanic *crash.Panic
	go func() {
		defer close(batches)
		defer func() {
			if r := recover(); r != nil {
				producePanic = crash.Recovered(r)
			}
		}()
		batch := make([]T, 0, pipelineBatch)
		send := func() error {
			select {
			case batches <- batch:
				select {
				case batch = <-free:
					batch = batch[:0]
				default:
					batch = make([]T, 0, pipelineBatch)
				}
				return nil
			case <-stop:
				return errStopped
			}
		}
		produceErr = produce(func(v T) error {
			batch = append(batch, v)
			if len(batch) < pipelineBatch {
				return nil
			}
			return send()
		})
		if produceErr == nil && len(batch) > 0 {
			produceErr = send()
		}
	}()
	var consumeErr error
	for batch := range batches {
		for _, v := range batch {
			if consumeErr != nil {
				break
			}
			if consumeErr = consume(v); consumeErr != nil {
				close(stop) // and drain, so that produce can end
			}
		}
		select {
		case free <- batch:
		default: // the producer has enough
		}
	}
	if producePanic != nil {
		panic(producePanic)
	}
	if consumeErr != nil {
		return consumeErr
	}
	return produceErr
}
