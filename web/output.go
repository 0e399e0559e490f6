package web

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/internal/logattr"
)

// SetStatus sets the response status. A status after Flush is too late
// and is ignored (Status still reports what went out).
func (h *RequestHandler) SetStatus(code int) {
	if !h.flushed {
		h.status, h.reason = code, ""
	}
}

// SetReason sets the reason phrase of the status line ("" for the
// standard one), as the reason argument of Tornado's set_status. Call it
// after SetStatus. Under net/http (Application.ServeHTTP) the standard
// phrase is always sent.
func (h *RequestHandler) SetReason(reason string) {
	if !h.flushed {
		h.reason = reason
	}
}

// sendStatus hands the status and reason to the response.
func (h *RequestHandler) sendStatus() {
	h.out.SetStatus(h.status)
	h.out.SetReason(h.reason)
}

// Status returns the response status set so far (200 by default).
func (h *RequestHandler) Status() int { return h.status }

// SetHeader sets a response header, replacing any with the same name.
// Bytes a header value cannot hold (CR, LF, NUL) become spaces, so a value
// taken from the request cannot split the response. Changes after Flush
// are ignored.
func (h *RequestHandler) SetHeader(name, value string) {
	if !h.flushed {
		h.out.Header().Set(name, headerSafe(value))
	}
}

// AddHeader adds a response header, keeping any with the same name.
func (h *RequestHandler) AddHeader(name, value string) {
	if !h.flushed {
		h.out.Header().Add(name, headerSafe(value))
	}
}

// ClearHeader removes every response header with the name.
func (h *RequestHandler) ClearHeader(name string) {
	if !h.flushed {
		h.out.Header().Del(name)
	}
}

// ResponseHeader returns the value of a response header set so far.
func (h *RequestHandler) ResponseHeader(name string) string {
	return h.out.Header().Get(name)
}

func headerSafe(v string) string {
	if strings.ContainsAny(v, "\r\n\x00") {
		return strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == 0 {
				return ' '
			}
			return r
		}, v)
	}
	return v
}

// Write adds chunk to the response body, buffered until Flush or Finish.
// A []byte or a string is written as is; anything else is encoded as JSON
// and the Content-Type becomes application/json (Tornado writes dicts so).
// It returns ErrFinished after Finish, or the JSON encoding's error.
func (h *RequestHandler) Write(chunk any) error {
	if h.finished {
		return ErrFinished
	}
	switch c := chunk.(type) {
	case string:
		h.buf = append(h.buf, c...)
	case []byte:
		h.buf = append(h.buf, c...)
	default:
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("web: write: %w", err)
		}
		h.SetHeader("Content-Type", "application/json; charset=UTF-8")
		h.buf = append(h.buf, b...)
	}
	return nil
}

// Writer returns an io.Writer that appends to the response body, for
// fmt.Fprintf, templates and encoders.
func (h *RequestHandler) Writer() io.Writer { return (*bodyWriter)(h) }

type bodyWriter RequestHandler

func (w *bodyWriter) Write(b []byte) (int, error) {
	if w.finished {
		return 0, ErrFinished
	}
	w.buf = append(w.buf, b...)
	return len(b), nil
}

// Flush sends the headers (the first time) and the body written so far,
// and returns a future that completes when they are handed to the kernel:
// a handler streaming a large body awaits it to go no faster than the
// client reads. After a Flush the status and headers can no longer change,
// and the rest of the body streams (chunked in HTTP/1.1).
func (h *RequestHandler) Flush() *future.Future[struct{}] {
	if h.finished {
		return future.Failed[struct{}](h.loop, ErrFinished)
	}
	if !h.flushed {
		h.flushed = true
		h.startTransforms(false)
		h.addCookieHeaders()
		h.sendStatus()
	}
	h.out.Write(h.transform(h.buf, false))
	h.buf = h.buf[:0]
	return h.out.Flush()
}

