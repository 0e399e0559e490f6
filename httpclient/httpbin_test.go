package httpclient_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// The client against Gornado's own httpbin (examples/httpbin), on real
// loopback sockets. Unless a test says otherwise the server and the client
// share one loop: each fetch is the client's state machine and httpbin's
// handlers taking turns on the same goroutine. interop/client_httpbin_test.go
// makes the same checks against go-httpbin.

// hbServer is httpbin listening on a loop.
type hbServer struct {
	loop *ioloop.IOLoop
	srv  *httpserver.Server
	base string // http(s)://127.0.0.1:PORT
}

// listenHTTPBin starts httpbin with opts on loop (before it runs, or on
// it), with the server configured by cfg; the caller closes it.
func listenHTTPBin(t *testing.T, loop *ioloop.IOLoop, opts httpbin.Config, cfg httpserver.Config) *hbServer {
	t.Helper()
	app, err := httpbin.NewApplication(opts, web.Config{Logger: looptest.Logs(loop).Logger(), NoAccessLog: true, Server: cfg})
	require.NoError(t, err)
	srv, err := app.Listen(loop, "127.0.0.1:0")
	require.NoError(t, err)
	scheme := "http://"
	if cfg.TLS != nil {
		scheme = "https://"
	}
	return &hbServer{loop: loop, srv: srv, base: scheme + srv.Addrs()[0].String()}
}

// httpbinClient makes a client (newClient) and serves httpbin on its loop
// until the end of the test: the server closes first, then the client,
// then the loop with its leak check.
func httpbinClient(t *testing.T, copts httpclient.Config, opts httpbin.Config, cfg httpserver.Config) (*hbServer, *httpclient.AsyncHTTPClient) {
	t.Helper()
	loop, c := newClient(t, copts)
	hb := listenHTTPBin(t, loop, opts, cfg)
	t.Cleanup(func() {
		ioloop.RunSync(loop, func() *futureUnit {
			hb.srv.Close()
			return resolved(loop)
		}, 5e9)
	})
	return hb, c
}

// defaultHTTPBin is httpbinClient with every option at its default.
func defaultHTTPBin(t *testing.T) (*hbServer, *httpclient.AsyncHTTPClient) {
	t.Helper()
	return httpbinClient(t, httpclient.Config{}, httpbin.Config{}, httpserver.Config{})
}

func (hb *hbServer) fetch(t *testing.T, c *httpclient.AsyncHTTPClient, req any) (*httpclient.Response, error) {
	t.Helper()
	return fetch(t, hb.loop, c, req)
}

// hbAnswer is the union of the httpbin JSON answers the tests read.
type hbAnswer struct {
	Args      map[string][]string `json:"args"`
	Headers   map[string][]string `json:"headers"`
	Method    string              `json:"method"`
	URL       string              `json:"url"`
	Data      string              `json:"data"`
	Files     map[string][]string `json:"files"`
	Form      map[string][]string `json:"form"`
	JSON      any                 `json:"json"`
	Gzipped   bool                `json:"gzipped"`
	Authed    bool                `json:"authenticated"`
	User      string              `json:"user"`
	UserAgent string              `json:"user-agent"`
	Cookies   map[string]string   `json:"cookies"`
	ID        int                 `json:"id"`
}

func decodeHB(t *testing.T, b []byte) hbAnswer {
	t.Helper()
	var a hbAnswer
	require.NoError(t, json.Unmarshal(b, &a), "body: %q", b)
	return a
}

