package nethttp

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/gornado/gornado/internal/logattr"
)

// errClientGone is what a mounted handler's Write returns once the client
// has closed the connection.
var errClientGone = errors.New("nethttp: client closed the connection")

// responseWriter is the http.ResponseWriter (and http.Flusher and
// http.Hijacker) a mounted handler writes into, on its worker. It buffers
// the body and hands it to the loop in chunks: when chunkSize bytes are
// buffered, when the handler calls Flush, and when it returns. Like
// net/http's, it takes the headers as they are at WriteHeader, sends 200
// on the first Write without WriteHeader, sniffs a missing Content-Type,
// ignores a second WriteHeader, and refuses a body for 1xx, 204 and 304
// (http.ErrBodyNotAllowed). Trailers are not sent; informational
// statuses (1xx) are dropped. Worker-only.
type responseWriter struct {
	ex       *exchange
	header   http.Header
	sent     http.Header // the headers as WriteHeader found them
	status   int
	buf      []byte
	sentHead bool
	hijacked bool
	err      error // the client went away, or the connection was hijacked
	method   string
}

// Header returns the headers to send with the first chunk.
func (w *responseWriter) Header() http.Header { return w.header }

// WriteHeader sets the status. Like net/http, it panics on a code
// outside 100-999; informational codes are dropped.
func (w *responseWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.status != 0 || code < 200 {
		return
	}
	w.status = code
	w.sent = w.header.Clone()
}

// Write buffers p, handing full chunks to the loop; it waits while the
// client is too far behind. It returns errClientGone once the client has
// closed the connection, and http.ErrHijacked after Hijack.
func (w *responseWriter) Write(p []byte) (int, error) {
	if w.hijacked {
		return 0, http.ErrHijacked
	}
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowedForStatus(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	n := 0
	for len(p) > 0 && w.err == nil {
		k := min(chunkSize-len(w.buf), len(p))
		w.buf = append(w.buf, p[:k]...)
		p, n = p[k:], n+k
		if len(w.buf) >= chunkSize {
			w.send()
		}
	}
	return n, w.err
}

// WriteString is Write for a string (io.StringWriter).
func (w *responseWriter) WriteString(s string) (int, error) {
	return w.Write([]byte(s))
}

// Flush hands what is buffered to the loop, the headers first, to send
// at once (http.Flusher).
func (w *responseWriter) Flush() { w.FlushError() }

// FlushError is Flush returning errClientGone once the client has gone
// (http.ResponseController uses it).
func (w *responseWriter) FlushError() error {
	if w.err == nil && (!w.sentHead || len(w.buf) > 0) {
		w.send()
	}
	return w.err
}

// head fills the status and headers of the first chunk.
func (w *responseWriter) head(c *chunk) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if _, ok := w.sent["Content-Type"]; !ok && len(w.buf) > 0 && bodyAllowedForStatus(w.status) {
		w.sent.Set("Content-Type", http.DetectContentType(w.buf))
	}
	c.head, c.status, c.header = true, w.status, w.sent
	w.sentHead = true
}

// send hands the buffer to the loop as a chunk to flush.
func (w *responseWriter) send() {
	c := &chunk{body: w.buf}
	if !w.sentHead {
		w.head(c)
	}
	w.buf = nil
	if !w.ex.handOff(c) {
		w.err = errClientGone
	}
}

// finish hands the last chunk to the loop, which finishes the response;
// abort marks it as cut short.
func (w *responseWriter) finish(abort bool) {
	c := &chunk{body: w.buf, final: true, abort: abort}
	if !w.sentHead && !w.hijacked {
		w.head(c)
	}
	w.buf = nil
	w.ex.handOff(c)
}

// run calls the handler on a worker and hands its response to the loop.
// A panic answers 500 if the headers are not sent yet, and is logged,
// except http.ErrAbortHandler, which only cuts the response short.
func (ex *exchange) run(h http.Handler, r *http.Request) {
	w := &responseWriter{ex: ex, header: make(http.Header), method: r.Method}
	defer func() {
		v := recover()
		if v == nil {
			w.finish(false)
			return
		}
		if v != http.ErrAbortHandler {
			ex.log.Error("nethttp: mounted handler panicked", "method", r.Method, "uri", r.RequestURI,
				"panic", fmt.Sprint(v), logattr.Stack(debug.Stack()))
		}
		if w.sentHead || w.hijacked {
			w.buf = nil
			w.finish(true)
			return
		}
		w.header = http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Content-Type-Options": {"nosniff"}}
		if v == http.ErrAbortHandler {
			w.header.Set("Connection", "close")
		}
		w.status = 0
		w.WriteHeader(http.StatusInternalServerError)
		w.buf = append(w.buf[:0], "500: Internal Server Error\n"...)
		if ex.c.cfg.ExposeTracebacks && v != http.ErrAbortHandler {
			w.buf = fmt.Appendf(w.buf, "\npanic: %v\n\n%s", v, debug.Stack())
		}
		w.finish(false)
	}()
	h.ServeHTTP(w, r)
}

// bodyAllowedForStatus reports whether a response with status may have
// a body (not 1xx, 204 or 304).
func bodyAllowedForStatus(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
