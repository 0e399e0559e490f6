package httpserver

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/internal/http1"
)

// ErrFinished is returned by Finish, Write and Flush on a response that
// was already finished (Tornado raises the same for finish() twice).
var ErrFinished = errors.New("httpserver: response already finished")

// ErrConnectionClosed is returned when the client went away before the
// response could be sent.
var ErrConnectionClosed = errors.New("httpserver: connection closed")

// ErrResponseTooLarge is returned (wrapped, with iostream.ErrBufferFull)
// by Finish, Flush and Detach when the bytes to send would pass the
// connection's write bound (Config.Stream.MaxWriteBufferSize). Nothing of
// them is sent and the connection is closed: the client sees a response
// cut short, never one paired with the wrong request.
var ErrResponseTooLarge = errors.New("httpserver: response over the connection's write buffer bound")

// Response is the reply to one request. The handler sets the status and
// headers, writes the body (buffered until Flush or Finish) and calls
// Finish exactly once, now or later from a callback or coroutine. If the
// body is complete at Finish, it is sent with Content-Length; after Flush,
// the rest streams with chunked encoding (HTTP/1.1) or until close
// (HTTP/1.0). Loop-only; valid until Finish.
type Response struct {
	c        *conn
	ex       *exchange
	r        *Request
	status   int
	reason   string // "" for the standard phrase
	header   httputil.Headers
	body     []byte
	started  bool
	chunked  bool
	finished bool
	declared int64 // Content-Length set by the handler, or -1
	sent     int64 // body bytes sent
	onClose  func()
}

func (w *Response) reset(c *conn, ex *exchange) {
	w.c, w.ex, w.r = c, ex, &ex.req
	w.status, w.reason = 200, ""
	w.header.Reset()
	w.body = w.body[:0]
	w.started, w.chunked, w.finished = false, false, false
	w.declared, w.sent = -1, 0
	w.onClose = nil
}

// SetStatus sets the status code; it has no effect once headers are sent.
func (w *Response) SetStatus(code int) { w.status = code }

// SetReason sets the reason phrase of the status line; "" (the default)
// means the standard one for the code. Bytes a status line cannot hold
// become spaces.
func (w *Response) SetReason(reason string) { w.reason = reason }

// Status returns the status code set so far (200 by default).
func (w *Response) Status() int { return w.status }

// Header returns the response headers, to change before the first Flush.
func (w *Response) Header() *httputil.Headers { return &w.header }

// HeadersSent reports whether the status line and headers went out.
func (w *Response) HeadersSent() bool { return w.started }

// Finished reports whether Finish was called.
func (w *Response) Finished() bool { return w.finished }

// Write appends b to the body buffer; it always succeeds before Finish
// (the error is for io.Writer and ErrFinished after Finish).
func (w *Response) Write(b []byte) (int, error) {
	if w.finished {
		return 0, ErrFinished
	}
	w.body = append(w.body, b...)
	return len(b), nil
}

// WriteString is Write for a string.
func (w *Response) WriteString(s string) (int, error) {
	if w.finished {
		return 0, ErrFinished
	}
	w.body = append(w.body, s...)
	return len(s), nil
}

// SetCloseCallback arranges for fn to run if the connection closes before
// the response is finished (Tornado's on_connection_close, for long
// polling), whatever the handler: with a MessageDelegate of one's own, fn
// runs after its OnConnectionClose. Loop-only.
func (w *Response) SetCloseCallback(fn func()) { w.onClose = fn }

// Flush sends the headers, if not yet sent, and the buffered body. The
// future completes when the bytes are handed to the kernel, so a handler
// streaming a large body can await it for flow control. It fails with
// ErrResponseTooLarge, and the connection closes, if the bytes would pass
// the connection's write bound.
func (w *Response) Flush() *future.Future[struct{}] {
	c := w.c
	if w.finished {
		return future.Failed[struct{}](c.srv.loop, ErrFinished)
	}
	if c.s.Closed() {
		return future.Failed[struct{}](c.srv.loop, ErrConnectionClosed)
	}
	out := c.srv.out[:0]
	if !w.started {
		out = w.appendHead(out, false)
	}
	out = w.appendBody(out)
	size := len(out)
	f := c.s.Write(out)
	c.srv.out = out[:0]
	if f.Done() && f.Err() != nil && !c.s.Closed() {
		err := c.tooLarge(size, f.Err())
		w.finished = true
		return future.Failed[struct{}](c.srv.loop, err)
	}
	return f
}

