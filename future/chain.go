package future

// Chain copies the outcome of src into dst once src is done; if dst is
// already done (cancelled, say) the outcome is dropped. It returns dst.
// It is Tornado's chain_future.
func Chain[T any](src, dst *Future[T]) *Future[T] {
	src.AddDoneCallback(func(src *Future[T]) {
		dst.Set(src.Result())
	})
	return dst
}

// Then returns a future completed with fn's result once f succeeds. If f
// fails, the returned future fails with the same error and fn is not called;
// if fn panics, it fails with a *PanicError. fn runs on the scheduler, like
// any done callback.
func Then[T, U any](f *Future[T], fn func(T) (U, error)) *Future[U] {
	out := New[U](f.sched)
	f.AddDoneCallback(func(f *Future[T]) {
		v, err := f.Result()
		if err != nil {
			out.SetError(err)
			return
		}
		out.Set(Recover(func() (U, error) { return fn(v) }))
	})
	return out
}

// Map is Then for a function that returns no error; a panic in fn still
// fails the returned future with a *PanicError.
func Map[T, U any](f *Future[T], fn func(T) U) *Future[U] {
	return Then(f, func(v T) (U, error) { return fn(v), nil })
}

// Catch returns a future that has f's result, or fn's answer when f fails:
// fn may recover a value or return an error of its own. If fn panics, the
// returned future fails with a *PanicError.
func Catch[T any](f *Future[T], fn func(error) (T, error)) *Future[T] {
	out := New[T](f.sched)
	f.AddDoneCallback(func(f *Future[T]) {
		v, err := f.Result()
		if err != nil {
			out.Set(Recover(func() (T, error) { return fn(err) }))
			return
		}
		out.SetResult(v)
	})
	return out
}
