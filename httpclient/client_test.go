package httpclient_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/looptest"
)

func decodeEcho(t *testing.T, r *httpclient.Response) echoed {
	t.Helper()
	var e echoed
	require.NoError(t, json.Unmarshal(r.Body, &e), "body: %q", r.Body)
	return e
}

func TestGet(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, ts.base+"/hello")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Code)
	assert.Equal(t, "OK", resp.Reason)
	assert.Equal(t, "Hello, world!", string(resp.Body))
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Equal(t, ts.base+"/hello", resp.EffectiveURL)
	assert.Equal(t, ts.base+"/hello", resp.Request.URL)
	assert.Nil(t, resp.Error)
	assert.True(t, resp.OK())
	assert.Positive(t, resp.RequestTime)
	assert.Equal(t, resp.RequestTime, resp.Timing.Total)
	assert.False(t, resp.Timing.Reused)

	body := make([]byte, 5)
	n, _ := resp.BodyReader().Read(body)
	assert.Equal(t, "Hello", string(body[:n]))
}

func TestRequestHeadAndEcho(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	req := &httpclient.Request{URL: ts.base + "/echo?a=1&b=two", UserAgent: "spider/1"}
	req.Header.Set("X-Test", "yes")
	resp, err := fetch(t, loop, c, req)
	require.NoError(t, err)
	e := decodeEcho(t, resp)
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, "/echo?a=1&b=two", e.Target)
	assert.Equal(t, "yes", e.Header["X-Test"])
	assert.Equal(t, "spider/1", e.Header["User-Agent"])
	assert.Equal(t, ts.addr, e.Header["Host"])
	assert.Equal(t, "gzip", e.Header["Accept-Encoding"])

	resp, err = fetch(t, loop, c, ts.base+"/echo")
	require.NoError(t, err)
	assert.Equal(t, httpclient.DefaultUserAgent, decodeEcho(t, resp).Header["User-Agent"])
}

func TestMethodsAndBodies(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	for _, m := range []string{"POST", "PUT", "PATCH"} {
		resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: m, Body: []byte("body of " + m)})
		require.NoError(t, err, m)
		e := decodeEcho(t, resp)
		assert.Equal(t, m, e.Method)
		assert.Equal(t, "body of "+m, e.Body)
	}
	// An empty POST sends Content-Length: 0.
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: "POST"})
	require.NoError(t, err)
	assert.Equal(t, "0", decodeEcho(t, resp).Header["Content-Length"])
	// A large body goes out in more than one write.
	big := strings.Repeat("0123456789", 10_000)
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: "POST", Body: []byte(big)})
	require.NoError(t, err)
	assert.Equal(t, big, decodeEcho(t, resp).Body)
	// DELETE and OPTIONS without body, HEAD without a response body.
	for _, m := range []string{"DELETE", "OPTIONS"} {
		resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: m})
		require.NoError(t, err)
		assert.Equal(t, m, decodeEcho(t, resp).Method)
	}
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/hello", Method: "HEAD"})
	require.NoError(t, err)
	assert.Empty(t, resp.Body)
	assert.Equal(t, "13", resp.Header.Get("Content-Length"))
	// The HEAD's connection served on: the next fetch reuses it.
	resp, err = fetch(t, loop, c, ts.base+"/hello")
	require.NoError(t, err)
	assert.True(t, resp.Timing.Reused)
}

func TestInvalidRequests(t *testing.T) {
	loop, c := newClient(t, httpclient.Config{})
	for name, req := range map[string]any{
		"scheme":         "ftp://127.0.0.1/",
		"no host":        "http:///path",
		"bad url":        "http://[::1",
		"body with GET":  &httpclient.Request{URL: "http://127.0.0.1/", Body: []byte("x")},
		"unknown method": &httpclient.Request{URL: "http://127.0.0.1/", Method: "BREW"},
		"bad header":     &httpclient.Request{URL: "http://127.0.0.1/", Header: headers("X-Bad", "a\r\nb")},
		"nil":            (*httpclient.Request)(nil),
	} {
		_, err := fetch(t, loop, c, req)
		assert.ErrorIs(t, err, httpclient.ErrInvalidRequest, name)
		var he *httpclient.HTTPError
		assert.False(t, errors.As(err, &he), "%s: no 599 for a request never sent", name)
	}
}