// Finish ends the response: it sends what is not sent yet and lets the
// connection go on to the next request (or close). Calling it twice
// returns ErrFinished; after the client closed the connection it returns
// ErrConnectionClosed. A response over the connection's write bound
// (Config.Stream.MaxWriteBufferSize) is not sent: Finish returns
// ErrResponseTooLarge and closes the connection.
func (w *Response) Finish() error {
	c := w.c
	if w.finished {
		return ErrFinished
	}
	if c.s.Closed() {
		// The client went away (the connection forgot this exchange):
		// nothing to send, nothing to go on to.
		w.finished = true
		return ErrConnectionClosed
	}
	out := c.srv.out[:0]
	if !w.started {
		out = w.appendHead(out, true)
	}
	out = w.appendBody(out)
	if w.chunked {
		out = append(out, "0\r\n\r\n"...)
	}
	w.finished = true
	var err error
	// A HEAD handler may declare the length and write nothing (a file's
	// size, say): only a body it did write must match.
	headOnly := w.r.Method == "HEAD" && w.sent == 0
	if w.declared >= 0 && w.sent != w.declared && w.bodyAllowed() && !headOnly {
		err = errors.New("httpserver: body length " + strconv.FormatInt(w.sent, 10) +
			" does not match Content-Length " + strconv.FormatInt(w.declared, 10))
		c.closeAfter = true
	}
	if serr := c.s.Send(out); serr != nil {
		c.srv.out = out[:0]
		if c.s.Closed() {
			if c.ex != nil {
				c.ex.done = true
			}
			return ErrConnectionClosed
		}
		return c.tooLarge(len(out), serr)
	}
	c.srv.out = out[:0]
	c.finishRequest()
	return err
}

// tooLarge closes a connection whose response could not be queued, and
// returns the error that says so: the client must not get the next
// response in this one's place.
func (c *conn) tooLarge(size int, cause error) error {
	if c.ex != nil {
		c.ex.done = true
	}
	c.state = stClosed
	c.close()
	return fmt.Errorf("%w (%d bytes): %w", ErrResponseTooLarge, size, cause)
}

func (w *Response) bodyAllowed() bool {
	return httputil.ResponseHasBody(w.r.Method, w.status) || w.r.Method == "HEAD"
}

// appendHead appends the status line and headers. final says the whole
// body is in w.body, so Content-Length can be computed.
func (w *Response) appendHead(out []byte, final bool) []byte {
	c := w.c
	w.started = true
	out = httputil.AppendResponseLine(out, "HTTP/1.1", w.status, w.reason)
	hasBody := httputil.ResponseHasBody(w.r.Method, w.status)
	if v := w.header.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			w.declared = n
		}
	}
	if w.declared < 0 && w.status >= 200 && w.status != 204 && w.status != 304 {
		if final {
			out = append(out, "Content-Length: "...)
			out = strconv.AppendInt(out, int64(len(w.body)), 10)
			out = append(out, "\r\n"...)
		} else if hasBody {
			if w.r.Version == "HTTP/1.1" {
				w.chunked = true
				out = append(out, "Transfer-Encoding: chunked\r\n"...)
			} else {
				c.closeAfter = true // the body ends when the connection does
			}
		}
	}
	if !w.header.Has("Date") {
		out = append(out, c.srv.date()...)
	}
	if http1.WantsClose(&w.header) {
		c.closeAfter = true
	}
	if c.willClose() {
		if !w.header.Has("Connection") {
			out = append(out, "Connection: close\r\n"...)
		}
	} else if w.r.Version == "HTTP/1.0" {
		out = append(out, "Connection: keep-alive\r\n"...)
	}
	out = w.header.AppendTo(out)
	return append(out, "\r\n"...)
}

// appendBody appends the buffered body, as a chunk when chunked, and
// empties the buffer. A HEAD response or a bodiless status sends none.
func (w *Response) appendBody(out []byte) []byte {
	b := w.body
	w.body = w.body[:0]
	if len(b) == 0 || !httputil.ResponseHasBody(w.r.Method, w.status) {
		if w.r.Method == "HEAD" {
			w.sent += int64(len(b))
		}
		return out
	}
	w.sent += int64(len(b))
	if w.chunked {
		return httputil.AppendChunk(out, b)
	}
	return append(out, b...)
}
