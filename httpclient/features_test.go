package httpclient_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
)

func TestRedirects(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})

	resp, err := fetch(t, loop, c, ts.base+"/redirect/3")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Code)
	assert.Equal(t, ts.base+"/echo", resp.EffectiveURL)
	assert.Equal(t, ts.base+"/redirect/3", resp.Request.URL)
	assert.Equal(t, 3, resp.Timing.Redirects)

	// Past MaxRedirects, the last 3xx is the answer.
	_, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/redirect/3", MaxRedirects: 2})
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 302, he.Code)
	assert.ErrorIs(t, err, httpclient.ErrTooManyRedirects)
	assert.Equal(t, ts.base+"/redirect/1", he.Response.EffectiveURL)

	// NoFollowRedirects returns the 3xx, Location and all.
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/redirect/1", NoFollowRedirects: true, NoRaise: true})
	require.NoError(t, err)
	assert.Equal(t, 302, resp.Code)
	assert.Equal(t, "/echo", resp.Header.Get("Location"))
	assert.NotErrorIs(t, resp.Error, httpclient.ErrTooManyRedirects)
}

func TestRedirectMethods(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	to := url.QueryEscape("/echo")
	for _, tc := range []struct {
		status, method, wantMethod, wantBody string
	}{
		{"301", "POST", "GET", ""},
		{"302", "POST", "GET", ""},
		{"303", "POST", "GET", ""},
		{"303", "PUT", "GET", ""},
		{"302", "PUT", "PUT", "payload"}, // only POST changes on 301/302
		{"307", "POST", "POST", "payload"},
		{"308", "POST", "POST", "payload"},
	} {
		req := &httpclient.Request{URL: ts.base + "/redirect-to?status=" + tc.status + "&url=" + to,
			Method: tc.method, Body: []byte("payload")}
		req.Header.Set("Content-Type", "text/plain")
		resp, err := fetch(t, loop, c, req)
		require.NoError(t, err, tc)
		e := decodeEcho(t, resp)
		assert.Equal(t, tc.wantMethod, e.Method, "%v", tc)
		assert.Equal(t, tc.wantBody, e.Body, "%v", tc)
		if tc.wantMethod == "GET" {
			assert.Empty(t, e.Header["Content-Type"], "%v: body headers dropped", tc)
		}
	}
}

func TestRedirectAcrossHostsDropsCredentials(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	ts2 := serve(t, httpserver.Config{}) // the same host on another port
	loop, c := newClient(t, httpclient.Config{})
	other := strings.Replace(ts.base, "127.0.0.1", "localhost", 1)
	for _, tc := range []struct {
		name, target string
		keep         bool
	}{
		{"same host", ts.base + "/echo", true},
		{"another port", ts2.base + "/echo", true},
		{"scheme in capitals", strings.Replace(ts2.base, "http://", "HTTP://", 1) + "/echo", true},
		{"another host", other + "/echo", false},
		{"another host, then back", other + "/redirect-to?url=" + url.QueryEscape(ts.base+"/echo"), false},
	} {
		req := &httpclient.Request{URL: ts.base + "/redirect-to?url=" + url.QueryEscape(tc.target),
			AuthUsername: "user", AuthPassword: "pass"}
		req.Header.Set("Cookie", "session=1")
		resp, err := fetch(t, loop, c, req)
		require.NoError(t, err, tc.name)
		e := decodeEcho(t, resp)
		if tc.keep {
			assert.NotEmpty(t, e.Header["Authorization"], tc.name)
			assert.Equal(t, "session=1", e.Header["Cookie"], tc.name)
		} else {
			assert.Empty(t, e.Header["Authorization"], tc.name)
			assert.Empty(t, e.Header["Cookie"], tc.name)
		}
	}
}

func TestRedirectKeepsTheFragment(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	// Inherited through every hop, never sent.
	resp, err := fetch(t, loop, c, ts.base+"/redirect/2#section-2")
	require.NoError(t, err)
	assert.Equal(t, ts.base+"/echo#section-2", resp.EffectiveURL)
	assert.Equal(t, "/echo", decodeEcho(t, resp).Target)
	// A Location with its own fragment keeps it.
	resp, err = fetch(t, loop, c, ts.base+"/redirect-to?url="+url.QueryEscape("/echo#own")+"#mine")
	require.NoError(t, err)
	assert.Equal(t, ts.base+"/echo#own", resp.EffectiveURL)
	// No fragment anywhere, none added.
	resp, err = fetch(t, loop, c, ts.base+"/redirect/1")
	require.NoError(t, err)
	assert.Equal(t, ts.base+"/echo", resp.EffectiveURL)
}

