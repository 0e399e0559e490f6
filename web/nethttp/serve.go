package nethttp

import (
	"context"
	"crypto/tls"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
	"github.com/gornado/gornado/web"
)

// Waitress's defaults for the zero fields of Config that Serve uses.
const (
	DefaultConnectionLimit      = 100
	DefaultChannelTimeout       = 120 * time.Second
	DefaultMaxRequestHeaderSize = 256 << 10
	DefaultMaxRequestBodySize   = 1 << 30
	DefaultBacklog              = 1024
)

// Serve serves h on addr ("host:port"; ignored with UnixSocket) the way
// Waitress serves a WSGI application, waitress.serve(app, listen=addr),
// with the settings of cfg (see Config for Waitress's names):
//
//	err := nethttp.Serve(ctx, "127.0.0.1:8080", mux, nethttp.Config{Threads: 8})
//
// one loop reads requests and sends responses, a pool of cfg.Threads
// workers runs h, and no slow client holds a worker (see the package
// doc). It returns when ctx ends, after a graceful shutdown: requests in
// flight finish (for up to ChannelTimeout), queued ones are answered 503.
// It returns early with an error if it cannot listen.
func Serve(ctx context.Context, addr string, h http.Handler, cfg Config) error {
	sc := &cfg
	if sc.URLPrefix != "" {
		h = http.StripPrefix(strings.TrimSuffix(sc.URLPrefix, "/"), h)
	}
	if sc.URLScheme == "https" {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.TLS == nil {
				r.TLS = &tls.ConnectionState{HandshakeComplete: true}
			}
			inner.ServeHTTP(w, r)
		})
	}
	cfg.NoXSRF = true
	c := NewContainer(h, cfg)
	defer c.Close()
	scfg := httpserver.Config{
		MaxConnections:    orDefaultInt(sc.ConnectionLimit, DefaultConnectionLimit),
		StallTimeout:      sc.ChannelTimeout,
		MaxHeaderSize:     orDefaultInt(sc.MaxRequestHeaderSize, DefaultMaxRequestHeaderSize),
		MaxBodySize:       orDefault(sc.MaxRequestBodySize, DefaultMaxRequestBodySize),
		XHeaders:          len(sc.TrustedProxies) > 0,
		TrustedProxies:    sc.TrustedProxies,
		TrustedDownstream: sc.TrustedDownstream,
		TLS:               sc.TLS,
		Logger:            cfg.Logger,
	}
	if scfg.StallTimeout == 0 {
		scfg.StallTimeout = DefaultChannelTimeout
	}
	app, err := web.NewApplication([]web.Route{{Pattern: `.*`, Handler: c.Handler()}},
		web.Config{Server: scfg, Logger: cfg.Logger, NoAccessLog: true})
	if err != nil {
		return err
	}
	loop, err := ioloop.New(ioloop.Config{Logger: cfg.Logger})
	if err != nil {
		return err
	}
	defer loop.Close()
	fds, err := listen(addr, sc)
	if err != nil {
		return err
	}
	srv := httpserver.New(loop, app.Handler(loop), scfg)
	if err := srv.AddSockets(fds); err != nil {
		return err
	}
	if sc.Ready != nil {
		sc.Ready(srv.Addrs())
	}
	stop := context.AfterFunc(ctx, func() {
		loop.AddCallback(func() {
			grace, cancel := context.WithTimeout(context.Background(), scfg.StallTimeout)
			srv.Shutdown(grace).OnDone(func() {
				cancel()
				loop.Stop()
			})
		})
	})
	defer stop()
	return loop.Start()
}

// listen binds the socket Serve listens on.
func listen(addr string, sc *Config) ([]int, error) {
	backlog := sc.Backlog
	if backlog <= 0 {
		backlog = DefaultBacklog
	}
	if sc.UnixSocket != "" {
		fd, err := iostream.BindUnixSocket(sc.UnixSocket, fsMode(sc.UnixSocketPerms), backlog)
		if err != nil {
			return nil, err
		}
		return []int{fd}, nil
	}
	return iostream.BindSockets(addr, iostream.BindConfig{Backlog: backlog})
}

func orDefaultInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func fsMode(perm uint32) os.FileMode {
	if perm == 0 {
		return 0o600
	}
	return os.FileMode(perm)
}
