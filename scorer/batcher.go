package scorer

import (
	"context"
	"time"
)

// batcher stores items in as few transactions as it can: while one transaction commits, the
// next batch gathers, so that the commit's cost is shared by every item that arrived meanwhile.
// With a linger, a batch also waits that long after its first item for more: for items nobody
// waits on (progress checkpoints), which would otherwise each pay a commit of their own when
// they arrive spread out.
type batcher[T, R any] struct {
	in     chan batchItem[T, R]
	max    int
	linger time.Duration
	store  func([]T) []R // one result per item, in order
}

type batchItem[T, R any] struct {
	v   T
	out chan R
}

func newBatcher[T, R any](queue, max int, linger time.Duration, store func([]T) []R) *batcher[T, R] {
	return &batcher[T, R]{in: make(chan batchItem[T, R], queue), max: max, linger: linger, store: store}
}

// run stores batches until stop is closed.
func (b *batcher[T, R]) run(stop <-chan struct{}) {
	for {
		var first batchItem[T, R]
		select {
		case first = <-b.in:
		case <-stop:
			return
		}
		batch := []batchItem[T, R]{first}
		if b.linger > 0 && len(b.in) == 0 {
			// The batch's items wait in the channel meanwhile: taking each as it came would
			// wake this goroutine, and often a thread, once an item.
			t := time.NewTimer(b.linger)
			select {
			case <-t.C:
			case <-stop:
				t.Stop()
			}
		}
	gather:
		for len(batch) < b.max {
			select {
			case it := <-b.in:
				batch = append(batch, it)
			default:
				break gather
			}
		}
		values := make([]T, len(batch))
		for i, it := range batch {
			values[i] = it.v
		}
		results := b.store(values)
		for i, it := range batch {
			it.out <- results[i]
		}
	}
}

// do stores v with the next batch and returns its result once the batch is committed.
func (b *batcher[T, R]) do(ctx context.Context, v T) (R, error) {
	it := batchItem[T, R]{v: v, out: make(chan R, 1)}
	select {
	case b.in <- it:
	case <-ctx.Done():
		var zero R
		return zero, ctx.Err()
	}
	return <-it.out, nil
}
