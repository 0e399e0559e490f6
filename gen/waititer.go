package gen

import (
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// WaitIterator yields the results of several futures in the order they
// complete, Tornado's gen.WaitIterator:
//
//	it := gen.NewWaitIterator(loop, fs...)
//	for !it.Done() {
//		v, err := it.Next(co)
//		fmt.Println(it.CurrentIndex(), v, err)
//	}
//
// Loop-only.
type WaitIterator[T any] struct {
	loop     *ioloop.IOLoop
	fs       []*future.Future[T]
	finished []int
	left     int // not yet returned by Next
	waiting  *future.Future[struct{}]
	current  int
}

// NewWaitIterator starts watching fs, which may belong to other loops
// (their outcomes are taken in on l). Loop-only.
func NewWaitIterator[T any](l *ioloop.IOLoop, fs ...*future.Future[T]) *WaitIterator[T] {
	it := &WaitIterator[T]{loop: l, fs: fs, left: len(fs), current: -1}
	for i, f := range fs {
		onDone(l, f, func() {
			it.finished = append(it.finished, i)
			if w := it.waiting; w != nil {
				it.waiting = nil
				w.SetResult(struct{}{})
			}
		})
	}
	return it
}

// Done reports whether Next has returned every future's outcome.
func (it *WaitIterator[T]) Done() bool { return it.left == 0 }

// Next waits for the next future to complete and returns its outcome. It
// returns ErrLoopClosed if the loop closes while waiting, and
// ErrIteratorDone once every outcome was returned.
func (it *WaitIterator[T]) Next(co *Co) (T, error) {
	var zero T
	if it.left == 0 {
		return zero, ErrIteratorDone
	}
	for len(it.finished) == 0 {
		it.waiting = future.New[struct{}](it.loop).SetOrigin("wait iterator")
		if _, err := Await(co, it.waiting); err != nil {
			return zero, err
		}
	}
	i := it.finished[0]
	it.finished = it.finished[1:]
	it.left--
	it.current = i
	return it.fs[i].Result()
}

// CurrentIndex returns the index in fs of the future Next last returned,
// or -1 before the first Next.
func (it *WaitIterator[T]) CurrentIndex() int { return it.current }
