package web

import (
	"errors"
	"runtime/debug"

	"github.com/gornado/gornado/gen"
)

func stack() []byte { return debug.Stack() }

func asHTTPError(err error, target **HTTPError) bool {
	return err != nil && errors.As(err, target)
}

// describe renders an error for a log or a debug page: its message, and
// the stack of a panic.
func describe(err error) string {
	if err == nil {
		return ""
	}
	var pe *gen.PanicError
	if errors.As(err, &pe) {
		return err.Error() + "\n" + string(pe.Stack)
	}
	return err.Error()
}
