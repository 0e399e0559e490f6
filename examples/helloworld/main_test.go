package main

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/webtest"
)

func TestHelloWorldServesOnTwoLoops(t *testing.T) {
	p := webtest.RunMain(t, func(ctx context.Context, out io.Writer) error {
		return run(ctx, out, "127.0.0.1:0", 2)
	})
	url := p.URL + "/"
	assert.Contains(t, p.Line, "2 loop(s)")
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 20 { // new connections, spread by the kernel over both loops
		resp, err := client.Get(url)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "Hello, world!", string(body))
	}
	require.NoError(t, p.Stop())
}

// The built program prints its URL and exits 0 on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) { webtest.CheckStopsOnSignals(t) }
