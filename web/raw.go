package web

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/gornado/gornado/httpserver"
)

// ErrNoRawResponse is returned by RawResponse for a request that did not
// come through the HTTP/1.1 server (ServeHTTP serves it through net/http).
var ErrNoRawResponse = errors.New("web: no raw response: the request came through net/http")

// RawResponse hands the server's response to the handler's own code,
// which answers through it directly, as Tornado's FallbackHandler hands
// the request's connection to a WSGIContainer: the handler's output
// (default headers, cookies, ETag, compression, the access log record)
// is bypassed, and the handler counts as finished. The response has no
// headers yet; its owner must Finish it (or Detach, to take the
// connection over: a WebSocket, a hijacking net/http handler), and log
// the request if it wants (LogAccess). OnConnectionClose still runs if
// the client goes away first.
//
// Call it from Prepare or a method, before anything is flushed. It
// returns ErrFinished after Finish, ErrHeadersSent after a Flush, and
// ErrNoRawResponse under ServeHTTP. Loop-only.
func (h *RequestHandler) RawResponse() (*httpserver.Response, error) {
	switch {
	case h.finished:
		return nil, ErrFinished
	case h.flushed:
		return nil, ErrHeadersSent
	}
	w, ok := h.out.(*httpserver.Response)
	if !ok {
		return nil, ErrNoRawResponse
	}
	w.Header().Reset()
	h.finished = true
	if f, ok := h.self.(Finisher); ok {
		h.safely(f.OnFinish)
	}
	h.release()
	return w, nil
}

// LogAccess writes an access log record, as the application does for
// every request a handler finishes, for code that answers a request
// itself (RawResponse): d is how long the request took. Safe from any
// goroutine.
func (a *Application) LogAccess(status int, method, uri, remoteIP string, d time.Duration) {
	a.logAccess(status, method, uri, remoteIP, d, "")
}

// logAccess is LogAccess with the reason of a client error, if any.
func (a *Application) logAccess(status int, method, uri, remoteIP string, d time.Duration, note string) {
	if a.settings.NoAccessLog {
		return
	}
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelWarn
	}
	ctx := context.Background()
	if !a.access.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.Int("status", status),
		slog.String("method", method),
		slog.String("uri", uri),
		slog.String("remote_ip", remoteIP),
		slog.Duration("duration", d),
	}
	if note != "" {
		attrs = append(attrs, slog.String("error", note))
	}
	a.access.LogAttrs(ctx, level, "request", attrs...)
}
