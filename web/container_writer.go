package web

import (
	"fmt"
	"net/http"
	"strings"
)

// containerWriter is the http.ResponseWriter (and http.Flusher) a
// mounted handler writes into, on its worker. It buffers the body and
// hands it to the loop in chunks: when containerChunkSize bytes are
// buffered, when the handler calls Flush, and when it returns. Like
// net/http's, it takes the headers as they are at WriteHeader, sends 200 on the first Write without WriteHeader, sniffs
// a missing Content-Type, ignores a second WriteHeader, and refuses a
// body for 1xx, 204 and 304 (http.ErrBodyNotAllowed). Trailers are
// not sent. Informational
// statuses (1xx) are dropped. Worker-only.
type containerWriter struct {
	cr       *containerResponse
	header   http.Header
	sent     http.Header // the headers as WriteHeader found them
	status   int
	buf      []byte
	sentHead bool
	err      error // the client went away
	method   string
}

// Header returns the headers to send with the first chunk.
func (w *containerWriter) Header() http.Header { return w.header }

// WriteHeader sets the status. Like net/http, it panics on a code
// outside 100-999; informational codes are dropped.
func (w *containerWriter) WriteHeader(code int) {
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
// closed the connection.
func (w *containerWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowedForStatus(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	n := 0
	for len(p) > 0 && w.err == nil {
		k := min(containerChunkSize-len(w.buf), len(p))
		w.buf = append(w.buf, p[:k]...)
		p, n = p[k:], n+k
		if len(w.buf) >= containerChunkSize {
			w.send()
		}
	}
	return n, w.err
}

// WriteString is Write for a string (io.StringWriter).
func (w *containerWriter) WriteString(s string) (int, error) {
	return w.Write([]byte(s))
}

// Flush hands what is buffered to the loop, the headers first, to send
// at once (http.Flusher).
func (w *containerWriter) Flush() { w.FlushError() }

// FlushError is Flush returning errClientGone once the client has gone
// (http.ResponseController uses it).
func (w *containerWriter) FlushError() error {
	if w.err == nil && (!w.sentHead || len(w.buf) > 0) {
		w.send()
	}
	return w.err
}

// head fills the status and headers of the first chunk.
func (w *containerWriter) head(c *containerChunk) {
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
func (w *containerWriter) send() {
	c := &containerChunk{body: w.buf}
	if !w.sentHead {
		w.head(c)
	}
	w.buf = nil
	if !w.cr.handOff(c) {
		w.err = errClientGone
	}
}

// finish hands the last chunk to the loop, which finishes the response;
// abort marks it as cut short.
func (w *containerWriter) finish(abort bool) {
	c := &containerChunk{body: w.buf, final: true, abort: abort}
	if !w.sentHead {
		w.head(c)
	}
	w.buf = nil
	w.cr.handOff(c)
}

// bodyAllowedForStatus reports whether a response with status may have
// a body (not 1xx, 204 or 304).
func bodyAllowedForStatus(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// tokenListContains reports whether the comma-separated list has token,
// case-insensitively (Connection: close, keep-alive).
func tokenListContains(list, token string) bool {
	for list != "" {
		var t string
		t, list, _ = strings.Cut(list, ",")
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}