func TestHttpbinMethodsAndBodies(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	mw.WriteField("field", "value")
	fw, _ := mw.CreateFormFile("upload", "a.txt")
	fw.Write([]byte("file content"))
	mw.Close()
	for _, tc := range []struct {
		name  string
		req   httpclient.Request
		check func(t *testing.T, a hbAnswer)
	}{
		{"get args", httpclient.Request{URL: "/get?q=gornado&q=again&n=1"}, func(t *testing.T, a hbAnswer) {
			assert.Equal(t, "GET", a.Method)
			assert.Equal(t, map[string][]string{"q": {"gornado", "again"}, "n": {"1"}}, a.Args)
			assert.Equal(t, hb.base+"/get?q=gornado&q=again&n=1", a.URL)
		}},
		{"post form", httpclient.Request{URL: "/post", Method: "POST", Body: []byte("a=1&b=two&a=3"),
			Header: headers("Content-Type", "application/x-www-form-urlencoded")}, func(t *testing.T, a hbAnswer) {
			assert.Equal(t, map[string][]string{"a": {"1", "3"}, "b": {"two"}}, a.Form)
		}},
		{"post multipart", httpclient.Request{URL: "/post", Method: "POST", Body: mp.Bytes(),
			Header: headers("Content-Type", mw.FormDataContentType())}, func(t *testing.T, a hbAnswer) {
			assert.Equal(t, map[string][]string{"field": {"value"}}, a.Form)
			assert.Equal(t, map[string][]string{"upload": {"file content"}}, a.Files)
		}},
		{"put json", httpclient.Request{URL: "/put", Method: "PUT", Body: []byte(`{"x": [1, 2]}`),
			Header: headers("Content-Type", "application/json")}, func(t *testing.T, a hbAnswer) {
			assert.Equal(t, "PUT", a.Method)
			assert.Equal(t, map[string]any{"x": []any{1.0, 2.0}}, a.JSON)
		}},
		{"patch text", httpclient.Request{URL: "/patch", Method: "PATCH", Body: []byte("some text"),
			Header: headers("Content-Type", "text/plain")}, func(t *testing.T, a hbAnswer) {
			assert.Equal(t, "some text", a.Data)
		}},
		{"delete", httpclient.Request{URL: "/delete?id=7", Method: "DELETE"}, func(t *testing.T, a hbAnswer) {
			assert.Equal(t, "DELETE", a.Method)
			assert.Equal(t, []string{"7"}, a.Args["id"])
			assert.Empty(t, a.Data)
		}},
		{"anything binary", httpclient.Request{URL: "/anything/deep/path", Method: "POST", Body: []byte{0, 1, 0xfe, 0xff}},
			func(t *testing.T, a hbAnswer) {
				assert.Equal(t, "data:application/octet-stream;base64,"+base64.URLEncoding.EncodeToString([]byte{0, 1, 0xfe, 0xff}), a.Data)
				assert.Equal(t, hb.base+"/anything/deep/path", a.URL)
			}},
		{"get with a body", httpclient.Request{URL: "/anything", Body: []byte("body on GET"), AllowNonstandardMethods: true,
			Header: headers("Content-Type", "text/plain")}, func(t *testing.T, a hbAnswer) {
			assert.Equal(t, "GET", a.Method)
			assert.Equal(t, "body on GET", a.Data)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req
			req.URL = hb.base + req.URL
			resp, err := hb.fetch(t, c, &req)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Code)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			tc.check(t, decodeHB(t, resp.Body))
		})
	}

	// HEAD has the headers and no body; OPTIONS is httpbin's preflight.
	resp, err := hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/get", Method: "HEAD"})
	require.NoError(t, err)
	assert.Empty(t, resp.Body)
	assert.NotEmpty(t, resp.Header.Get("Content-Length"))
	resp, err = hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/anything", Method: "OPTIONS"})
	require.NoError(t, err)
	assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "PATCH")

	// A method the route does not serve is httpbin's 405; a body on GET
	// without AllowNonstandardMethods never leaves the client.
	_, err = hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/get", Method: "POST", Body: []byte("x")})
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 405, he.Code)
	_, err = hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/anything", Body: []byte("x")})
	assert.ErrorIs(t, err, httpclient.ErrInvalidRequest)
}

