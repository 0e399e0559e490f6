package httpserver_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
)

func TestHelloWithNetHTTPClient(t *testing.T) {
	addr := serve(t, hello, httpserver.Config{})
	client := &http.Client{}
	for i := range 3 {
		resp, err := client.Get(fmt.Sprintf("http://%s/x/%d", addr, i))
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, fmt.Sprintf("Hello, GET /x/%d", i), string(body))
		assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
		assert.NotEmpty(t, resp.Header.Get("Date"))
	}
}

func TestKeepAliveAndPipelining(t *testing.T) {
	addr := serve(t, hello, httpserver.Config{})
	c := dial(t, addr)
	// Three requests in one write: answered in order on one connection.
	_, err := io.WriteString(c, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"+
		"GET /b HTTP/1.1\r\nHost: x\r\n\r\n"+
		"GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(c)
	for _, p := range []string{"/a", "/b", "/c"} {
		resp, body := readResponse(t, br, "GET")
		assert.Equal(t, "Hello, GET "+p, body)
		if p == "/c" {
			assert.True(t, resp.Close, "Connection: close honoured")
		}
	}
	expectClosed(t, c)
}

func TestHTTP10(t *testing.T) {
	addr := serve(t, hello, httpserver.Config{})
	c := dial(t, addr)
	io.WriteString(c, "GET /old HTTP/1.0\r\n\r\n")
	resp, body := readResponse(t, bufio.NewReader(c), "GET")
	assert.Equal(t, "Hello, GET /old", body)
	assert.True(t, resp.Close)
	expectClosed(t, c)

	c = dial(t, addr)
	io.WriteString(c, "GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n")
	br := bufio.NewReader(c)
	resp, body = readResponse(t, br, "GET")
	assert.Equal(t, "Hello, GET /1", body)
	assert.Equal(t, "keep-alive", resp.Header.Get("Connection"))
	_, body = readResponse(t, br, "GET")
	assert.Equal(t, "Hello, GET /2", body)
	expectClosed(t, c)
}

func TestBadRequestsAreRejectedWithoutCallingHandler(t *testing.T) {
	called := 0
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		called++
		w.Finish()
	})
	addr := serve(t, h, httpserver.Config{MaxHeaderSize: 1024, MaxBodySize: 100})
	cases := []struct {
		name   string
		raw    string
		status int
	}{
		{"CL and TE", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
		{"differing CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
		{"bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400},
		{"bad header name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n", 400},
		{"bad header value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n", 400},
		{"obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n  folded\r\n\r\n", 400},
		{"no host", "GET / HTTP/1.1\r\n\r\n", 400},
		{"two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"bad version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
		{"header too large", "GET / HTTP/1.1\r\nHost: x\r\nX: " + strings.Repeat("a", 2000) + "\r\n\r\n", 431},
		{"body too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", 413},
		{"chunked body too large", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n" + strings.Repeat("a", 101) + "\r\n0\r\n\r\n", 413},
		{"unknown coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, addr)
			io.WriteString(c, tc.raw)
			resp, _ := readResponse(t, bufio.NewReader(c), "GET")
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.True(t, resp.Close)
			expectClosed(t, c)
		})
	}
	assert.Zero(t, called, "the handler never saw a bad request")
}
