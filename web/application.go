package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"sync"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// Application is a web application: routes from paths to handlers, and
// the settings they share (Tornado's tornado.web.Application).
//
// It serves on a loop through the HTTP/1.1 server (Listen, ListenAndServe,
// or Handler for an httpserver.Server you build), and it is also an
// http.Handler, so net/http can serve it too (ServeHTTP).
//
// An Application is safe to share between loops and goroutines: its routes
// and settings do not change once it is built, and its caches lock. Each
// request's handler runs on one loop.
type Application struct {
	settings Config
	router   *router
	fallback *rule
	logger   *slog.Logger
	access   *slog.Logger
	bufs     sync.Pool

	templates templateCache
	static    staticState
	bridge    bridgeState
}

// NewApplication builds an application from routes, tried in order, and
// cfg (whose zero value works): Tornado's Application(handlers,
// **settings). It returns an error for a route whose pattern does not
// compile, that has no Handler, or whose Name repeats another's. With
// StaticPath or StaticFS set, it first adds Tornado's static routes
// (StaticURLPrefix, /favicon.ico and /robots.txt).
//
// It also returns an error for a handler whose hook methods have the
// wrong signature (func (h *H) Get() error compiles, and would never be
// called), for an Authenticated route with a Get (or Head) when
// Config.LoginURL is not set, for a Config.UserCookie without a
// CookieSecret (or CookieSecrets), and for a StaticPath or TemplatePath
// that is not a valid path inside StaticFS or TemplateFS (fs.Sub).
//
// Each route's factory is called once here, to learn whether its handler
// streams request bodies (BodyStreamer), or is an http.Handler that
// ServeHTTP may call directly (a nethttp.Container's).
func NewApplication(routes []Route, cfg Config) (*Application, error) {
	a := &Application{settings: cfg}
	a.logger = cfg.Logger
	if a.logger == nil {
		a.logger = slog.Default()
	}
	a.access = cfg.AccessLog
	if a.access == nil {
		a.access = a.logger
	}
	if a.settings.StaticURLPrefix == "" {
		a.settings.StaticURLPrefix = "/static/"
	}
	if err := a.settings.subFS(); err != nil {
		return nil, err
	}
	if cfg.UserCookie != "" && cfg.CookieSecret == "" && len(cfg.CookieSecrets) == 0 {
		return nil, errors.New("web: Config.UserCookie is set, but no CookieSecret signs it")
	}
	all := append(a.staticRoutes(), routes...)
	if cfg.CoroutinesURL != "" {
		all = append([]Route{{Pattern: regexp.QuoteMeta(cfg.CoroutinesURL), Handler: Make[coroutinesHandler]()}}, all...)
	}
	rt, err := newRouter(all)
	if err != nil {
		return nil, err
	}
	a.router = rt
	for _, ru := range rt.rules {
		h := ru.Handler()
		if err := a.checkHandler(ru, h); err != nil {
			return nil, err
		}
		if _, ok := h.(BodyStreamer); ok {
			ru.streams = true
		}
		if hh, ok := h.(http.Handler); ok {
			ru.direct = hh
		}
	}
	def := cfg.DefaultHandler
	if def == nil {
		def = NewErrorHandler(http.StatusNotFound)
	}
	if a.fallback, err = compileRoute(Route{Pattern: ".*", Handler: def}); err != nil {
		return nil, err
	}
	if _, ok := def().(BodyStreamer); ok {
		a.fallback.streams = true
	}
	return a, nil
}

// Logger returns the application's logger (Config.Logger, or
// slog.Default()).
func (a *Application) Logger() *slog.Logger { return a.logger }

// Config returns the application's settings as it uses them: with
// StaticURLPrefix defaulted, and a TemplateFS or StaticFS narrowed to the
// TemplatePath or StaticPath inside it (which are then empty). Read it;
// changing it once the application serves races with the requests that
// read it.
func (a *Application) Config() *Config { return &a.settings }

// ReverseURL returns the path of the route named name with its groups
// filled by args (Tornado's reverse_url), or an error if there is no such
// route, the count of args is wrong, or the pattern cannot be reversed.
func (a *Application) ReverseURL(name string, args ...any) (string, error) {
	ru, ok := a.router.named[name]
	if !ok {
		return "", &HTTPError{Code: 500, Message: "no route named " + name}
	}
	return ru.reverseURL(args)
}

