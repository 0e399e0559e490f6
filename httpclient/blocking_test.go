package httpclient_test

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
)

func TestBlocking(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	b, err := httpclient.NewBlocking(httpclient.Config{MaxClients: 4})
	require.NoError(t, err)

	resp, err := b.FetchURL(ts.base + "/hello")
	require.NoError(t, err)
	assert.Equal(t, "Hello, world!", string(resp.Body))

	// Many goroutines at once, sharing one client; the callbacks run on
	// its loop, one at a time, so a plain map needs no lock.
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := b.Fetch(&httpclient.Request{
				URL:            ts.base + "/echo?i=" + strconv.Itoa(i),
				HeaderCallback: func(line string) { seen[line]++ },
			})
			if err == nil && decodeEchoErr(resp) != "/echo?i="+strconv.Itoa(i) {
				err = assert.AnError
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	require.NoError(t, b.Close())
	assert.Equal(t, 20, seen["HTTP/1.1 200 OK\r\n"])

	_, err = b.FetchURL(ts.base + "/hello")
	assert.ErrorIs(t, err, httpclient.ErrClosed)
	assert.NoError(t, b.Close(), "closing twice does nothing")
}

func TestBlockingCloseFailsFetchesInFlight(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	b, err := httpclient.NewBlocking(httpclient.Config{})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := b.FetchURL(ts.base + "/hang")
		done <- err
	}()
	for ts.heldCount() == 0 && !serverHasConn(ts) {
	}
	require.NoError(t, b.Close())
	assert.ErrorIs(t, <-done, httpclient.ErrClosed)
}

func serverHasConn(ts *testServer) bool {
	n := 0
	ts.onLoop(func() { n = ts.srv.Connections() })
	return n > 0
}

func decodeEchoErr(r *httpclient.Response) string {
	var e echoed
	if err := json.Unmarshal(r.Body, &e); err != nil {
		return ""
	}
	return e.Target
}
