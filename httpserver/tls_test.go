package httpserver_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/webtest"
)

// selfSigned returns webtest's certificate for 127.0.0.1 and a pool
// trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	ca, cert := webtest.TestCA(t)
	return cert, ca.Pool
}

func TestHTTPS(t *testing.T) {
	cert, pool := selfSigned(t)
	addr := serve(t, echo, httpserver.Config{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	for range 3 { // keep-alive over one TLS connection
		resp, err := client.Get("https://" + addr + "/secure?x=1")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode)
		assert.Contains(t, string(body), "GET /secure?x=1")
		assert.Contains(t, string(body), "proto=https")
		require.NotNil(t, resp.TLS)
	}
	// A plain-text client gets no HTTP answer from a TLS server.
	c := dial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	buf := make([]byte, 64)
	n, _ := c.Read(buf)
	assert.NotContains(t, string(buf[:n]), "HTTP/1.1 200")
}
