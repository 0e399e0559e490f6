package httpclient_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/iostream"
	"github.com/gornado/gornado/looptest"
)

func TestUnixSocket(t *testing.T) {
	// A server on a Unix socket, its client through Request.UnixSocket:
	// the server sees the URL's path and host, and Tornado's 0.0.0.0.
	sock := filepath.Join(t.TempDir(), "s.sock")
	sl := looptest.New(t)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.WriteString(r.Host + " " + r.Path + " " + r.RemoteIP)
		w.Finish()
	})
	srv := httpserver.New(sl, h, httpserver.Config{})
	fd, err := iostream.BindUnixSocket(sock, 0o600, 0)
	require.NoError(t, err)
	require.NoError(t, srv.AddSockets([]int{fd}))
	looptest.Start(t, sl, srv.Close)

	loop, c := newClient(t, httpclient.Config{})
	for i := range 2 {
		resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://docker/v1/info", UnixSocket: sock})
		require.NoError(t, err)
		assert.Equal(t, "docker /v1/info 0.0.0.0", string(resp.Body))
		assert.Equal(t, i > 0, resp.Timing.Reused, "pooled per socket")
	}
	_, err = fetch(t, loop, c, &httpclient.Request{URL: "https://docker/", UnixSocket: sock})
	assert.ErrorIs(t, err, httpclient.ErrInvalidRequest)
}
