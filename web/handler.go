package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locale"
)

// Handler is what a Route makes for each request: a struct of yours that
// embeds RequestHandler and has a method for each HTTP method it serves.
//
//	type MainHandler struct {
//		web.RequestHandler
//	}
//
//	func (h *MainHandler) Get(co *gen.Co) error {
//		return h.Write("Hello, world")
//	}
//
// Embedding RequestHandler is the only way to implement Handler.
type Handler interface {
	requestHandler() *RequestHandler
}

// The methods a handler may have, one interface each; the application
// calls the one the request's method names. They are coroutines: they run
// on the loop and may gen.Await futures (a method that never waits costs
// no goroutine switch). A returned error ends the request: see
// RequestHandler.SendError. A HEAD request goes to Get when the handler
// has no Head method (its body is not sent).
type (
	GetHandler     interface{ Get(co *gen.Co) error }
	HeadHandler    interface{ Head(co *gen.Co) error }
	PostHandler    interface{ Post(co *gen.Co) error }
	PutHandler     interface{ Put(co *gen.Co) error }
	PatchHandler   interface{ Patch(co *gen.Co) error }
	DeleteHandler  interface{ Delete(co *gen.Co) error }
	OptionsHandler interface{ Options(co *gen.Co) error }
)

// Hooks of the request's life, each optional, in the order they run.
type (
	// Preparer runs before the method, whatever the method (Tornado's
	// prepare). It may finish the request itself, or return an error.
	Preparer interface{ Prepare(co *gen.Co) error }
	// Finisher runs after the response is finished (on_finish), to clean
	// up or log; the response can no longer change.
	Finisher interface{ OnFinish() }
	// ConnectionCloser runs when the client closes the connection before
	// the response is finished (on_connection_close), so a long poll can
	// stop waiting.
	ConnectionCloser interface{ OnConnectionClose() }
	// DefaultHeaderSetter sets headers every response of the handler
	// starts with, including error pages (set_default_headers).
	DefaultHeaderSetter interface{ SetDefaultHeaders() }
	// MethodLister restricts the methods the handler accepts
	// (SUPPORTED_METHODS); others are answered 405. A method outside
	// the seven standard ones (WebDAV's PROPFIND, say) is served by
	// OtherMethodHandler.
	MethodLister interface{ SupportedMethods() []string }
	// OtherMethodHandler serves the methods SupportedMethods lists that
	// have no interface above, as Tornado dispatches any listed method
	// to the handler's method of that name.
	OtherMethodHandler interface {
		ServeMethod(co *gen.Co, method string) error
	}
	// XSRFChecker is what the application calls before Prepare for
	// every method but GET, HEAD and OPTIONS (POST, PUT, PATCH, DELETE,
	// and any other a handler lists) when Config.XSRFCookies is on.
	// RequestHandler's CheckXSRFCookie implements it; a handler
	// overrides it (Tornado's check_xsrf_cookie) to check another way,
	// or to return nil for an API authenticated by a header instead of
	// a cookie.
	XSRFChecker interface{ CheckXSRFCookie() error }
)

// DefaultSupportedMethods are the methods a handler accepts unless it has
// a SupportedMethods method.
var DefaultSupportedMethods = []string{"GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"}

// responder is where a handler's response goes: the HTTP/1.1 server's
// Response, or the bridge to a net/http ResponseWriter.
type responder interface {
	Header() *httputil.Headers
	SetStatus(code int)
	SetReason(reason string) // "" for the standard phrase
	Write(b []byte) (int, error)
	Flush() *future.Future[struct{}]
	Finish() error
}

// RequestHandler is the part of every handler that the framework
// provides, Tornado's RequestHandler: embed it in your handler struct.
// Its methods read the request (arguments, cookies, body) and build the
// response (status, headers, body, cookies, redirects, errors, templates).
//
// All of them are loop-only: call them from the handler's methods and
// hooks, or from callbacks and coroutines on the same loop, until the
// response is finished.
type RequestHandler struct {
	// Application is the application serving the request.
	Application *Application
	// Request is the request being served.
	Request *Request
	// PathArgs are the route pattern's groups, percent-decoded.
	PathArgs []string

	self       Handler
	loop       *ioloop.IOLoop
	route      *rule
	out        responder
	req        Request
	status     int
	reason     string // the status line's reason phrase; "" for the standard one
	buf        []byte
	bufBox     *[]byte // the pool's box buf came in, to put it back without allocating
	flushed    bool    // headers went out
	finished   bool
	authMark   bool // made by Authenticated
	slash      int8 // made by AddSlash (+1) or RemoveSlash (-1)
	closed     bool // the client went away
	gz         *gzipState
	stream     *bodyStream
	user       any
	userSet    bool
	xsrfToken  string
	errNote    string // a client error's reason, for the access log
	newCookies []newCookie
	loc        *locale.Locale // chosen by Locale
}

func (h *RequestHandler) requestHandler() *RequestHandler { return h }

// Loop returns the loop the handler runs on.
func (h *RequestHandler) Loop() *ioloop.IOLoop { return h.loop }

// PathKwarg returns the named group name of the route's pattern
// ((?P<name>...)), or "" if it did not match.
func (h *RequestHandler) PathKwarg(name string) string {
	if h.route == nil {
		return ""
	}
	for i, n := range h.route.names[1:] {
		if n == name && i < len(h.PathArgs) {
			return h.PathArgs[i]
		}
	}
	return ""
}

