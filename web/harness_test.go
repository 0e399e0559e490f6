package web_test

import (
	"testing"
	"time"

	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/webtest"
)

// serveApp builds an application and serves it on loopback until the end
// of the test (webtest.Serve), on a loop made with cfg (a fake clock,
// say). Its logs go to the loop's recorder.
func serveApp(t *testing.T, routes []web.Route, s web.Config, cfg ...ioloop.Config) *webtest.Server {
	t.Helper()
	return webtest.Serve(t, routes, s, cfg...)
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
