package web

import (
	"strings"
	"time"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
)

// Request is the request a handler serves, Tornado's HTTPServerRequest:
// the server's request (method, target, path, query, headers, host, body,
// remote IP, protocol) plus what the framework parses from it on first
// use: arguments, uploaded files and cookies.
//
// Like the server's request it is valid until the response is finished;
// copy what must outlive it.
type Request struct {
	*httpserver.Request

	// StartTime is when the application received the request, on the
	// loop's clock (ioloop.IOLoop.Time).
	StartTime time.Time

	loop      *ioloop.IOLoop
	parsed    bool
	parseErr  error
	queryArgs httputil.Args
	bodyArgs  httputil.Args
	files     map[string][]httputil.HTTPFile
	cookies   map[string]string
}

func (r *Request) reset(sr *httpserver.Request, loop *ioloop.IOLoop) {
	r.Request = sr
	r.loop = loop
	r.StartTime = loop.Time()
	r.parsed, r.parseErr = false, nil
	r.queryArgs.Reset()
	r.bodyArgs.Reset()
	r.files = nil
	r.cookies = nil
}

// parse parses the query and, for form and multipart bodies, the body
// arguments and files, once.
func (r *Request) parse(maxBody int) error {
	if r.parsed {
		return r.parseErr
	}
	r.parsed = true
	httputil.ParseQuery(r.Query, &r.queryArgs)
	if len(r.Body) > 0 {
		ct := r.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "multipart/form-data") {
			r.files = make(map[string][]httputil.HTTPFile)
		}
		if err := httputil.ParseBodyArguments(ct, r.Body, &r.bodyArgs, r.files, maxBody); err != nil {
			r.parseErr = &HTTPError{Code: 400, Message: "bad request body: " + err.Error()}
		}
	}
	return r.parseErr
}

// Cookies returns the request's cookies by name (parsed once).
func (r *Request) Cookies() map[string]string {
	if r.cookies == nil {
		r.cookies = r.Request.Cookies()
	}
	return r.cookies
}

// Cookie returns the value of the named cookie and whether it was sent.
func (r *Request) Cookie(name string) (string, bool) {
	v, ok := r.Cookies()[name]
	return v, ok
}

// Files returns the files uploaded in a multipart/form-data body, by
// field name.
func (r *Request) Files() map[string][]httputil.HTTPFile {
	r.parse(0)
	return r.files
}

// QueryArguments returns the arguments of the query string.
func (r *Request) QueryArguments() *httputil.Args {
	r.parse(0)
	return &r.queryArgs
}

// BodyArguments returns the arguments of a form or multipart body.
func (r *Request) BodyArguments() *httputil.Args {
	r.parse(0)
	return &r.bodyArgs
}

// FullURL returns the URL the client asked for: protocol, host and target.
func (r *Request) FullURL() string {
	return r.Protocol + "://" + r.Host + r.Target
}

// URI returns the request-target as sent (path and query), Tornado's
// request.uri.
func (r *Request) URI() string { return r.Target }

// RequestTime returns how long the request has taken so far, on the
// loop's clock.
func (r *Request) RequestTime() time.Duration { return r.loop.Time().Sub(r.StartTime) }
