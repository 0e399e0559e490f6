package httpbin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/web"
)

// Content types of the answers, as go-httpbin's.
const (
	jsonType   = "application/json; charset=utf-8"
	textType   = "text/plain; charset=utf-8"
	binaryType = "application/octet-stream"
)

// base is what every httpbin handler embeds: the framework's
// RequestHandler, the options, CORS headers on every answer, the OPTIONS
// preflight, JSON error pages, and no automatic ETag (httpbin sends none).
type base struct {
	web.RequestHandler
	opts *Config
	gone bool // the client closed the connection
}

func (b *base) setOptions(o *Config) { b.opts = o }

// route makes a Route whose handler is a fresh T sharing opts.
func route[T any, PT interface {
	*T
	web.Handler
	setOptions(*Config)
}](pattern string, opts *Config) web.Route {
	return web.Route{Pattern: pattern, Handler: func() web.Handler {
		h := PT(new(T))
		h.setOptions(opts)
		if s, ok := any(h).(interface{ Serve(*gen.Co) error }); ok {
			any(h).(interface{ setServe(func(*gen.Co) error) }).setServe(s.Serve)
		}
		return h
	}}
}

// anyMethod is embedded by the handlers that answer every method alike,
// as go-httpbin's routes that name no method: its Get, Post, Put, Patch
// and Delete all call the handler's Serve (route connects them).
type anyMethod struct {
	base
	serve func(*gen.Co) error
}

func (a *anyMethod) setServe(fn func(*gen.Co) error) { a.serve = fn }

func (a *anyMethod) Get(co *gen.Co) error    { return a.serve(co) }
func (a *anyMethod) Post(co *gen.Co) error   { return a.serve(co) }
func (a *anyMethod) Put(co *gen.Co) error    { return a.serve(co) }
func (a *anyMethod) Patch(co *gen.Co) error  { return a.serve(co) }
func (a *anyMethod) Delete(co *gen.Co) error { return a.serve(co) }

// SetDefaultHeaders adds go-httpbin's CORS headers to every answer, error
// pages included.
func (b *base) SetDefaultHeaders() {
	origin := b.Request.Header.Get("Origin")
	if origin == "" {
		origin = "*"
	}
	b.SetHeader("Access-Control-Allow-Origin", origin)
	b.SetHeader("Access-Control-Allow-Credentials", "true")
}

// Config answers a CORS preflight, on every path.
func (b *base) Options(*gen.Co) error {
	b.ClearHeader("Content-Type")
	b.SetHeader("Access-Control-Allow-Methods", "GET, POST, HEAD, PUT, DELETE, PATCH, QUERY, OPTIONS")
	b.SetHeader("Access-Control-Max-Age", "3600")
	if h := b.Request.Header.Get("Access-Control-Request-Headers"); h != "" {
		b.SetHeader("Access-Control-Allow-Headers", h)
	}
	return nil
}

// ComputeETag turns off the framework's automatic ETag: httpbin answers
// carry none, and /get must not turn into a 304.
func (b *base) ComputeETag() string { return "" }

// CheckETagHeader is false: an ETag set through /response-headers is
// only a header, never a reason to answer 304.
func (b *base) CheckETagHeader() bool { return false }

// OnConnectionClose notes that the client went away, so a coroutine
// that slept stops instead of writing to nobody.
func (b *base) OnConnectionClose() { b.gone = true }

// errorBody is go-httpbin's error answer.
type errorBody struct {
	StatusCode int    `json:"status_code"`
	Error      string `json:"error"`
	Detail     string `json:"detail,omitempty"`
}

// WriteError writes errors as go-httpbin does: JSON with the status, its
// reason and, for an *web.HTTPError with a message, the detail.
func (b *base) WriteError(status int, err error) {
	e := errorBody{StatusCode: status, Error: http.StatusText(status)}
	var he *web.HTTPError
	if errors.As(err, &he) {
		e.Detail = he.Message
	}
	b.writeJSON(e)
}

// badRequest is the error of an invalid parameter.
func badRequest(format string, args ...any) error {
	return web.NewHTTPError(http.StatusBadRequest, format, args...)
}

// writeJSON writes v as the JSON body with go-httpbin's content type.
func (b *base) writeJSON(v any) error {
	if err := b.Write(v); err != nil {
		return err
	}
	b.SetHeader("Content-Type", jsonType)
	return nil
}

// headers returns the request's headers as go-httpbin shows them:
// canonical names, each with its values in order.
func (b *base) headers() map[string][]string {
	m := make(map[string][]string)
	for k, v := range b.Request.Header.All() {
		m[k] = append(m[k], v)
	}
	return m
}

// argsMap returns args as a map of lists, as Go's url.Values.
func argsMap(args *httputil.Args) map[string][]string {
	m := make(map[string][]string)
	for k, v := range args.All() {
		m[k] = append(m[k], v)
	}
	return m
}

// args returns the query's arguments.
func (b *base) args() map[string][]string { return argsMap(b.Request.QueryArguments()) }

// origin returns the client's address as go-httpbin reports it: from the
// headers hosting platforms set, else the first X-Forwarded-For hop, else
// the peer's address.
func (b *base) origin() string {
	hd := &b.Request.Header
	for _, name := range []string{"Fly-Client-Ip", "Cf-Connecting-Ip", "Fastly-Client-Ip", "True-Client-Ip"} {
		if v := hd.Get(name); v != "" {
			return v
		}
	}
	if v := hd.Get("X-Forwarded-For"); v != "" {
		first, _, _ := strings.Cut(v, ",")
		return strings.TrimSpace(first)
	}
	return b.Request.RemoteIP
}

// scheme returns the scheme the client used, trusting the proxy headers
// as go-httpbin does.
func (b *base) scheme() string {
	hd := &b.Request.Header
	if s := hd.Get("X-Forwarded-Proto"); s != "" {
		return s
	}
	if s := hd.Get("X-Forwarded-Protocol"); s != "" {
		return s
	}
	if hd.Get("X-Forwarded-Ssl") == "on" {
		return "https"
	}
	return b.Request.Protocol
}

// url returns the URL the client asked for.
func (b *base) url() string {
	return b.scheme() + "://" + b.Request.Host + b.Request.Path + query(b.Request.Query)
}

func query(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

// jsonLine marshals v compactly, with a newline.
func jsonLine(v any) []byte {
	line, _ := json.Marshal(v) // the answers' types always marshal
	return append(line, '\n')
}
