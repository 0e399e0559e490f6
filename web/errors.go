package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gornado/gornado/httputil"
)

// Errors of the RequestHandler's own rules.
var (
	// ErrFinished is returned by Write, Flush and Finish after Finish
	// (Tornado raises "finish() called twice").
	ErrFinished = errors.New("web: response already finished")
	// ErrHeadersSent is returned when a change to the status or headers
	// comes after they went out with Flush.
	ErrHeadersSent = errors.New("web: headers already sent")
)

// HTTPError is an error that ends a request with an HTTP status, Tornado's
// tornado.web.HTTPError. A handler method returns it (or anything that
// wraps it) and the application answers with SendError(Code):
//
//	if story == nil {
//		return web.NewHTTPError(404, "no story %s", id)
//	}
//
// Message is logged, never shown to the client; Reason replaces the
// standard reason phrase in the status line and the error page.
type HTTPError struct {
	Code    int
	Message string
	Reason  string
}

// NewHTTPError returns an *HTTPError for code with a message to log,
// formatted as fmt.Sprintf does.
func NewHTTPError(code int, format string, args ...any) *HTTPError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &HTTPError{Code: code, Message: msg}
}

// Error returns "HTTP code: reason (message)", as Tornado's HTTPError
// prints.
func (e *HTTPError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("HTTP %d: %s", e.Code, e.reason())
	}
	return fmt.Sprintf("HTTP %d: %s (%s)", e.Code, e.reason(), e.Message)
}

// StatusCode returns e.Code.
func (e *HTTPError) StatusCode() int { return e.Code }

func (e *HTTPError) reason() string {
	if e.Reason != "" {
		return e.Reason
	}
	return httputil.StatusText(e.Code)
}

// MissingArgumentError is returned by GetArgument and its variants when a
// required argument is absent; it answers 400, as Tornado's.
type MissingArgumentError struct {
	Name string
}

// Error names the missing argument, as Tornado's MissingArgumentError.
func (e *MissingArgumentError) Error() string {
	return fmt.Sprintf("HTTP 400: Bad Request (Missing argument %s)", e.Name)
}

// StatusCode returns 400.
func (e *MissingArgumentError) StatusCode() int { return http.StatusBadRequest }

// FinishError, returned by a handler method (or Prepare), ends the
// request early without an error, Tornado's `raise Finish()`: the
// application writes Body (if not nil, as Write would) and finishes the
// response. (It is not named Finish, the method that finishes a
// response at once.) Return it, wrapped or not; as a value,
// web.FinishError{...}, or a pointer, the application finds it.
//
//	if h.GetCookie("ok", "") == "" {
//		h.SetStatus(401)
//		return web.FinishError{Body: "login first"}
//	}
type FinishError struct {
	Body any
}

// Error returns "web: finish"; a FinishError is not logged.
func (FinishError) Error() string { return "web: finish" }

// statusCoder is any error that knows its HTTP status: *HTTPError,
// *MissingArgumentError, *httpserver.StatusError, a user's own type.
type statusCoder interface {
	StatusCode() int
}

// statusOf returns the status an error answers with: its own, or 500.
func statusOf(err error) int {
	var sc statusCoder
	if errors.As(err, &sc) {
		if c := sc.StatusCode(); c >= 400 && c < 600 {
			return c
		}
	}
	return http.StatusInternalServerError
}