func TestHttpbinHeadersAndUserAgent(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	host := strings.TrimPrefix(hb.base, "http://")
	for _, tc := range []struct {
		name      string
		req       httpclient.Request
		wantUA    string
		wantExtra map[string][]string
	}{
		{"default", httpclient.Request{}, httpclient.DefaultUserAgent, map[string][]string{"Host": {host}}},
		{"UserAgent", httpclient.Request{UserAgent: "gornado-test/2"}, "gornado-test/2", nil},
		{"header user agent", httpclient.Request{Header: headers("User-Agent", "from-header")}, "from-header", nil},
		{"repeated header", httpclient.Request{Header: headers("X-Multi", "a", "X-Multi", "b", "X-Single", "c")}, httpclient.DefaultUserAgent,
			map[string][]string{"X-Multi": {"a", "b"}, "X-Single": {"c"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req
			req.URL = hb.base + "/user-agent"
			resp, err := hb.fetch(t, c, &req)
			require.NoError(t, err)
			assert.Equal(t, tc.wantUA, decodeHB(t, resp.Body).UserAgent)

			req.URL = hb.base + "/headers"
			resp, err = hb.fetch(t, c, &req)
			require.NoError(t, err)
			got := decodeHB(t, resp.Body).Headers
			assert.Equal(t, []string{tc.wantUA}, got["User-Agent"])
			assert.Equal(t, []string{"gzip"}, got["Accept-Encoding"])
			for k, v := range tc.wantExtra {
				assert.Equal(t, v, got[k], k)
			}
		})
	}
}

func TestHttpbinBasicAuth(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	userinfo := strings.Replace(hb.base, "://", "://alice:s3cret@", 1)
	for _, tc := range []struct {
		name     string
		req      httpclient.Request
		wantCode int
	}{
		{"right", httpclient.Request{URL: hb.base, AuthUsername: "alice", AuthPassword: "s3cret"}, 200},
		{"in the URL", httpclient.Request{URL: userinfo}, 200},
		{"wrong password", httpclient.Request{URL: hb.base, AuthUsername: "alice", AuthPassword: "wrong"}, 401},
		{"none", httpclient.Request{URL: hb.base}, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, noRaise := range []bool{false, true} {
				req := tc.req
				req.URL += "/basic-auth/alice/s3cret"
				req.NoRaise = noRaise
				resp, err := hb.fetch(t, c, &req)
				var he *httpclient.HTTPError
				if tc.wantCode == 200 {
					require.NoError(t, err)
				} else if noRaise {
					require.NoError(t, err, "NoRaise returns the response")
					require.ErrorAs(t, resp.Error, &he)
				} else {
					require.ErrorAs(t, err, &he)
					assert.NotErrorIs(t, err, httpclient.ErrTimeout)
					resp = he.Response
				}
				require.NotNil(t, resp)
				assert.Equal(t, tc.wantCode, resp.Code)
				a := decodeHB(t, resp.Body)
				assert.Equal(t, tc.wantCode == 200, a.Authed)
				if tc.wantCode == 401 {
					assert.Equal(t, 401, he.Code)
					assert.Equal(t, `Basic realm="Fake Realm"`, resp.Header.Get("WWW-Authenticate"))
				} else {
					assert.Equal(t, "alice", a.User)
				}
			}
		})
	}
}

