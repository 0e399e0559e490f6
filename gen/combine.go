package gen

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// onDone arranges for fn to run on l once f is done. f's done callbacks run
// on f's scheduler; when that is another loop, fn hops to l, as Await's
// resume does, so a combinator's state is touched only on its own loop.
func onDone[T any](l *ioloop.IOLoop, f *future.Future[T], fn func()) {
	if f.Scheduler() != future.Scheduler(l) {
		f.OnDone(func() { l.AddCallback(fn) })
		return
	}
	f.OnDone(fn)
}

// All returns a future of every result of fs, in the order of fs. It
// completes once all of fs are done; if any failed, it fails with the
// error of the first failed one in fs order (Tornado's multi). Pass a
// slice as All(l, fs...). fs may belong to other loops: their outcomes are
// gathered on l. Loop-only.
func All[T any](l *ioloop.IOLoop, fs ...*future.Future[T]) *future.Future[[]T] {
	out := future.New[[]T](l).SetOrigin("all")
	left := len(fs)
	if left == 0 {
		out.SetResult([]T{})
		return out
	}
	done := func() {
		left--
		if left > 0 {
			return
		}
		results := make([]T, len(fs))
		for i, f := range fs {
			v, err := f.Result()
			if err != nil {
				out.SetError(err)
				return
			}
			results[i] = v
		}
		out.SetResult(results)
	}
	for _, f := range fs {
		onDone(l, f, done)
	}
	return out
}

// AllMap is All for a map of futures: the result maps each key to its
// future's result. If some failed, it fails with one of their errors
// (Tornado's multi with a dict). Loop-only.
func AllMap[K comparable, T any](l *ioloop.IOLoop, fs map[K]*future.Future[T]) *future.Future[map[K]T] {
	keys := make([]K, 0, len(fs))
	list := make([]*future.Future[T], 0, len(fs))
	for k, f := range fs {
		keys = append(keys, k)
		list = append(list, f)
	}
	return future.Map(All(l, list...), func(vs []T) map[K]T {
		m := make(map[K]T, len(vs))
		for i, v := range vs {
			m[keys[i]] = v
		}
		return m
	})
}

// Any returns a future with the outcome (result or error) of whichever of
// fs completes first. The others are left running. With no futures it
// never completes. fs may belong to other loops. Loop-only.
func Any[T any](l *ioloop.IOLoop, fs ...*future.Future[T]) *future.Future[T] {
	out := future.New[T](l).SetOrigin("any")
	for _, f := range fs {
		onDone(l, f, func() { out.Set(f.Result()) })
	}
	return out
}

// WithTimeout returns a future with f's outcome, or ErrTimeout if f is not
// done within d. f itself is not cancelled (as Tornado's with_timeout). f
// may belong to another loop; the timeout is l's. Loop-only.
func WithTimeout[T any](l *ioloop.IOLoop, d time.Duration, f *future.Future[T]) *future.Future[T] {
	if f.Done() {
		return f
	}
	out := future.New[T](l).SetOrigin(withTimeoutOrigin(f))
	t := l.CallLater(d, func() { out.SetError(ErrTimeout) })
	onDone(l, f, func() {
		l.RemoveTimeout(t)
		out.Set(f.Result())
	})
	return out
}

// After returns a future that completes with nil after d: Sleep as a
// future, for All, Any and WithTimeout. Loop-only.
func After(l *ioloop.IOLoop, d time.Duration) *future.Future[struct{}] {
	f := future.New[struct{}](l).SetOrigin("after")
	l.CallLater(d, func() { f.SetResult(struct{}{}) })
	return f
}

// withTimeoutOrigin names WithTimeout's future after the one it bounds.
func withTimeoutOrigin[T any](f *future.Future[T]) string {
	if o := f.Origin(); o != "" {
		return o + " (with a timeout)"
	}
	return "a future (with a timeout)"
}
