package nethttp

import (
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

// Config configures a Container. The zero value works.
type Config struct {
	// Threads is the number of workers of the container's own pool
	// (Waitress's threads); zero means ioloop.DefaultExecutorWorkers (4).
	Threads int
	// Executor, if set, runs the handler instead of a pool of the
	// container's own (Close then leaves it alone).
	Executor *ioloop.Executor
	// NoXSRF exempts the mounted handler from the application's XSRF
	// check (Settings.XSRFCookies), which otherwise applies to it as to
	// any handler.
	NoXSRF bool
	// CurrentUser tells who is logged in, for a container route wrapped
	// in web.Authenticated; nil means nobody.
	CurrentUser func(h *web.RequestHandler) (any, error)
	// Logger receives handler panics; nil means the application's.
	Logger *slog.Logger
}

// closeTimeout is how long Close waits for handlers still running.
const closeTimeout = 5 * time.Second

// ErrClosed is the error of Close while handlers are still running on
// the container's own pool after its timeout.
var ErrClosed = errors.New("nethttp: container closed with handlers still running")

// Container runs a net/http handler on a worker pool for a Gornado
// application, Tornado's WSGIContainer. Give a route its Handler; Close
// it once the servers using it have shut down. Safe from any goroutine.
type Container struct {
	h    http.Handler
	cfg  Config
	log  *slog.Logger
	exec *ioloop.Executor
	own  bool

	waits atomic.Int64 // times a worker waited for a slow client
	peak  atomic.Int64 // the most bytes one response held unsent
}

// Stats are figures of a container's life so far.
type Stats struct {
	// Waits counts the times a worker waited because a client read its
	// response more slowly than the handler wrote it.
	Waits int64
	// PeakPending is the most bytes one response had handed to the loop
	// and not yet sent: what a slow client costs in memory, at most
	// about 1 MiB plus a 64 KiB chunk.
	PeakPending int64
}

// Stats returns the container's figures so far.
func (c *Container) Stats() Stats {
	return Stats{Waits: c.waits.Load(), PeakPending: c.peak.Load()}
}

// NewContainer returns a container for h, with a pool of cfg.Threads
// workers (started now), or cfg.Executor.
func NewContainer(h http.Handler, cfg Config) *Container {
	c := &Container{h: h, cfg: cfg, log: cfg.Logger, exec: cfg.Executor}
	if c.exec == nil {
		n := cfg.Threads
		if n <= 0 {
			n = ioloop.DefaultExecutorWorkers
		}
		c.exec = ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: n, Logger: cfg.Logger})
		c.own = true
	}
	return c
}

// Handler returns the route's handler factory: each request gets a
// FallbackHandler that hands it to the container.
func (c *Container) Handler() func() web.Handler {
	return func() web.Handler { return &FallbackHandler{c: c} }
}

// Close shuts the container's own pool down (a Config.Executor is left
// alone): requests still queued are answered 503, and it waits up to 5
// seconds for handlers still running, returning ErrClosed if some still
// are. Requests that come later are answered 503.
func (c *Container) Close() error {
	if c.own && c.exec.Shutdown(true, closeTimeout) {
		return ErrClosed
	}
	return nil
}