func TestHttpbinStatusCodes(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	for _, tc := range []struct {
		path     string
		wantCode int
		wantBody string
		header   string // a response header that must be set
	}{
		{"/status/200", 200, "", ""},
		{"/status/204", 204, "", ""},
		{"/status/304", 304, "", ""},
		{"/status/404", 404, "", ""},
		{"/status/418", 418, "I'm a teapot!", "X-More-Info"},
		{"/status/402", 402, "Fuck you, pay me!", "X-More-Info"},
		{"/status/500", 500, "", ""},
		{"/status/503:1,503:2", 503, "", ""},
		{"/status/x", 400, `"status_code":400`, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := hb.fetch(t, c, hb.base+tc.path)
			if tc.wantCode/100 == 2 {
				require.NoError(t, err)
			} else {
				var he *httpclient.HTTPError
				require.ErrorAs(t, err, &he)
				assert.Equal(t, tc.wantCode, he.Code)
				assert.Nil(t, he.Err, "a status is not a transport failure")
				resp = he.Response
			}
			assert.Equal(t, tc.wantCode, resp.Code)
			assert.Contains(t, string(resp.Body), tc.wantBody)
			if tc.header != "" {
				assert.NotEmpty(t, resp.Header.Get(tc.header))
			}

			resp, err = hb.fetch(t, c, &httpclient.Request{URL: hb.base + tc.path, NoRaise: true})
			require.NoError(t, err)
			assert.Equal(t, tc.wantCode, resp.Code)
			assert.Equal(t, tc.wantCode/100 != 2, resp.Error != nil)
		})
	}
}

func TestHttpbinGzip(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	resp, err := hb.fetch(t, c, hb.base+"/gzip")
	require.NoError(t, err)
	a := decodeHB(t, resp.Body)
	assert.True(t, a.Gzipped)
	assert.Equal(t, []string{"gzip"}, a.Headers["Accept-Encoding"])
	assert.Equal(t, "gzip", resp.Header.Get("X-Consumed-Content-Encoding"))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.False(t, resp.Header.Has("Content-Length"), "it counted the compressed body")

	// NoDecompress: the client neither asks for gzip nor inflates it
	// (httpbin's /gzip compresses anyway).
	resp, err = hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/gzip", NoDecompress: true})
	require.NoError(t, err)
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	require.True(t, bytes.HasPrefix(resp.Body, []byte{0x1f, 0x8b}), "raw gzip: %q", resp.Body)
	zr, err := gzip.NewReader(bytes.NewReader(resp.Body))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	a = decodeHB(t, plain)
	assert.True(t, a.Gzipped)
	assert.Empty(t, a.Headers["Accept-Encoding"])
}

func TestHttpbinCookiesAndResponseHeaders(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	// The 302 of /cookies/set carries the cookies.
	resp, err := hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/cookies/set?k=v&flavour=oat", NoFollowRedirects: true, NoRaise: true})
	require.NoError(t, err)
	assert.Equal(t, 302, resp.Code)
	assert.Equal(t, "/cookies", resp.Header.Get("Location"))
	assert.ElementsMatch(t, []string{"k=v; Path=/; HttpOnly", "flavour=oat; Path=/; HttpOnly"}, resp.Header.Values("Set-Cookie"))

	// Followed, it ends at /cookies, which sees none: the client has no
	// cookie jar (nor has Tornado's).
	resp, err = hb.fetch(t, c, hb.base+"/cookies/set?k=v")
	require.NoError(t, err)
	assert.Equal(t, hb.base+"/cookies", resp.EffectiveURL)
	assert.Empty(t, decodeHB(t, resp.Body).Cookies)
	// A Cookie header is sent as given.
	resp, err = hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/cookies", Header: headers("Cookie", "k=v; flavour=oat")})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"k": "v", "flavour": "oat"}, decodeHB(t, resp.Body).Cookies)

	resp, err = hb.fetch(t, c, hb.base+"/response-headers?X-Foo=a&X-Foo=b&Content-Type=text/plain&Server-Timing=t;dur=1")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, resp.Header.Values("X-Foo"))
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Equal(t, "t;dur=1", resp.Header.Get("Server-Timing"))
	// The body echoes the headers it set.
	var echoed map[string][]string
	require.NoError(t, json.Unmarshal(resp.Body, &echoed), "body: %q", resp.Body)
	assert.Equal(t, []string{"a", "b"}, echoed["X-Foo"])
	assert.Equal(t, []string{"text/plain"}, echoed["Content-Type"])
}