// Handler returns the httpserver.Handler that serves the application on
// loop, for an httpserver.Server or Group of your own.
func (a *Application) Handler(loop *ioloop.IOLoop) httpserver.Handler {
	return &loopServer{app: a, loop: loop}
}

// Listen starts an HTTP server for the application on loop, listening on
// addr ("host:port"), with Config.Server's configuration. Loop-only (or
// before the loop starts).
func (a *Application) Listen(loop *ioloop.IOLoop, addr string) (*httpserver.Server, error) {
	srv := httpserver.New(loop, a.Handler(loop), a.settings.Server)
	if err := srv.Listen(addr); err != nil {
		return nil, err
	}
	return srv, nil
}

// ListenAndServe serves the application on addr with n loops sharing the
// port (SO_REUSEPORT), until ctx ends; then it shuts down gracefully.
func (a *Application) ListenAndServe(ctx context.Context, addr string, n int) error {
	return httpserver.ListenAndServe(ctx, addr, n, a.Handler, a.settings.Server)
}

// route finds the rule for a request, the fallback if none matches.
func (a *Application) route(sr *httpserver.Request) (*rule, []string) {
	if ru, args := a.router.find(hostOnly(sr.Host), sr.Path); ru != nil {
		return ru, args
	}
	return a.fallback, nil
}

// newHandler makes and readies the handler of rule ru for a request.
func (a *Application) newHandler(loop *ioloop.IOLoop, ru *rule, args []string, out responder, sr *httpserver.Request) *RequestHandler {
	self := ru.Handler()
	h := self.requestHandler()
	if b, ok := a.bufs.Get().(*[]byte); ok {
		h.buf, h.bufBox = (*b)[:0], b
	}
	h.req.reset(sr, loop)
	h.init(a, self, loop, ru, args, out)
	return h
}

// release returns what the handler borrowed, once it is finished.
func (h *RequestHandler) release() {
	if h.gz != nil {
		h.gz.release()
		h.gz = nil
	}
	if cap(h.buf) > 0 && cap(h.buf) <= maxPooledBuf {
		box := h.bufBox
		if box == nil {
			box = new([]byte)
		}
		*box = h.buf[:0]
		h.Application.bufs.Put(box)
	}
	h.buf, h.bufBox = nil, nil
}

// maxPooledBuf bounds the body buffers kept for reuse.
const maxPooledBuf = 64 << 10

func (h *RequestHandler) onConnectionClose() {
	h.closed = true
	if h.stream != nil {
		h.stream.fail(httpserver.ErrConnectionClosed)
	}
	if c, ok := h.self.(ConnectionCloser); ok {
		h.safely(c.OnConnectionClose)
	}
}

// logRequest writes the access log record of a finished request, with
// the reason of a client error, if it had one.
func (a *Application) logRequest(h *RequestHandler) {
	r := h.Request
	a.logAccess(h.status, r.Method, r.Target, r.RemoteIP, r.RequestTime(), h.errNote)
}

// logError logs an error that ended a request: server errors with their
// stack, client errors only if they carry a message (Tornado's
// log_exception).
//
// A server error is logged on its own, with its stack if it was a panic.
// A client error's reason (an HTTPError's Message, the missing argument's
// name, a status error's text) goes in the request's access log record
// instead, as its "error": one record per request.
func (a *Application) logError(h *RequestHandler, status int, err error) {
	if status >= 500 {
		args := append([]any{"method", h.Request.Method, "uri", h.Request.Target, "status", status}, errorAttrs(err)...)
		a.logger.Error("web: request failed", args...)
		return
	}
	var he *HTTPError
	var me *MissingArgumentError
	switch {
	case asHTTPError(err, &he):
		h.errNote = he.Message
	case errors.As(err, &me):
		h.errNote = "Missing argument " + me.Name
	default:
		h.errNote = err.Error()
	}
}

// Serve listens on addr with loop and runs it until ctx ends, then shuts
// down gracefully and stops the loop (httpserver.Server.Run): one call for
// a program that has a loop of its own, with PeriodicCallbacks on it.
//
//	loop, _ := ioloop.New(ioloop.Config{})
//	ioloop.NewPeriodicCallback(loop, prune, time.Minute).Start()
//	err := app.Serve(ctx, loop, "127.0.0.1:8888")
func (a *Application) Serve(ctx context.Context, loop *ioloop.IOLoop, addr string) error {
	srv, err := a.Listen(loop, addr)
	if err != nil {
		return err
	}
	return srv.Run(ctx)
}