func TestGzip(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	want := strings.Repeat("gzip me, gornado! ", 200)

	resp, err := fetch(t, loop, c, ts.base+"/gzip")
	require.NoError(t, err)
	assert.Equal(t, want, string(resp.Body))
	assert.Equal(t, "gzip", resp.Header.Get("X-Consumed-Content-Encoding"))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.False(t, resp.Header.Has("Content-Length"), "the compressed length is gone with the compression")

	// NoDecompress: not asked for; forced, it comes raw.
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/gzip", NoDecompress: true})
	require.NoError(t, err)
	assert.Equal(t, want, string(resp.Body))
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/gzip?force=1", NoDecompress: true})
	require.NoError(t, err)
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, strconv.Itoa(len(resp.Body)), resp.Header.Get("Content-Length"), "raw, the length stays")
	zr, err := gzip.NewReader(bytes.NewReader(resp.Body))
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, want, string(raw))

	// Streaming does not ask for gzip, but inflates what comes gzipped.
	var got bytes.Buffer
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/gzip?force=1",
		StreamingCallback: func(p []byte) { got.Write(p) }})
	require.NoError(t, err)
	assert.Empty(t, resp.Body)
	assert.Equal(t, want, got.String())
}

func TestChunkedAndStreaming(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, ts.base+"/chunked?n=5")
	require.NoError(t, err)
	assert.Equal(t, "chunked", resp.Header.Get("Transfer-Encoding"))
	assert.Equal(t, "chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n", string(resp.Body))

	var chunks []string
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/chunked?n=4",
		StreamingCallback: func(p []byte) { chunks = append(chunks, string(p)) }})
	require.NoError(t, err)
	assert.Empty(t, resp.Body, "a streamed body is not buffered")
	assert.Equal(t, "chunk 0\nchunk 1\nchunk 2\nchunk 3\n", strings.Join(chunks, ""))
	assert.GreaterOrEqual(t, len(chunks), 2, "delivered as it arrived, not at the end")

	// A large Content-Length body streams in pieces too.
	n := 0
	calls := 0
	_, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/big?n=3000000",
		StreamingCallback: func(p []byte) { n += len(p); calls++ }})
	require.NoError(t, err)
	assert.Equal(t, 3000000, n)
	assert.Greater(t, calls, 1)
}

func TestBodyProducer(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	producer := func(write func([]byte) *future.Future[struct{}]) *future.Future[struct{}] {
		return gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for i := range 5 {
				if _, err := gen.Await(co, write([]byte(strings.Repeat(string(rune('a'+i)), 1000)))); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})
	}
	want := ""
	for i := range 5 {
		want += strings.Repeat(string(rune('a'+i)), 1000)
	}
	// Chunked (no Content-Length).
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: "POST", BodyProducer: producer})
	require.NoError(t, err)
	e := decodeEcho(t, resp)
	assert.Equal(t, want, e.Body)
	assert.Equal(t, "chunked", e.Header["Transfer-Encoding"])
	// With Content-Length.
	req := &httpclient.Request{URL: ts.base + "/echo", Method: "PUT", BodyProducer: producer}
	req.Header.Set("Content-Length", "5000")
	resp, err = fetch(t, loop, c, req)
	require.NoError(t, err)
	e = decodeEcho(t, resp)
	assert.Equal(t, want, e.Body)
	assert.Empty(t, e.Header["Transfer-Encoding"])
	// With Expect: 100-continue (the server sends 100 when it wants it).
	resp, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: "POST",
		BodyProducer: producer, Expect100Continue: true})
	require.NoError(t, err)
	e = decodeEcho(t, resp)
	assert.Equal(t, want, e.Body)
	assert.Equal(t, "100-continue", e.Header["Expect"])
}

func TestExpectContinueWithBody(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo", Method: "POST",
		Body: []byte("after continue"), Expect100Continue: true})
	require.NoError(t, err)
	assert.Equal(t, "after continue", decodeEcho(t, resp).Body)
}
