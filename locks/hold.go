package locks

import (
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
)

// hold is the body of every With: it waits in co for the acquire future
// acq, runs fn and then release, even if fn panics. It returns fn's error,
// else release's; if acq fails it returns that error without calling fn.
func hold(co *gen.Co, acq *future.Future[struct{}], release func() error, fn func() error) (err error) {
	if _, err := gen.Await(co, acq); err != nil {
		// Await gives up (ErrLoopClosed, or the coroutine was
		// cancelled) while acq may still be pending: withdraw the wait,
		// or give back a unit granted meanwhile.
		if !acq.Cancel() && acq.Err() == nil {
			release()
		}
		return err
	}
	defer func() {
		if rerr := release(); err == nil {
			err = rerr
		}
	}()
	return fn()
}
