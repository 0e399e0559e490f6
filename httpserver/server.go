package httpserver

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// Server is an HTTP/1.1 server on one loop. Each connection is a state
// machine driven by the loop's read and write events: no goroutine per
// connection, and a handler that never waits costs no goroutine switch.
// Loop-only.
type Server struct {
	loop    *ioloop.IOLoop
	handler Handler
	cfg     Config
	log     *slog.Logger
	tcp     *iostream.TCPServer

	conns        []*conn // open connections; each knows its index (conn.idx)
	sweeper      *ioloop.PeriodicCallback
	now          int64 // unix nanoseconds, refreshed by the sweeper
	dateSec      int64
	dateLine     []byte
	shuttingDown bool
	shutdownF    *future.Future[struct{}]
	shutdownDone chan struct{}
	free         []*exchange // finished exchanges, for reuse
	buffered     int64       // request body bytes held (Config.MaxBufferedBodySize)
	out          []byte      // response bytes being built (loop-only scratch)
}

// New returns a server for h on loop; it accepts nothing until Listen or
// AddSockets.
func New(loop *ioloop.IOLoop, h Handler, cfg Config) *Server {
	cfg.setDefaults()
	s := &Server{loop: loop, handler: h, cfg: cfg}
	s.log = cfg.Logger
	if s.log == nil {
		s.log = loop.Logger()
	}
	s.tcp = iostream.NewTCPServer(loop, iostream.HandlerFunc(s.handleStream), iostream.ServerConfig{
		Stream:           cfg.Stream,
		MaxConnections:   cfg.MaxConnections,
		Logger:           s.log,
		TLS:              cfg.TLS,
		HandshakeTimeout: cfg.HeaderTimeout,
	})
	s.sweeper = ioloop.NewPeriodicCallback(loop, s.sweep, s.sweepInterval())
	return s
}

// Listen binds addr ("host:port"; an empty host is every interface, port 0
// a free port, see Addrs) and starts serving (Tornado's HTTPServer.listen).
// It returns the error of resolving or binding. Loop-only.
func (s *Server) Listen(addr string) error { return s.tcp.Listen(addr) }

// AddSockets serves on listening sockets from iostream.BindSockets (or
// BindUnixSocket), which the server owns from then on (Tornado's
// add_sockets). Loop-only.
func (s *Server) AddSockets(fds []int) error { return s.tcp.AddSockets(fds) }

// Addrs returns the addresses the server listens on. Loop-only.
func (s *Server) Addrs() []net.Addr { return s.tcp.Addrs() }

// Connections returns the number of open connections. Loop-only.
func (s *Server) Connections() int { return len(s.conns) }

func (s *Server) handleStream(st *iostream.IOStream) {
	if s.shuttingDown {
		st.Close()
		return
	}
	if len(s.conns) == 0 {
		s.refreshClock()
		s.sweeper.Start()
	}
	c := newConn(s, st, int32(len(s.conns)))
	s.conns = append(s.conns, c)
}

// removeConn drops a closed connection from conns: the last connection
// takes its place, so the set costs one pointer per connection and no
// map. A connection Close already dropped is left alone.
func (s *Server) removeConn(c *conn) {
	i, last := int(c.idx), len(s.conns)-1
	if i < 0 || i > last || s.conns[i] != c {
		return
	}
	s.conns[i] = s.conns[last]
	s.conns[i].idx = int32(i)
	s.conns[last] = nil
	s.conns = s.conns[:last]
	c.idx = -1
	if n := cap(s.conns); n > 1024 && len(s.conns) < n/4 {
		s.conns = append(make([]*conn, 0, n/2), s.conns...) // after a burst
	}
	if len(s.conns) == 0 {
		s.sweeper.Stop()
		if s.shuttingDown {
			s.finishShutdown(nil)
		}
	}
}

// sweepInterval is a quarter of the shortest timeout, within [5ms, 1s]:
// how late a timeout may fire, and how stale the Date header may be.
func (s *Server) sweepInterval() time.Duration {
	d := time.Second * 4
	for _, t := range []time.Duration{s.cfg.HeaderTimeout, s.cfg.BodyTimeout, s.cfg.IdleTimeout, s.cfg.StallTimeout} {
		if t > 0 {
			d = min(d, t)
		}
	}
	d /= 4
	return max(5*time.Millisecond, min(d, time.Second))
}

// after is the deadline d from now, in unix nanoseconds: 0 (none) for a
// negative d, the Config rule for "no timeout".
func (s *Server) after(d time.Duration) int64 {
	if d < 0 {
		return 0
	}
	return s.now + int64(d)
}

func (s *Server) refreshClock() {
	now := s.loop.Time()
	s.now = now.UnixNano()
	if sec := now.Unix(); sec != s.dateSec || s.dateLine == nil {
		s.dateSec = sec
		s.dateLine = append(s.dateLine[:0], "Date: "...)
		s.dateLine = httputil.AppendDate(s.dateLine, now)
		s.dateLine = append(s.dateLine, "\r\n"...)
	}
}

// date returns the "Date: ...\r\n" line, formatted once per second.
func (s *Server) date() []byte { return s.dateLine }

// sweep closes connections past their deadline (idle, slow head, slow
// body) or whose output stalled, and refreshes the clock and the Date
// line.
func (s *Server) sweep() {
	s.refreshClock()
	// A close takes effect in the stream's close callback, on a later
	// iteration: conns does not change under the loop.
	for _, c := range s.conns {
		if c.expired(s.now) || c.stalled(s.now) {
			c.close()
		}
	}
}

// Shutdown stops the server gracefully: it stops accepting, closes idle
// connections, lets requests in flight finish (their connections close
// after the response), and when ctx ends closes whatever is left. The
// future completes when every connection is closed, with ctx's error if
// it had to cut connections. Loop-only.
func (s *Server) Shutdown(ctx context.Context) *future.Future[struct{}] {
	if s.shutdownF != nil {
		return s.shutdownF
	}
	s.shuttingDown = true
	s.shutdownF = future.New[struct{}](s.loop)
	s.shutdownDone = make(chan struct{})
	s.tcp.Stop()
	for _, c := range s.conns {
		if c.state == stHead && !c.headStarted && c.s.Buffered() == 0 {
			c.s.OnFlush(c.close) // after the last response has gone
		}
	}
	if len(s.conns) == 0 {
		s.finishShutdown(nil)
		return s.shutdownF
	}
	done := s.shutdownDone
	go func() {
		select {
		case <-ctx.Done():
			s.loop.AddCallback(func() {
				for _, c := range s.conns {
					c.close()
				}
				s.finishShutdown(ctx.Err())
			})
		case <-done:
		}
	}()
	return s.shutdownF
}

func (s *Server) finishShutdown(err error) {
	if s.shutdownF == nil || s.shutdownF.Done() {
		return
	}
	close(s.shutdownDone)
	if err != nil {
		s.shutdownF.SetError(err)
	} else {
		s.shutdownF.SetResult(struct{}{})
	}
}

// Close stops listening and closes every connection at once; a pending
// Shutdown completes. Loop-only.
func (s *Server) Close() {
	s.tcp.Stop()
	for _, c := range s.conns {
		c.close()
		c.idx = -1
	}
	clear(s.conns)
	s.conns = s.conns[:0]
	s.sweeper.Stop()
	s.finishShutdown(nil)
}

// Run runs the server's loop until ctx ends, then shuts the server down
// gracefully (requests in flight get up to DefaultShutdownTimeout to
// finish) and stops the loop; it returns nil, Start's error, or
// context.DeadlineExceeded if connections had to be cut. It is the whole main of a program on one
// loop of its own, with its PeriodicCallbacks and other work set up on
// the loop first:
//
//	srv := httpserver.New(loop, h, httpserver.Config{})
//	if err := srv.Listen(addr); err != nil { ... }
//	ioloop.NewPeriodicCallback(loop, prune, time.Minute).Start()
//	err := srv.Run(ctx) // until SIGINT, with signal.NotifyContext
//
// Call it from the goroutine that would call loop.Start; it does not close
// the loop.
func (s *Server) Run(ctx context.Context) error {
	var err error
	stop := context.AfterFunc(ctx, func() {
		s.loop.AddCallback(func() {
			grace, cancel := context.WithTimeout(context.Background(), DefaultShutdownTimeout)
			s.Shutdown(grace).AddDoneCallback(func(f *future.Future[struct{}]) {
				cancel()
				err = f.Err()
				s.loop.Stop()
			})
		})
	})
	defer stop()
	if serr := s.loop.Start(); serr != nil {
		return serr
	}
	return err
}
