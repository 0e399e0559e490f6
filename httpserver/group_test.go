package httpserver_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// Two loops share one port; each counts its requests in a plain int (one
// handler per loop, so no lock), and the kernel spreads connections.
func TestGroupSharesPortAcrossLoops(t *testing.T) {
	counts := map[*ioloop.IOLoop]*int{}
	g, err := httpserver.NewGroup("127.0.0.1:0", 2, func(l *ioloop.IOLoop) httpserver.Handler {
		n := new(int)
		counts[l] = n
		return httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
			*n++
			fmt.Fprintf(w, "%p", l)
			w.Finish()
		})
	}, httpserver.Config{})
	require.NoError(t, err)
	require.Len(t, g.Loops, 2)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	seen := map[string]int{}
	for range 200 {
		resp, err := client.Get("http://" + g.Addr().String() + "/")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		seen[string(body)]++
	}
	cancel()
	require.NoError(t, <-done)
	total := 0
	for _, n := range counts {
		total += *n
	}
	assert.Equal(t, 200, total)
	// SO_REUSEPORT hashes connections over both sockets; with 200 new
	// connections, both loops getting none is vanishingly unlikely.
	assert.Len(t, seen, 2, "both loops served requests")
}
