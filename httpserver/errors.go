package httpserver

import (
	"errors"

	"github.com/gornado/gornado/httputil"
)

// StatusError is an error that carries the HTTP status to answer with. A
// MessageDelegate's HeadersReceived or DataReceived may return one to
// refuse a request or its body (413, 415, ...): the server answers Code
// and closes the connection.
type StatusError struct {
	Code int
	Msg  string
}

// Error returns Msg.
func (e *StatusError) Error() string { return e.Msg }

// StatusCode returns e.Code.
func (e *StatusError) StatusCode() int { return e.Code }

var (
	errBodyTooLarge    = &StatusError{Code: 413, Msg: "httpserver: request body too large"}
	errHandlerPanicked = &StatusError{Code: 500, Msg: "httpserver: handler panicked"}
)

func badRequest(msg string) error { return &StatusError{Code: 400, Msg: "httpserver: " + msg} }

// statusOf picks the status to answer err with: its own, httputil's
// mapping for parse errors, else 400.
func statusOf(err error) int {
	var se interface{ StatusCode() int }
	if errors.As(err, &se) {
		if code := se.StatusCode(); code >= 400 && code < 600 {
			return code
		}
	}
	if code := httputil.StatusCode(err); code >= 400 && code < 500 || code == 501 || code == 505 {
		return code
	}
	return 400
}