func TestHttpbinRedirects(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	for _, tc := range []struct {
		path string
		n    int
	}{
		{"/redirect/3", 3},
		{"/relative-redirect/2", 2},
		{"/absolute-redirect/4", 4},
		{"/redirect/1?absolute=true", 1},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := hb.fetch(t, c, hb.base+tc.path)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Code)
			assert.Equal(t, hb.base+"/get", resp.EffectiveURL)
			assert.Equal(t, tc.n, resp.Timing.Redirects)
			assert.Equal(t, hb.base+"/get", decodeHB(t, resp.Body).URL)
		})
	}

	// One more than MaxRedirects: the last 302 is the answer, and an error.
	_, err := hb.fetch(t, c, hb.base+"/redirect/6")
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 302, he.Code)
	assert.ErrorIs(t, err, httpclient.ErrTooManyRedirects)
	assert.Equal(t, hb.base+"/relative-redirect/1", he.Response.EffectiveURL)
}

func TestHttpbinStreamsAndBytes(t *testing.T) {
	hb, c := defaultHTTPBin(t)

	// /stream/5: five JSON lines, each flushed on its own, chunked.
	var chunks [][]byte
	resp, err := hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/stream/5",
		StreamingCallback: func(b []byte) { chunks = append(chunks, bytes.Clone(b)) }})
	require.NoError(t, err)
	assert.Empty(t, resp.Body, "a streamed body is not buffered")
	assert.Equal(t, "chunked", resp.Header.Get("Transfer-Encoding"))
	lines := strings.Split(strings.TrimSuffix(string(bytes.Join(chunks, nil)), "\n"), "\n")
	require.Len(t, lines, 5)
	for i, line := range lines {
		assert.Equal(t, i, decodeHB(t, []byte(line)).ID)
	}

	// /drip: 4 bytes over 200ms, each its own chunk, with the code asked for.
	var drips []string
	resp, err = hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/drip?numbytes=4&duration=0.2&delay=0&code=201",
		StreamingCallback: func(b []byte) { drips = append(drips, string(b)) }})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.Code)
	assert.Equal(t, "****", strings.Join(drips, ""))
	assert.Greater(t, len(drips), 1, "drip arrives in pieces")

	// /bytes/n with a seed is the same n bytes each time.
	a, err := hb.fetch(t, c, hb.base+"/bytes/1000?seed=7")
	require.NoError(t, err)
	b, err := hb.fetch(t, c, hb.base+"/bytes/1000?seed=7")
	require.NoError(t, err)
	assert.Len(t, a.Body, 1000)
	assert.Equal(t, a.Body, b.Body)
	assert.Equal(t, "application/octet-stream", a.Header.Get("Content-Type"))
}

func TestHttpbinLimitsAndTimeouts(t *testing.T) {
	hb, c := httpbinClient(t, httpclient.Config{MaxBodySize: 4096}, httpbin.Config{}, httpserver.Config{})

	// A body over MaxBodySize is a 599 with ErrBodyTooLarge, declared
	// (Content-Length) or streamed (chunked).
	for _, path := range []string{"/bytes/5000", "/stream/50"} {
		_, err := hb.fetch(t, c, hb.base+path)
		var he *httpclient.HTTPError
		require.ErrorAs(t, err, &he, path)
		assert.Equal(t, 599, he.Code, path)
		assert.ErrorIs(t, err, httpclient.ErrBodyTooLarge, path)
	}

	// /delay outlasting RequestTimeout is a 599 with ErrTimeout; the
	// client is usable at once afterwards.
	_, err := hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/delay/2", RequestTimeout: 100 * time.Millisecond})
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 599, he.Code)
	assert.ErrorIs(t, err, httpclient.ErrTimeout)
	resp, err := hb.fetch(t, c, &httpclient.Request{URL: hb.base + "/delay/0.05", RequestTimeout: 5 * time.Second})
	require.NoError(t, err)
	assert.Equal(t, "GET", decodeHB(t, resp.Body).Method)
}