// Finish ends the response, after writing chunks (as Write does) if
// given. Unless the body was flushed already, it sets the ETag of a 200
// response to GET or HEAD and, for those two methods only, answers 304
// Not Modified if the client's If-None-Match has it. Then OnFinish runs
// and the request is logged. A second call returns ErrFinished.
func (h *RequestHandler) Finish(chunks ...any) error {
	if h.finished {
		return ErrFinished
	}
	for _, c := range chunks {
		if err := h.Write(c); err != nil {
			return err
		}
	}
	if !h.flushed {
		h.flushed = true
		m := h.Request.Method
		if h.status == http.StatusOK && (m == "GET" || m == "HEAD") && !h.out.Header().Has("Etag") {
			if tag := h.computeETag(); tag != "" {
				h.out.Header().Set("Etag", tag)
			}
		}
		if h.status == http.StatusOK && (m == "GET" || m == "HEAD") && h.out.Header().Has("Etag") && h.checkETag() {
			h.buf = h.buf[:0]
			h.status, h.reason = http.StatusNotModified, ""
		}
		switch {
		case h.status == http.StatusNotModified:
			clearHeadersFor304(h.out.Header())
		case h.status == http.StatusNoContent || h.status < 200:
			// No body, so nothing to describe (Tornado 6.2's
			// _clear_representation_headers): not even the default
			// Content-Type.
			for _, n := range []string{"Content-Encoding", "Content-Language", "Content-Type"} {
				h.out.Header().Del(n)
			}
		default:
			h.startTransforms(true)
		}
		h.addCookieHeaders()
		h.sendStatus()
	}
	h.out.Write(h.transform(h.buf, true))
	h.finished = true
	h.Application.logRequest(h)
	if f, ok := h.self.(Finisher); ok {
		h.safely(f.OnFinish)
	}
	err := h.out.Finish()
	h.release()
	return err
}

// Finished reports whether Finish was called.
func (h *RequestHandler) Finished() bool { return h.finished }

// clearHeadersFor304 drops the headers a 304 must not carry (RFC 9110
// §15.4.5), as Tornado's clear_headers_for_304.
func clearHeadersFor304(hd *httputil.Headers) {
	for _, n := range []string{"Content-Encoding", "Content-Language", "Content-Length", "Content-Md5", "Content-Range", "Content-Type", "Last-Modified"} {
		hd.Del(n)
	}
}

// safely runs a hook, logging a panic instead of letting it escape.
func (h *RequestHandler) safely(fn func()) {
	defer func() {
		if v := recover(); v != nil {
			h.Application.logger.Error("web: hook panicked", "panic", v, logattr.Stack(stack()))
		}
	}()
	fn()
}

// Redirect sends a redirect to url (relative to the request's URL, as a
// browser would resolve it) and finishes: 301 if permanent, else 302.
func (h *RequestHandler) Redirect(url string, permanent bool) error {
	code := http.StatusFound
	if permanent {
		code = http.StatusMovedPermanently
	}
	return h.RedirectStatus(url, code)
}

// RedirectStatus sends a redirect with a given 3xx status (303, 307,
// 308...) and finishes. It returns ErrHeadersSent after a Flush.
func (h *RequestHandler) RedirectStatus(location string, code int) error {
	if h.flushed {
		return ErrHeadersSent
	}
	if code < 300 || code > 399 {
		return fmt.Errorf("web: redirect status %d is not 3xx", code)
	}
	h.SetStatus(code)
	if base, err := url.Parse(h.Request.Target); err == nil {
		if ref, err := url.Parse(location); err == nil {
			location = base.ResolveReference(ref).String()
		}
	}
	h.SetHeader("Location", location)
	return h.Finish()
}

// ErrorWriter is a handler that draws its own error pages (Tornado's
// write_error): WriteError writes the body for status; err is what caused
// it (nil for a plain SendError).
type ErrorWriter interface {
	WriteError(status int, err error)
}

// SendError answers with an error page for status and finishes, Tornado's
// send_error: the status and headers are reset (SetDefaultHeaders runs
// again), then the handler's WriteError (or the default page) writes the
// body. If the headers already went out it can only finish the response.
func (h *RequestHandler) SendError(status int, err error) {
	if h.flushed {
		h.Application.logger.Error("web: cannot send an error page after the headers went out", "status", status, "uri", h.Request.Target)
		if !h.finished {
			h.Finish()
		}
		return
	}
	h.clear()
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	h.SetStatus(status)
	var he *HTTPError
	if asHTTPError(err, &he) && he.Reason != "" {
		h.SetReason(he.Reason)
	}
	if status == http.StatusMethodNotAllowed {
		h.SetHeader("Allow", h.allowed())
	}
	if ew, ok := h.self.(ErrorWriter); ok {
		h.safely(func() { ew.WriteError(status, err) })
	} else {
		h.WriteError(status, err)
	}
	if !h.finished {
		h.Finish()
	}
}

// WriteError is the default error page: the status and its reason in a
// small HTML page, or, with Config.ServeTraceback (on in Debug), the
// error and its stack as plain text.
func (h *RequestHandler) WriteError(status int, err error) {
	reason := httputil.StatusText(status)
	var he *HTTPError
	if asHTTPError(err, &he) && he.Reason != "" {
		reason = he.Reason
	}
	if err != nil && h.Application.settings.serveTraceback() {
		h.SetHeader("Content-Type", "text/plain; charset=UTF-8")
		h.Write(fmt.Sprintf("%d: %s\n\n%s\n", status, reason, describe(err)))
		return
	}
	r := html.EscapeString(reason)
	h.Write(fmt.Sprintf("<html><title>%d: %s</title><body>%d: %s</body></html>", status, r, status, r))
}