// init readies h to serve r through out.
func (h *RequestHandler) init(app *Application, self Handler, loop *ioloop.IOLoop, ru *rule, args []string, out responder) {
	h.Application = app
	h.self = self
	h.loop = loop
	h.route = ru
	h.PathArgs = args
	h.out = out
	h.status = http.StatusOK
	h.Request = &h.req
	h.newCookies = h.newCookies[:0]
	h.clear()
}

// clear resets the status and headers to their defaults (Tornado's
// clear), as at the start and before an error page.
func (h *RequestHandler) clear() {
	hd := h.out.Header()
	hd.Reset()
	hd.Set("Content-Type", "text/html; charset=UTF-8")
	if d, ok := h.self.(DefaultHeaderSetter); ok {
		d.SetDefaultHeaders()
	}
	h.status, h.reason = http.StatusOK, ""
	h.buf = h.buf[:0]
}

// supports reports whether the handler accepts method.
func (h *RequestHandler) supports(method string) bool {
	list := DefaultSupportedMethods
	if ml, ok := h.self.(MethodLister); ok {
		list = ml.SupportedMethods()
	}
	for _, m := range list {
		if m == method {
			return true
		}
	}
	return false
}

// methodFunc returns the handler's function for method, or nil.
func (h *RequestHandler) methodFunc(method string) func(*gen.Co) error {
	switch method {
	case "GET":
		if m, ok := h.self.(GetHandler); ok {
			return m.Get
		}
	case "HEAD":
		if m, ok := h.self.(HeadHandler); ok {
			return m.Head
		}
		if m, ok := h.self.(GetHandler); ok {
			return m.Get
		}
	case "POST":
		if m, ok := h.self.(PostHandler); ok {
			return m.Post
		}
	case "PUT":
		if m, ok := h.self.(PutHandler); ok {
			return m.Put
		}
	case "PATCH":
		if m, ok := h.self.(PatchHandler); ok {
			return m.Patch
		}
	case "DELETE":
		if m, ok := h.self.(DeleteHandler); ok {
			return m.Delete
		}
	case "OPTIONS":
		if m, ok := h.self.(OptionsHandler); ok {
			return m.Options
		}
	default:
		if m, ok := h.self.(OtherMethodHandler); ok {
			return func(co *gen.Co) error { return m.ServeMethod(co, method) }
		}
	}
	return nil
}

// allowed lists the methods the handler both supports and implements,
// for the Allow header of a 405.
func (h *RequestHandler) allowed() string {
	list := DefaultSupportedMethods
	if ml, ok := h.self.(MethodLister); ok {
		list = ml.SupportedMethods()
	}
	var ms []string
	for _, m := range list {
		if h.methodFunc(m) != nil {
			ms = append(ms, m)
		}
	}
	return strings.Join(ms, ", ")
}

// execute runs the request's life as a coroutine: checks, Prepare, the
// method, and Finish if the method did not (Tornado's _execute).
func (h *RequestHandler) execute(co *gen.Co) (struct{}, error) {
	defer func() {
		if v := recover(); v != nil {
			h.handleError(&gen.PanicError{Value: v, Stack: stack()})
		}
	}()
	if err := h.run(co); err != nil {
		h.handleError(err)
	}
	if !h.finished {
		h.Finish() // also when the client went away: OnFinish runs
	}
	return struct{}{}, nil
}

func (h *RequestHandler) run(co *gen.Co) error {
	method := h.Request.Method
	if !h.supports(method) {
		return &HTTPError{Code: http.StatusMethodNotAllowed}
	}
	if h.Application.settings.XSRFCookies && !safeMethod(method) {
		checker := XSRFChecker(h)
		if c, ok := h.self.(XSRFChecker); ok {
			checker = c // the handler's own, or RequestHandler's promoted
		}
		if err := checker.CheckXSRFCookie(); err != nil {
			return err
		}
	}
	if p, ok := h.self.(Preparer); ok {
		if err := p.Prepare(co); err != nil || h.finished {
			return err
		}
	}
	if h.slash != 0 {
		if err := h.fixSlash(); err != nil {
			return err
		}
	}
	if h.authMark {
		if err := h.RequireUser(); err != nil {
			return err
		}
	}
	if h.stream != nil {
		if err := h.stream.wait(co); err != nil {
			return err
		}
	}
	if method == "GET" || method == "HEAD" {
		// The common case, called through the interface: no method
		// value to allocate.
		_, hasHead := h.self.(HeadHandler)
		if m, ok := h.self.(GetHandler); ok && (method == "GET" || !hasHead) {
			return m.Get(co)
		}
	}
	fn := h.methodFunc(method)
	if fn == nil {
		return &HTTPError{Code: http.StatusMethodNotAllowed}
	}
	return fn(co)
}

// asFinish finds a FinishError in err's chain, as a value or a pointer.
func asFinish(err error) (FinishError, bool) {
	var fin FinishError
	if errors.As(err, &fin) {
		return fin, true
	}
	var p *FinishError
	if errors.As(err, &p) && p != nil {
		return *p, true
	}
	return fin, false
}

func safeMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "OPTIONS" }

// handleError answers err as Tornado's _handle_request_exception: a
// FinishError finishes, anything else becomes an error page (unless the response
// already went out, then the connection is cut short), and is logged.
func (h *RequestHandler) handleError(err error) {
	if fin, ok := asFinish(err); ok {
		if !h.finished {
			if fin.Body != nil {
				h.Write(fin.Body)
			}
			h.Finish()
		}
		return
	}
	if errors.Is(err, ioloop.ErrLoopClosed) {
		// The loop is closing under a waiting handler: nobody to answer.
		if !h.finished {
			h.Finish()
		}
		return
	}
	status := statusOf(err)
	h.Application.logError(h, status, err)
	if h.finished {
		return
	}
	h.SendError(status, err)
}