func headers(kv ...string) httputil.Headers {
	var h httputil.Headers
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestNonstandardMethod(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: "PROPFIND", AllowNonstandardMethods: true})
	require.NoError(t, err)
	assert.Equal(t, "PROPFIND", decodeEcho(t, resp).Method)
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Body: []byte("get body"), AllowNonstandardMethods: true})
	require.NoError(t, err)
	assert.Equal(t, "get body", decodeEcho(t, resp).Body)
}

func TestHTTPErrors(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	_, err := fetch(t, loop, c, ts.base+"/status/404")
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 404, he.Code)
	require.NotNil(t, he.Response)
	assert.Equal(t, "status 404", string(he.Response.Body))
	assert.Equal(t, "Not Found", he.Response.Reason)
	assert.Contains(t, err.Error(), "HTTP 404")

	// NoRaise: the fetch succeeds, the response carries the error.
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/status/500", NoRaise: true})
	require.NoError(t, err)
	assert.Equal(t, 500, resp.Code)
	require.ErrorAs(t, resp.Error, &he)
	assert.Equal(t, 500, he.Code)

	// 204 and 304 carry no body, and the connection serves on.
	for _, code := range []int{204, 304} {
		resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/status/" + strconv.Itoa(code), NoRaise: true})
		require.NoError(t, err)
		assert.Equal(t, code, resp.Code)
		assert.Empty(t, resp.Body)
	}
	resp, err = fetch(t, loop, c, ts.base+"/hello")
	require.NoError(t, err)
	assert.True(t, resp.Timing.Reused)
}

func TestBasicAuth(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	_, err := fetch(t, loop, c, ts.base+"/auth")
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 401, he.Code)

	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/auth", AuthUsername: "user", AuthPassword: "pass"})
	require.NoError(t, err)
	assert.Equal(t, "welcome", string(resp.Body))

	// Credentials in the URL.
	resp, err = fetch(t, loop, c, strings.Replace(ts.base, "http://", "http://user:pass@", 1)+"/auth")
	require.NoError(t, err)
	assert.Equal(t, "welcome", string(resp.Body))
}

func TestHeaderCallback(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	var lines []string
	resp, err := fetch(t, loop, c, &httpclient.Request{
		URL:            ts.base + "/redirect/1", // the redirect's head is not reported
		HeaderCallback: func(line string) { lines = append(lines, line) },
	})
	require.NoError(t, err)
	require.NotEmpty(t, lines)
	assert.Equal(t, "HTTP/1.1 200 OK\r\n", lines[0])
	assert.Equal(t, "\r\n", lines[len(lines)-1])
	assert.Contains(t, lines, "Content-Type: application/json\r\n")
	assert.Equal(t, len(lines)-2, resp.Header.Len())
}

func TestCancelFuture(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		f := c.FetchURL(ts.base + "/hang")
		for !waitServerConns(co, ts, 1) {
		}
		assert.True(t, f.Cancel())
		_, err := gen.Await(co, f)
		assert.ErrorIs(t, err, future.ErrCancelled)
		// The client notices in the future's done callback.
		assert.NoError(t, gen.Moment(co))
		assert.Equal(t, 0, c.Active())
		// The connection is closed: the server sees it go.
		for !waitServerConns(co, ts, 0) {
		}
		return nil
	})
}

// waitServerConns reports, after a short pause, whether the server has n
// open connections.
func waitServerConns(co *gen.Co, ts *testServer, n int) bool {
	gen.Sleep(co, 5e6)
	got := -1
	ts.onLoop(func() { got = ts.srv.Connections() })
	return got == n
}
