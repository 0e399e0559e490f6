package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/webtest"

	"github.com/gornado/gornado/web"
)

// hangGuard bounds every wait, so a bug fails the test instead of hanging
// it; it is never a timing assertion.
const hangGuard = 20 * time.Second

// lineWriter hands each Write to the test goroutine.
type lineWriter struct{ ch chan string }

func (w *lineWriter) Write(p []byte) (int, error) { w.ch <- string(p); return len(p), nil }

// run prints the URL, serves the chat, and returns nil once its context
// ends.
func TestRunStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lineWriter{ch: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, out, "127.0.0.1:0", web.Config{NoAccessLog: true}) }()
	var base string
	select {
	case line := <-out.ch:
		m := regexp.MustCompile(`^Chat on (http://127\.0\.0\.1:[0-9]+)/\n$`).FindStringSubmatch(line)
		require.NotNil(t, m, "%q", line)
		base = m[1]
	case err := <-done:
		t.Fatal(err)
	case <-time.After(hangGuard):
		t.Fatal("run printed no URL (hang guard)")
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: hangGuard}).Get(base + "/")
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(page), `name="_xsrf"`)
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(hangGuard):
		t.Fatal("run did not return after its context ended (hang guard)")
	}
}

// A long poll waiting when the server stops is answered (503) rather than
// held until the shutdown timeout cuts it, so serve returns nil.
func TestShutdownAnswersWaitingPolls(t *testing.T) {
	c, err := listen("127.0.0.1:0", web.Config{NoAccessLog: true})
	require.NoError(t, err)
	base := "http://" + c.srv.Addrs()[0].String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.serve(ctx) }()

	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Jar: jar, Transport: tr, Timeout: hangGuard}
	resp, err := hc.Get(base + "/")
	require.NoError(t, err)
	resp.Body.Close()
	u, _ := url.Parse(base)
	var token string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "_xsrf" {
			token = ck.Value
		}
	}
	require.NotEmpty(t, token)

	polled := make(chan int, 1)
	go func() {
		resp, err := hc.PostForm(base+"/a/message/updates", url.Values{"_xsrf": {token}})
		if err != nil {
			polled <- -1
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		polled <- resp.StatusCode
	}()
	// Wait until the poll waits in the (empty) room.
	deadline := time.Now().Add(hangGuard)
	for waiters(t, c) != 1 {
		require.False(t, time.Now().After(deadline), "the poll never waited (hang guard)")
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err, "the shutdown was not cut short")
	case <-time.After(hangGuard):
		t.Fatal("serve did not return after its context ended (hang guard)")
	}
	assert.Equal(t, http.StatusServiceUnavailable, <-polled)
}

// waiters reads the room's waiter count on its loop.
func waiters(t *testing.T, c *chatServer) int {
	ch := make(chan int, 1)
	c.loop.AddCallback(func() { ch <- c.room.Waiters() })
	select {
	case n := <-ch:
		return n
	case <-time.After(hangGuard):
		t.Fatal("the loop ran no callback (hang guard)")
		return -1
	}
}

// The built program prints its URL and exits 0 on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) { webtest.CheckStopsOnSignals(t) }
