package httpclient

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// Errors of fetches. A transport failure reaches the caller as an *HTTPError
// with Code 599 that wraps one of these (and, below it, the cause: a socket
// error, a parse error of package httputil), so errors.Is finds both.
var (
	// ErrTimeout is the cause of a fetch that ran out of time: connecting
	// (ConnectTimeout), the whole request (RequestTimeout), or waiting in
	// the queue behind MaxClients. It is ioloop.ErrTimeout, so
	// errors.Is(err, ioloop.ErrTimeout) holds too.
	ErrTimeout = ioloop.ErrTimeout
	// ErrConnectionRefused is the cause of a fetch whose server refused
	// the connection (ECONNREFUSED); errors.Is finds the errno as well.
	ErrConnectionRefused = errors.New("httpclient: connection refused")
	// ErrStreamClosed is the cause of a fetch whose connection closed
	// before the response was complete (a truncated body, a server that
	// hung up). It is iostream.ErrStreamClosed.
	ErrStreamClosed = iostream.ErrStreamClosed
	// ErrBadResponse is the cause of a fetch whose response could not be
	// parsed: a malformed status line or header, a bad chunk size, an
	// invalid framing. errors.Is also finds httputil's sentinel
	// (httputil.ErrBadStatusLine, httputil.ErrBadChunkSize, ...).
	ErrBadResponse = errors.New("httpclient: malformed response")
	// ErrHeaderTooLarge is the cause of a fetch whose response head was
	// longer than Config.MaxHeaderSize. It is httputil.ErrHeaderTooLarge.
	ErrHeaderTooLarge = httputil.ErrHeaderTooLarge
	// ErrBodyTooLarge is the cause of a fetch whose response body was
	// longer than Config.MaxBodySize. It is httputil.ErrBodyTooLarge.
	ErrBodyTooLarge = httputil.ErrBodyTooLarge
	// ErrTooManyRedirects is the error of a fetch that met more than
	// MaxRedirects redirects; the *HTTPError carries the last 3xx
	// response.
	ErrTooManyRedirects = errors.New("httpclient: too many redirects")
	// ErrRedirectRefused is the error of a fetch whose redirect was not
	// followed because its Location is not one the client will fetch (a
	// file: URL, an unsupported scheme, an unparsable URL); the
	// *HTTPError carries the 3xx response, and the reason wraps the
	// cause.
	ErrRedirectRefused = errors.New("httpclient: redirect refused")
	// ErrTooManyInterim is the cause of a fetch whose server sent more
	// than MaxInterimResponses interim (1xx) responses before its final
	// one: a server may send a few (100 Continue, 103 Early Hints), not
	// an endless stream of them.
	ErrTooManyInterim = errors.New("httpclient: too many interim (1xx) responses")
	// ErrProxy is the cause of a fetch whose proxy refused the CONNECT
	// tunnel; the message has the proxy's status.
	ErrProxy = errors.New("httpclient: proxy refused the tunnel")
	// ErrClosed is the error of fetches on a closed client, and of fetches
	// still queued or running when it closed.
	ErrClosed = errors.New("httpclient: client closed")
	// ErrInvalidRequest is the error of a request the client refuses
	// before sending it: an unparsable URL, an unsupported scheme, a
	// method or body that Tornado's rules reject.
	ErrInvalidRequest = errors.New("httpclient: invalid request")
)

// HTTPError is the error of a fetch that did not get a 2xx response: Code is
// the response's status, or 599 when no response arrived (a timeout, a
// refused connection, a broken stream, a malformed response), Tornado's
// convention. Response is the response (for 599, a synthetic one with the
// request, the effective URL and the timing). Err, for 599, is the cause.
// Match it with errors.As; errors.Is sees through it to Err.
type HTTPError struct {
	Code     int
	Message  string
	Response *Response
	Err      error
}

// Error says "HTTP CODE: MESSAGE".
func (e *HTTPError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("HTTP %d: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *HTTPError) Unwrap() error { return e.Err }

// transportError makes the 599 error of a failure, classifying err so that
// errors.Is finds the package's sentinel for it.
func transportError(msg string, err error) *HTTPError {
	return &HTTPError{Code: 599, Message: msg, Err: classify(err)}
}

// classify wraps err in the package's sentinel for it, when it has one and
// err does not already match it.
func classify(err error) error {
	var pe *httputil.ParseError
	switch {
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrClosed),
		errors.Is(err, ErrConnectionRefused), errors.Is(err, ErrBadResponse):
		return err
	case isRefused(err):
		return fmt.Errorf("%w: %w", ErrConnectionRefused, err)
	case errors.As(err, &pe) && !errors.Is(err, httputil.ErrHeaderTooLarge) && !errors.Is(err, httputil.ErrBodyTooLarge):
		return fmt.Errorf("%w: %w", ErrBadResponse, err)
	}
	return err
}

func isRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }
