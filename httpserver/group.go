package httpserver

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// DefaultShutdownTimeout is how long Group.Run (with a zero
// ShutdownTimeout) and Server.Run let requests in flight finish after
// their context ends.
const DefaultShutdownTimeout = 10 * time.Second

// Group is several loops, each with its own Server and its own listening
// socket on one shared port (SO_REUSEPORT: the kernel spreads connections
// across them), so a program uses every core: Tornado's
// bind_sockets(reuse_port=True) plus fork_processes, in one process. Each
// loop gets its own Handler from the factory, so handlers keep the
// one-goroutine rule: state shared between loops needs its own locking.
type Group struct {
	// Loops are the group's loops, one per server, made by NewGroup with
	// Config.Logger. Before Run, set up other work on them (from any
	// goroutine, with AddCallback); Run closes them.
	Loops []*ioloop.IOLoop
	// Servers are the servers, Servers[i] on Loops[i].
	Servers []*Server
	addr    net.Addr
	// ShutdownTimeout bounds the graceful shutdown in Run; zero means
	// DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
}

// NewGroup binds addr ("host:port"; port 0 picks one for all) with n
// loops (n < 1 means 1) and builds a server on each; nothing runs until
// Run.
func NewGroup(addr string, n int, newHandler func(loop *ioloop.IOLoop) Handler, cfg Config) (*Group, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, &net.AddrError{Err: "invalid port", Addr: addr}
	}
	g := &Group{}
	for i := range max(n, 1) {
		fds, err := iostream.BindSockets(net.JoinHostPort(host, strconv.Itoa(port)), iostream.BindConfig{ReusePort: true})
		var loop *ioloop.IOLoop
		if err == nil {
			loop, err = ioloop.New(ioloop.Config{Logger: cfg.Logger, CloseHandlerFDs: true})
		}
		if err != nil {
			closeFDs(fds)
			g.close()
			return nil, err
		}
		srv := New(loop, newHandler(loop), cfg)
		if err := srv.AddSockets(fds); err != nil {
			loop.Close()
			g.close()
			return nil, err
		}
		if i == 0 {
			if a, ok := srv.Addrs()[0].(*net.TCPAddr); ok {
				port = a.Port // the others share the port the kernel picked
			}
		}
		g.Loops = append(g.Loops, loop)
		g.Servers = append(g.Servers, srv)
	}
	g.addr = g.Servers[0].Addrs()[0]
	return g, nil
}

// Addr returns the address the group serves (one of them, if the host
// resolved to several).
func (g *Group) Addr() net.Addr { return g.addr }

// Run runs every loop, each on its own goroutine, until ctx ends; then it
// shuts the servers down gracefully (within ShutdownTimeout), stops and
// closes the loops, and returns nil, or the errors of the shutdowns that
// had to cut connections (context.DeadlineExceeded), joined. Call it once,
// from any goroutine.
func (g *Group) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, l := range g.Loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Start()
		}()
	}
	<-ctx.Done()
	timeout := g.ShutdownTimeout
	if timeout <= 0 {
		timeout = DefaultShutdownTimeout
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errs := make([]error, len(g.Loops))
	for i, l := range g.Loops {
		srv := g.Servers[i]
		l.AddCallback(func() {
			srv.Shutdown(sctx).AddDoneCallback(func(f *future.Future[struct{}]) {
				errs[i] = f.Err()
				l.Stop()
			})
		})
	}
	wg.Wait()
	g.close()
	return errors.Join(errs...)
}

// ListenAndServe is NewGroup and Run in one call: the one-line way to
// serve on n loops until ctx ends, each loop with the Handler newHandler
// makes for it:
//
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
//	defer stop()
//	err := httpserver.ListenAndServe(ctx, ":8888", runtime.NumCPU(),
//		func(*ioloop.IOLoop) httpserver.Handler { return hello }, httpserver.Config{})
func ListenAndServe(ctx context.Context, addr string, n int, newHandler func(loop *ioloop.IOLoop) Handler, cfg Config) error {
	g, err := NewGroup(addr, n, newHandler, cfg)
	if err != nil {
		return err
	}
	return g.Run(ctx)
}

func (g *Group) close() {
	for _, l := range g.Loops {
		l.Close()
	}
}

func closeFDs(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}
