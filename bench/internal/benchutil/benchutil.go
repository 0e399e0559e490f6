// Package benchutil holds what every benchmark server and client shares:
// the response they all send, a raised file-descriptor limit, a context
// that ends on SIGINT or SIGTERM, a garbage collection on SIGUSR2, and
// net/http serving until that context ends.
package benchutil

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

// Body is what every server answers GET / with (Content-Type text/plain).
const Body = "Hello, world!"

// RaiseNofile lifts RLIMIT_NOFILE to the hard limit (and the hard limit to
// want, if the process may), so 10,000 connections fit.
func RaiseNofile(want uint64) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return
	}
	if rl.Max < want {
		try := syscall.Rlimit{Cur: want, Max: want}
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &try) == nil {
			return
		}
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
		}
	}
}

// SignalContext returns a context that ends on SIGINT or SIGTERM.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Ready announces that the server listens; the scripts wait for the port.
func Ready(name, addr string) {
	fmt.Printf("%s serving on http://%s/\n", name, addr)
}

// FreeMemoryOnSignal runs a garbage collection and returns what it frees
// to the OS (debug.FreeOSMemory) on every SIGUSR2, so a script that reads
// a server's RSS can give every Go server the same chance to shed its
// garbage first.
func FreeMemoryOnSignal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR2)
	go func() {
		for range c {
			debug.FreeOSMemory()
		}
	}()
}

// ServeNetHTTP serves h with net/http on addr until ctx ends, announcing
// it as name (Ready), then shuts down, waiting up to 10 s for requests in
// progress (hijacked connections, a WebSocket's, are not waited for). It
// returns the error of ListenAndServe or Shutdown.
func ServeNetHTTP(ctx context.Context, name, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	Ready(name, addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
