package nethttp_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
	"github.com/gornado/gornado/webtest"
)

// serveApp serves an application on loopback until the end of the test
// (webtest.Serve), on a loop made with cfg.
func serveApp(t *testing.T, routes []web.Route, s web.Config, cfg ...ioloop.Config) *webtest.Server {
	t.Helper()
	return webtest.Serve(t, routes, s, cfg...)
}

// mount returns the route factory of a container for h, closed at the end
// of the test. Its panics log to the loop's log of s, once set.
func mount(t *testing.T, h http.Handler, cfg nethttp.Config) (*nethttp.Container, func() web.Handler) {
	c := nethttp.NewContainer(h, cfg)
	t.Cleanup(func() { assert.NoError(t, c.Close()) })
	return c, c.Handler()
}

// waitFor fails the test if ch is not closed in a long while: a guard
// against a hang, not a timing assertion.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// waitUntil polls cond until it holds, failing the test after a long
// while: a guard against a hang, not a timing assertion.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type helloHandler struct{ web.RequestHandler }

func (h *helloHandler) Get(co *gen.Co) error { return h.Write("Hello, world") }
