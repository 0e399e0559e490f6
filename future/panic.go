package future

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// ErrGoexit is the error of a future whose producer called runtime.Goexit
// instead of returning: a coroutine (gen.Go) or an executor task
// (ioloop.RunInExecutor). t.FailNow, t.Fatal, t.SkipNow and testify's
// require call it; in code that runs on the loop or on a worker, report
// test failures with t.Errorf (testify's assert) or return an error.
var ErrGoexit = errors.New("future: the producer called runtime.Goexit (t.FailNow, t.Fatal or require?)")

// PanicError is the error of a future whose producer panicked: a coroutine
// (gen.Go) or an executor task (ioloop.RunInExecutor). It carries the
// panic value and the stack where it happened.
type PanicError struct {
	Value any
	Stack []byte
}

// Error returns the panic value and the stack, as an unrecovered panic
// prints them.
func (e *PanicError) Error() string {
	return fmt.Sprintf("panic: %v\n\n%s", e.Value, e.Stack)
}

// Unwrap returns the panic value if it is an error, so errors.Is and
// errors.As see through the panic.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Recover calls fn and returns its results, turning a panic into a
// *PanicError with the stack.
func Recover[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn()
}
