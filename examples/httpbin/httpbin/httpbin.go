// Package httpbin is a Gornado implementation of the common httpbin
// endpoints (https://httpbin.org), answering as go-httpbin
// (github.com/mccutchen/go-httpbin) does: the same paths, JSON shapes,
// status codes, limits and content types. It is an example of the web
// package at work: plain handlers that echo the request, coroutines that
// sleep (/delay, /drip) and stream (/stream, /drip) without holding a
// thread, redirects, cookies and Basic auth.
//
// Serve it on a loop of your own:
//
//	app, err := httpbin.NewApplication(httpbin.Config{}, web.Config{})
//	if err != nil { ... }
//	err = app.ListenAndServe(ctx, "127.0.0.1:8888", 1)
//
// or mount Routes in a larger application.
//
// The endpoints:
//
//	/get /post /put /patch /delete   the request as JSON (args, headers, origin, url; data, files, form, json for bodies)
//	/anything[/...]                  the same, for any method
//	/headers /ip /user-agent         parts of the request
//	/status/{codes}                  that status (a comma list picks one at random, weights after ":")
//	/redirect/{n}                    n relative redirects to /get (?absolute=true: absolute ones)
//	/relative-redirect/{n}           n relative redirects
//	/absolute-redirect/{n}           n absolute redirects
//	/cookies                         the request's cookies
//	/cookies/set?name=value          sets cookies, then redirects to /cookies
//	/cookies/delete?name             deletes cookies, then redirects to /cookies
//	/basic-auth/{user}/{password}    200 with the right Basic credentials, else 401
//	/bytes/{n}                       n random bytes (?seed=S: the same bytes as go-httpbin's)
//	/stream/{n}                      n JSON lines (at most 100), each flushed on its own
//	/drip                            numbytes "*" over duration after delay, with code
//	/delay/{d}                       the /anything answer after d (seconds, or a Go duration)
//	/gzip                            the request as gzip-compressed JSON
//	/response-headers?name=value     sets response headers from the query, and echoes them
//
// Every response carries CORS headers and an OPTIONS request anywhere is
// a preflight answered 200, as go-httpbin's. Errors are JSON:
// {"status_code": 400, "error": "Bad Request", "detail": "..."}.
//
// Where this package knowingly differs from go-httpbin: a request body
// over Config.MaxBodySize is refused 413 by the server (go-httpbin
// answers 400 after reading it); JSON is compact, with <, > and &
// escaped as \u003c... (the same values); /stream is application/json
// (as the original httpbin; go-httpbin's is sniffed as text/plain); a 404
// or 405 has the JSON error body (go-httpbin's mux answers in text), and
// OPTIONS in Allow; a /cookies/set value that cannot go in a Set-Cookie
// header is refused 400 instead of sanitized; an informational
// /status/1xx is answered 200 with no body (what a client of go-httpbin
// ends up with after the interim response); only GET, HEAD, POST, PUT,
// PATCH, DELETE and OPTIONS are served (others are 405); and the reason
// phrases are Gornado's (418 "I'm a Teapot"). The interop tests
// (interop/httpbin_test.go) send the same requests to both and compare.
//
// A client that goes away while a handler sleeps or streams ends it
// quietly: the handler notices (OnConnectionClose, or a failed Flush)
// and stops without answering.
package httpbin

import (
	"net/http"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/web"
)

// Defaults of Config, as go-httpbin's.
const (
	DefaultMaxBodySize int64 = 1 << 20
	DefaultMaxDuration       = 10 * time.Second
	// MaxStreamLines bounds /stream/{n}.
	MaxStreamLines = 100
)

// Defaults of /drip's parameters (httpbin's).
const (
	DefaultDripDuration       = 2 * time.Second
	DefaultDripDelay          = 2 * time.Second
	DefaultDripNumBytes int64 = 10
)

// Config are the limits of the endpoints. The zero value means
// go-httpbin's defaults.
type Config struct {
	// MaxBodySize bounds request bodies (through NewApplication's server
	// configuration), /bytes/{n} and /drip's numbytes. Zero means
	// DefaultMaxBodySize.
	MaxBodySize int64
	// MaxDuration bounds /delay and /drip's delay plus duration. Zero
	// means DefaultMaxDuration.
	MaxDuration time.Duration
}

func (o Config) withDefaults() Config {
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = DefaultMaxBodySize
	}
	if o.MaxDuration <= 0 {
		o.MaxDuration = DefaultMaxDuration
	}
	return o
}

// Routes returns the httpbin routes, for an application of your own. Put
// NotFound in its web.Config.DefaultHandler to answer OPTIONS and unknown
// paths as httpbin does.
func Routes(o Config) []web.Route {
	opts := o.withDefaults()
	p := &opts
	return []web.Route{
		route[getHandler](`/get`, p),
		route[postHandler](`/post`, p),
		route[putHandler](`/put`, p),
		route[patchHandler](`/patch`, p),
		route[deleteHandler](`/delete`, p),
		route[anythingHandler](`/anything(?:/.*)?`, p),
		route[headersHandler](`/headers`, p),
		route[ipHandler](`/ip`, p),
		route[userAgentHandler](`/user-agent`, p),
		route[gzipHandler](`/gzip`, p),
		route[statusHandler](`/status/([^/]+)`, p),
		route[redirectHandler](`/(redirect|relative-redirect|absolute-redirect)/([^/]+)`, p),
		route[cookiesHandler](`/cookies`, p),
		route[setCookiesHandler](`/cookies/(set|delete)`, p),
		route[basicAuthHandler](`/basic-auth/([^/]+)/([^/]+)`, p),
		route[bytesHandler](`/bytes/([^/]+)`, p),
		route[streamHandler](`/stream/([^/]+)`, p),
		route[dripHandler](`/drip`, p),
		route[delayHandler](`/delay/([^/]+)`, p),
		route[responseHeadersHandler](`/response-headers`, p),
	}
}

// NotFound returns the factory of the handler for paths no route
// matches: a JSON 404, or the CORS preflight answer for OPTIONS.
func NotFound() func() web.Handler {
	return func() web.Handler { return &notFoundHandler{} }
}

// NewApplication returns an application serving Routes(o), with
// NotFound as its default handler and, unless s.Server sets one, the
// server's body limit at o.MaxBodySize.
func NewApplication(o Config, s web.Config) (*web.Application, error) {
	o = o.withDefaults()
	if s.DefaultHandler == nil {
		s.DefaultHandler = NotFound()
	}
	if s.Server.MaxBodySize == 0 {
		s.Server.MaxBodySize = o.MaxBodySize
	}
	return web.NewApplication(Routes(o), s)
}

// notFoundHandler answers paths no route matches.
type notFoundHandler struct{ base }

func (h *notFoundHandler) Prepare(*gen.Co) error {
	if h.Request.Method == http.MethodOptions {
		return nil
	}
	return &web.HTTPError{Code: http.StatusNotFound}
}
