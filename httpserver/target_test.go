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

// where answers with what the handler saw of the target and the host.
var where = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	seen := fmt.Sprintf("%s host=%s path=%s query=%s %s", r.Method, r.Host, r.Path, r.Query, r.Version)
	w.Header().Set("X-Seen", seen) // a 200 to CONNECT has no body
	w.WriteString(seen)
	w.Finish()
})

// The request-target's form is checked against the method (RFC 9112
// §3.2), and the Host header's syntax: what is neither a path nor an
// absolute URI is a 400, and a host is never taken from anywhere else.
func TestRequestTargets(t *testing.T) {
	addr := serve(t, where, httpserver.Config{})
	connect := serve(t, where, httpserver.Config{AllowConnect: true})
	cases := []struct {
		name   string
		addr   string
		raw    string
		status int
		body   string // what the handler saw, for a 200
	}{
		{"origin-form", addr, "GET /a?b=c HTTP/1.1\r\nHost: good\r\n\r\n", 200, "GET host=good path=/a query=b=c HTTP/1.1"},
		{"absolute-form", addr, "GET http://proxied.example:8080/p?q HTTP/1.1\r\nHost: good\r\n\r\n", 200, "GET host=proxied.example:8080 path=/p query=q HTTP/1.1"},
		{"absolute-form, HTTPS in capitals", addr, "GET HTTPS://h.example HTTP/1.1\r\nHost: good\r\n\r\n", 200, "GET host=h.example path=/ query= HTTP/1.1"},
		{"absolute-form, query and no path", addr, "GET http://h.example?x=1 HTTP/1.1\r\nHost: good\r\n\r\n", 200, "GET host=h.example path=/ query=x=1 HTTP/1.1"},
		{"asterisk-form for OPTIONS", addr, "OPTIONS * HTTP/1.1\r\nHost: good\r\n\r\n", 200, "OPTIONS host=good path=* query= HTTP/1.1"},
		{"IPv6 Host", addr, "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", 200, "GET host=[::1]:80 path=/ query= HTTP/1.1"},
		{"empty Host (RFC 9112 §3.2)", addr, "GET / HTTP/1.1\r\nHost: \r\n\r\n", 200, "GET host= path=/ query= HTTP/1.1"},
		{"HTTP/1.2 is HTTP/1.1", addr, "GET / HTTP/1.2\r\nHost: good\r\n\r\n", 200, "GET host=good path=/ query= HTTP/1.1"},
		{"CONNECT opted in", connect, "CONNECT db.example:5432 HTTP/1.1\r\nHost: db.example:5432\r\n\r\n", 200, "CONNECT host=db.example:5432 path= query= HTTP/1.1"},

		{"a URI in the query of a relative target", addr, "GET x?u=http://evil.example/admin HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"no leading slash", addr, "GET index.html HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"asterisk for GET", addr, "GET * HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"authority-form for GET", addr, "GET good:80 HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"a scheme the server does not serve", addr, "GET ftp://h.example/ HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"userinfo in an absolute target", addr, "GET http://user:pw@h.example/ HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"no host in an absolute target", addr, "GET http:///p HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"Host with a path and a space", addr, "GET / HTTP/1.1\r\nHost: evil.com/x?y z\r\n\r\n", 400, ""},
		{"Host with userinfo", addr, "GET / HTTP/1.1\r\nHost: a@evil.com\r\n\r\n", 400, ""},
		{"Host with a bad port", addr, "GET / HTTP/1.1\r\nHost: good:8o\r\n\r\n", 400, ""},
		{"CONNECT not opted in", addr, "CONNECT db.example:5432 HTTP/1.1\r\nHost: db.example:5432\r\n\r\n", 405, ""},
		{"CONNECT to a path", connect, "CONNECT /x HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"CONNECT without a port", connect, "CONNECT db.example HTTP/1.1\r\nHost: good\r\n\r\n", 400, ""},
		{"HTTP/2.0", addr, "GET / HTTP/2.0\r\nHost: good\r\n\r\n", 505, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, tc.addr)
			io.WriteString(c, tc.raw)
			method, _, _ := strings.Cut(tc.raw, " ")
			br := bufio.NewReader(c)
			if method == "CONNECT" && tc.status == 200 {
				// What follows the head is the tunnel's.
				h, err := readHead(br)
				require.NoError(t, err)
				assert.Equal(t, 200, h.StatusCode)
				assert.Equal(t, tc.body, h.Header.Get("X-Seen"))
				return
			}
			resp, body := readResponse(t, br, method)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.status == 200 {
				assert.Equal(t, tc.body, resp.Header.Get("X-Seen"))
				return
			}
			assert.NotContains(t, body, "host=", "the handler saw nothing")
			assert.True(t, resp.Close)
			expectClosed(t, c)
		})
	}
}

// An HTTP/0.9 request line ("GET /", no version) has no head to end: it
// is answered 400 as soon as the line is in, not left to the head
// timeout (which is an hour here).
func TestHTTP09LineIsAnswered400AtOnce(t *testing.T) {
	addr := serve(t, where, httpserver.Config{HeaderTimeout: 3600e9})
	for _, raw := range []string{"GET /\r\n", "GET /\n", "\r\nGET /\r\n", "GET / HTTP/1.1 extra\r\nHost: x\r\n"} {
		c := dial(t, addr)
		io.WriteString(c, raw)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err, "%q", raw)
		assert.Equal(t, 400, resp.StatusCode, "%q", raw)
		resp.Body.Close()
	}
	// A line that is fine waits for the rest of its head.
	c := dial(t, addr)
	io.WriteString(c, "GET /slow HTTP/1.1\r\n")
	io.WriteString(c, "Host: x\r\n\r\n")
	_, body := readResponse(t, bufio.NewReader(c), "GET")
	assert.Equal(t, "GET host=x path=/slow query= HTTP/1.1", body)
}
