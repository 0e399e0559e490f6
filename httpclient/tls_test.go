package httpclient_test

import (
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/webtest"
)

// testPKI is a CA of its own (webtest's), a server certificate for
// 127.0.0.1 and localhost, and the CA in a PEM file.
type testPKI struct {
	ca     *webtest.CA
	pool   *x509.CertPool
	server tls.Certificate
	caFile string
}

func newPKI(t *testing.T) *testPKI {
	t.Helper()
	ca := webtest.NewCA(t, "gornado test CA")
	return &testPKI{ca: ca, pool: ca.Pool, server: ca.Issue(t, "127.0.0.1", "localhost"), caFile: ca.PEMFile(t)}
}

func TestHTTPS(t *testing.T) {
	pki := newPKI(t)
	ts := serve(t, httpserver.Config{TLS: &tls.Config{Certificates: []tls.Certificate{pki.server}}})
	loop, c := newClient(t, httpclient.Config{})

	// Unknown CA: a 599 with crypto/x509's error below it.
	_, err := fetch(t, loop, c, ts.base+"/hello")
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 599, he.Code)
	var ua x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &ua)

	for name, req := range map[string]*httpclient.Request{
		"CACerts":            {URL: ts.base + "/hello", CACerts: pki.caFile},
		"RootCAs":            {URL: ts.base + "/hello", RootCAs: pki.pool},
		"TLSConfig":          {URL: ts.base + "/hello", TLSConfig: &tls.Config{RootCAs: pki.pool}},
		"InsecureSkipVerify": {URL: ts.base + "/hello", InsecureSkipVerify: true},
	} {
		for i := range 2 {
			resp, err := fetch(t, loop, c, req)
			require.NoError(t, err, name)
			assert.Equal(t, "Hello, world!", string(resp.Body), name)
			assert.Equal(t, i == 1, resp.Timing.Reused, "%s: keep-alive over TLS", name)
		}
	}
	// The name is checked: the certificate is not for this one.
	_, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/hello", CACerts: pki.caFile,
		TLSConfig: &tls.Config{ServerName: "other.test"}})
	var hn x509.HostnameError
	assert.ErrorAs(t, err, &hn)
}

func TestProxyHTTP(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	p := webtest.NewProxy(t, "")
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/echo?via=proxy", ProxyHost: p.Host, ProxyPort: p.Port})
	require.NoError(t, err)
	assert.Equal(t, "GET "+ts.base+"/echo?via=proxy HTTP/1.1", p.RequestLines()[0])
	assert.Equal(t, ts.addr, decodeEcho(t, resp).Header["Host"])
}

func TestProxyHTTPSConnect(t *testing.T) {
	pki := newPKI(t)
	ts := serve(t, httpserver.Config{TLS: &tls.Config{Certificates: []tls.Certificate{pki.server}}})
	p := webtest.NewProxy(t, "proxyuser:secret")
	loop, c := newClient(t, httpclient.Config{})
	req := &httpclient.Request{URL: ts.base + "/echo", RootCAs: pki.pool,
		ProxyHost: p.Host, ProxyPort: p.Port, ProxyUsername: "proxyuser", ProxyPassword: "secret"}
	for i := range 2 {
		resp, err := fetch(t, loop, c, req)
		require.NoError(t, err)
		e := decodeEcho(t, resp)
		assert.Equal(t, "/echo", e.Target)
		assert.Empty(t, e.Header["Proxy-Authorization"], "the credentials stay with the proxy")
		assert.Equal(t, i == 1, resp.Timing.Reused, "the tunnel is kept alive")
	}
	assert.Equal(t, []string{"CONNECT " + ts.addr + " HTTP/1.1"}, p.RequestLines())

	// Wrong credentials: the proxy's refusal is the error.
	bad := *req
	bad.ProxyPassword = "wrong"
	_, err := fetch(t, loop, c, &bad)
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 599, he.Code)
	assert.ErrorIs(t, err, httpclient.ErrProxy)
	assert.Contains(t, err.Error(), "407")
}

func TestClientCertificate(t *testing.T) {
	pki := newPKI(t)
	// The client's certificate, issued by the same CA, in PEM files.
	cc := pki.ca.Issue(t, "gornado client")
	der := cc.Certificate[0]
	keyDER, err := x509.MarshalECPrivateKey(cc.PrivateKey.(*ecdsa.PrivateKey))
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))

	ts := serve(t, httpserver.Config{TLS: &tls.Config{Certificates: []tls.Certificate{pki.server},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pki.pool}})
	loop, c := newClient(t, httpclient.Config{})
	// Without a certificate the server refuses the handshake.
	_, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/hello", CACerts: pki.caFile})
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 599, he.Code)
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/hello", CACerts: pki.caFile,
		ClientCert: certFile, ClientKey: keyFile})
	require.NoError(t, err)
	assert.Equal(t, "Hello, world!", string(resp.Body))
	// A missing certificate file fails the fetch (a 599 wrapping ErrInvalidRequest and the file error).
	_, err = fetch(t, loop, c, &httpclient.Request{URL: ts.base + "/hello", ClientCert: filepath.Join(dir, "nope.pem")})
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.ErrorIs(t, err, httpclient.ErrInvalidRequest)
}

func TestRedirectFromHTTPSToHTTPDropsCredentials(t *testing.T) {
	pki := newPKI(t)
	secure := serve(t, httpserver.Config{TLS: &tls.Config{Certificates: []tls.Certificate{pki.server}}})
	plain := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{})
	for _, tc := range []struct {
		name, from, to string
		keep           bool
	}{
		// The same host, 127.0.0.1, on both; only the scheme (and port)
		// differ.
		{"https to http", secure.base, plain.base, false},
		{"http to https", plain.base, secure.base, true},
		{"https to https", secure.base, secure.base, true},
	} {
		req := &httpclient.Request{URL: tc.from + "/redirect-to?url=" + url.QueryEscape(tc.to+"/echo"),
			AuthUsername: "user", AuthPassword: "pass", RootCAs: pki.pool}
		req.Header.Set("Cookie", "session=1")
		resp, err := fetch(t, loop, c, req)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.to+"/echo", resp.EffectiveURL, tc.name)
		e := decodeEcho(t, resp)
		if tc.keep {
			assert.Equal(t, basicAuthHeader("user", "pass"), e.Header["Authorization"], tc.name)
			assert.Equal(t, "session=1", e.Header["Cookie"], tc.name)
		} else {
			assert.Empty(t, e.Header["Authorization"], tc.name)
			assert.Empty(t, e.Header["Cookie"], tc.name)
		}
	}
}

func basicAuthHeader(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}
