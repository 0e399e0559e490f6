package httpserver_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// A handler that answers after the client hung up gets ErrConnectionClosed
// from Finish (and Flush), not a crash, and the close callback ran first.
func TestFinishAfterClientClosed(t *testing.T) {
	type outcome struct {
		closeCalled      bool
		flushErr, finErr error
	}
	got := make(chan outcome, 1)
	var loop *ioloop.IOLoop
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		var o outcome
		w.SetCloseCallback(func() {
			o.closeCalled = true
			loop.AddCallback(func() { // answer late, after the close
				w.WriteString("too late")
				_, o.flushErr = w.Flush().Result()
				o.finErr = w.Finish()
				got <- o
			})
		})
	})
	addr := serve(t, h, httpserver.Config{}, func(l *ioloop.IOLoop, _ *httpserver.Server) { loop = l })
	c := dial(t, addr)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	buf := make([]byte, 1)
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond)) // let the request arrive; no response is due
	_, _ = c.Read(buf)
	require.NoError(t, c.Close())
	o := <-got
	assert.True(t, o.closeCalled)
	assert.ErrorIs(t, o.flushErr, httpserver.ErrConnectionClosed)
	assert.ErrorIs(t, o.finErr, httpserver.ErrConnectionClosed)
}

// closeOrder is a MessageDelegate that never answers and records the
// order in which it hears of the close.
type closeOrder struct{ heard chan string }

func (d *closeOrder) StartRequest(w *httpserver.Response, _ *httpserver.Request) httpserver.MessageDelegate {
	w.SetCloseCallback(func() { d.heard <- "close callback" })
	return d
}
func (d *closeOrder) HeadersReceived(*httpserver.Response, *httpserver.Request) error { return nil }
func (d *closeOrder) DataReceived([]byte) error                                       { return nil }
func (d *closeOrder) Finish()                                                         {}
func (d *closeOrder) OnConnectionClose()                                              { d.heard <- "delegate" }

// A response's close callback runs under any delegate, after the
// delegate's OnConnectionClose, once.
func TestCloseCallbackWithOwnDelegate(t *testing.T) {
	d := &closeOrder{heard: make(chan string, 4)}
	addr := serve(t, d, httpserver.Config{})
	c := dial(t, addr)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond)) // let the request arrive; no response is due
	_, _ = c.Read(make([]byte, 1))
	require.NoError(t, c.Close())
	assert.Equal(t, "delegate", <-d.heard)
	assert.Equal(t, "close callback", <-d.heard)
	assert.Len(t, d.heard, 0)
}
