package future

import (
	"fmt"
	"runtime/debug"
)

// PanicError is the error of a future whose producer panicked: a coroutine
// (gen.Go) or an executor task (ioloop.RunInExecutor). It carries the
// panic value and the stack where it happened.
type PanicError struct {
	Value any
	Stack []byte
}

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
