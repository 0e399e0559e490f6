package web

import (
	"errors"
	"log/slog"
	"runtime/debug"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/internal/logattr"
)

func stack() []byte { return debug.Stack() }

func asHTTPError(err error, target **HTTPError) bool {
	return err != nil && errors.As(err, target)
}

// describe renders an error for a debug page: its message, and the stack
// of a panic.
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

// errorAttrs are a failed request's error for a log record: its message
// (a panic's value, without its stack) and, for a panic, the stack as
// logattr.Stack makes it.
func errorAttrs(err error) []any {
	var pe *gen.PanicError
	if errors.As(err, &pe) {
		return []any{slog.String("error", "panic: "+anyString(pe.Value)), logattr.Stack(pe.Stack)}
	}
	return []any{slog.String("error", err.Error())}
}

func anyString(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return slog.AnyValue(v).String()
}
