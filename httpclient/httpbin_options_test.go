package httpclient_test

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/webtest"
)

// The client's options that need more than a URL (a streamed body, TLS, a
// proxy) against Gornado's own httpbin, as httpbin_test.go does for the
// rest.

// pieces is a BodyProducer writing n pieces of size bytes ("aaa...",
// "bbb...", ...), each awaited before the next; want is what they make.
func pieces(loop *ioloop.IOLoop, n, size int) (producer httpclient.BodyProducer, want string) {
	for i := range n {
		want += strings.Repeat(string(rune('a'+i)), size)
	}
	producer = func(write func([]byte) *future.Future[struct{}]) *future.Future[struct{}] {
		return gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for i := range n {
				if _, err := gen.Await(co, write([]byte(strings.Repeat(string(rune('a'+i)), size)))); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})
	}
	return producer, want
}

func TestHttpbinBodyProducer(t *testing.T) {
	// ExpectContinueTimeout < 0: a body held for 100 Continue waits for
	// it, so the upload with Expect100Continue shows httpbin sent it.
	hb, c := httpbinClient(t, httpclient.Config{ExpectContinueTimeout: -1}, httpbin.Config{}, httpserver.Config{})
	producer, want := pieces(hb.loop, 6, 40<<10) // more than a socket takes at once
	for _, tc := range []struct {
		name          string
		contentLength bool
		expect        bool
	}{
		{"chunked", false, false},
		{"Content-Length", true, false},
		{"chunked, Expect 100-continue", false, true},
		{"Content-Length, Expect 100-continue", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := &httpclient.Request{URL: hb.base + "/post", Method: "POST", BodyProducer: producer,
				Expect100Continue: tc.expect, Header: headers("Content-Type", "text/plain")}
			if tc.contentLength {
				req.Header.Set("Content-Length", "245760")
			}
			resp, err := hb.fetch(t, c, req)
			require.NoError(t, err)
			a := decodeHB(t, resp.Body)
			assert.Equal(t, "POST", a.Method)
			assert.Equal(t, len(want), len(a.Data))
			assert.Equal(t, want, a.Data, "the echoed body")
			if tc.contentLength {
				assert.Equal(t, []string{"245760"}, a.Headers["Content-Length"])
				assert.Empty(t, a.Headers["Transfer-Encoding"])
			} else {
				assert.Equal(t, []string{"chunked"}, a.Headers["Transfer-Encoding"])
			}
			if tc.expect {
				assert.Equal(t, []string{"100-continue"}, a.Headers["Expect"])
			} else {
				assert.Empty(t, a.Headers["Expect"])
			}
		})
	}
}

func TestHttpbinHTTPS(t *testing.T) {
	pki := newPKI(t)
	hb, c := httpbinClient(t, httpclient.Config{}, httpbin.Config{},
		httpserver.Config{TLS: &tls.Config{Certificates: []tls.Certificate{pki.server}}})
	require.True(t, strings.HasPrefix(hb.base, "https://"))

	for name, req := range map[string]httpclient.Request{
		"RootCAs": {RootCAs: pki.pool},
		"CACerts": {CACerts: pki.caFile},
	} {
		t.Run(name, func(t *testing.T) {
			for i := range 2 {
				req := req
				req.URL = hb.base + "/get?tls=" + name
				resp, err := hb.fetch(t, c, &req)
				require.NoError(t, err)
				a := decodeHB(t, resp.Body)
				assert.Equal(t, hb.base+"/get?tls="+name, a.URL, "httpbin saw an https request")
				assert.Equal(t, i == 1, resp.Timing.Reused, "keep-alive over TLS")

				req.URL = hb.base + "/post"
				req.Method, req.Body = "POST", []byte("over TLS")
				req.Header = headers("Content-Type", "text/plain")
				resp, err = hb.fetch(t, c, &req)
				require.NoError(t, err)
				assert.Equal(t, "over TLS", decodeHB(t, resp.Body).Data)
			}
		})
	}

	// A CA that did not sign httpbin's certificate, or none but the
	// system's: a 599 with crypto/x509's error below it.
	other := newPKI(t)
	for name, req := range map[string]httpclient.Request{
		"another CA":      {RootCAs: other.pool},
		"another CA file": {CACerts: other.caFile},
		"system roots":    {},
	} {
		t.Run(name, func(t *testing.T) {
			req.URL = hb.base + "/get"
			_, err := hb.fetch(t, c, &req)
			var he *httpclient.HTTPError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, 599, he.Code)
			var ua x509.UnknownAuthorityError
			assert.ErrorAs(t, err, &ua, "error: %v", err)
		})
	}
}

func TestHttpbinThroughProxy(t *testing.T) {
	hb, c := defaultHTTPBin(t)
	p := webtest.NewProxy(t, "proxyuser:secret")
	req := &httpclient.Request{URL: hb.base + "/get?via=proxy", ProxyHost: p.Host, ProxyPort: p.Port,
		ProxyUsername: "proxyuser", ProxyPassword: "secret"}
	resp, err := hb.fetch(t, c, req)
	require.NoError(t, err)
	a := decodeHB(t, resp.Body)
	assert.Equal(t, hb.base+"/get?via=proxy", a.URL)
	assert.Equal(t, []string{"proxy"}, a.Args["via"])
	heads := p.Heads()
	require.Len(t, heads, 1)
	assert.Equal(t, "GET "+hb.base+"/get?via=proxy HTTP/1.1", heads[0][0], "absolute form")
	assert.Contains(t, heads[0], "Proxy-Authorization: "+basicAuthHeader("proxyuser", "secret"))

	// A POST body goes through too.
	post := *req
	post.URL, post.Method, post.Body = hb.base+"/post", "POST", []byte("via the proxy")
	post.Header = headers("Content-Type", "text/plain")
	resp, err = hb.fetch(t, c, &post)
	require.NoError(t, err)
	assert.Equal(t, "via the proxy", decodeHB(t, resp.Body).Data)

	// Wrong credentials: for a plain-HTTP fetch the proxy's 407 is the
	// response.
	bad := *req
	bad.ProxyPassword = "wrong"
	_, err = hb.fetch(t, c, &bad)
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 407, he.Code)
	assert.Nil(t, he.Err, "an answer, not a transport failure")
	heads = p.Heads()
	assert.Contains(t, heads[len(heads)-1], "Proxy-Authorization: "+basicAuthHeader("proxyuser", "wrong"))
}
