package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/webtest"
)

// run serves until its context ends, after printing the URL it serves.
func TestRunServesUntilCancelled(t *testing.T) {
	p := webtest.RunMain(t, func(ctx context.Context, out io.Writer) error {
		return run(ctx, out, "127.0.0.1:0")
	})
	url := p.URL + "/"
	require.NotEmpty(t, url, "printed %q", p.Line)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	resp, err := client.Get(url + "get?x=1")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	assert.Equal(t, map[string]any{"x": []any{"1"}}, m["args"])

	require.NoError(t, p.Stop())
	_, err = client.Get(url + "get")
	assert.Error(t, err, "the listener is closed")
}

// run fails on an address it cannot listen on.
func TestRunBadAddress(t *testing.T) {
	err := run(context.Background(), io.Discard, "256.0.0.1:99999")
	assert.Error(t, err)
}

// The built program prints its URL and exits 0 on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) { webtest.CheckStopsOnSignals(t) }
