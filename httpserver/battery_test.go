package httpserver_test

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// The battery: hostile and malformed requests over a raw socket, each
// checked for the statuses answered, whether the connection closed, and
// what the handler saw (a request it must not see is the smuggling
// itself). A connection that stays open is probed with one more request,
// to show it is still in step. Where Gornado differs from net/http on
// purpose, the case says so.
func TestBattery(t *testing.T) {
	seen := make(chan string, 64)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		seen <- r.Method + " " + r.Path + " " + string(r.Body)
		w.WriteString("ok")
		w.Finish()
	})
	addr := serve(t, h, httpserver.Config{MaxHeaderSize: 1024, MaxBodySize: 64}, func(*ioloop.IOLoop, *httpserver.Server) {})
	const probe = "GET /probe HTTP/1.1\r\nHost: x\r\n\r\n"
	get := func(path string) string { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n" }
	long := strings.Repeat("a", 2000)
	cases := []struct {
		name   string
		raw    string
		status []int    // the answers, in order
		closed bool     // the connection closes after them
		saw    []string // what the handler saw, in order
	}{
		// Framing and smuggling (RFC 9112 §6): any doubt about where a
		// body ends is a 400 and a closed connection.
		{"CL and TE (net/http serves the smuggled request; RFC 9112 §6.1 allows closing)",
			"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + get("/smuggled"), []int{400}, true, nil},
		{"TE then CL", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + get("/smuggled"), []int{400}, true, nil},
		{"TE not ending in chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + get("/smuggled"), []int{400}, true, nil},
		{"TE xchunked (chunked is not last: RFC 9112 §6.3)", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n" + get("/smuggled"), []int{400}, true, nil},
		{"TE gzip, chunked (a coding the server does not know)", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + get("/smuggled"), []int{501}, true, nil},
		{"TE chunked twice", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + get("/smuggled"), []int{400}, true, nil},
		{"TE in HTTP/1.0 (framing kept, then closed)", "POST /te10 HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + get("/smuggled"), []int{200}, true, []string{"POST /te10 abc"}},
		{"two different lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", []int{400}, true, nil},
		{"a list of lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd", []int{400}, true, nil},
		{"a signed length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", []int{400}, true, nil},
		{"a hex length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc", []int{400}, true, nil},
		{"a length past int64", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", []int{400}, true, nil},
		{"a chunk size that is not hex", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", []int{400}, true, nil},
		{"a chunk size past int64", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff1\r\nabc\r\n0\r\n\r\n", []int{400}, true, nil},
		{"a chunk longer than its size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", []int{400}, true, nil},
		{"a chunk size with a trailing space (accepted, as net/http does)", "POST /sp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n" + get("/next"), []int{200, 200}, false, []string{"POST /sp abc", "GET /next "}},
		{"a chunk size with a space inside", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1 3\r\nabc\r\n0\r\n\r\n" + get("/smuggled"), []int{400}, true, nil},
		{"obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n", []int{400}, true, nil},
		{"space before the colon", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc", []int{400}, true, nil},
		{"NUL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n", []int{400}, true, nil},
		{"bare CR in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", []int{400}, true, nil},
		{"a name with a high byte", "GET / HTTP/1.1\r\nHost: x\r\nX\xff: a\r\n\r\n", []int{400}, true, nil},
		{"two spaces in the request line", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", []int{400}, true, nil},
		{"a lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", []int{400}, true, nil},
		{"HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", []int{505}, true, nil},
		{"HTTP/0.9", "GET /\r\n", []int{400}, true, nil},

		// Request targets and Host (RFC 9112 §3.2).
		{"a URI in the query of a relative target", "GET x?u=http://evil.example/admin HTTP/1.1\r\nHost: good\r\n\r\n", []int{400}, true, nil},
		{"userinfo in an absolute target", "GET http://u@evil.example/ HTTP/1.1\r\nHost: good\r\n\r\n", []int{400}, true, nil},
		{"a Host with a path", "GET / HTTP/1.1\r\nHost: evil.com/x?y z\r\n\r\n", []int{400}, true, nil},
		{"no Host", "GET / HTTP/1.1\r\n\r\n", []int{400}, true, nil},
		{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", []int{400}, true, nil},
		{"CONNECT", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", []int{405}, true, nil},

		// Sizes.
		{"a request line over MaxHeaderSize", "GET /" + long + " HTTP/1.1\r\nHost: x\r\n\r\n", []int{431}, true, nil},
		{"a header over MaxHeaderSize", "GET / HTTP/1.1\r\nHost: x\r\nX: " + long + "\r\n\r\n", []int{431}, true, nil},
		{"many small headers", "GET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X: y\r\n", 300) + "\r\n", []int{431}, true, nil},
		{"a declared body over MaxBodySize", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n", []int{413}, true, nil},
		{"a chunked body over MaxBodySize", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n" + strings.Repeat("b", 65) + "\r\n0\r\n\r\n", []int{413}, true, nil},
		{"a trailer over MaxHeaderSize", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + long + "\r\n\r\n", []int{431}, true, nil},

		// What is fine stays fine, and in step.
		{"pipelined, then garbage", get("/one") + get("/two") + "GARBAGE\r\n\r\n", []int{200, 200, 400}, true, []string{"GET /one ", "GET /two "}},
		{"a body, then a pipelined request", "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get("/next"), []int{200, 200}, false, []string{"POST /b abc", "GET /next "}},
		{"empty lines before a request (RFC 9112 §2.2)", "\r\n\r\n" + get("/after"), []int{200}, false, []string{"GET /after "}},
		{"a chunked body with extensions and a trailer", "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", []int{200}, false, []string{"POST /c abc"}},
		{"HTTP/1.2 as HTTP/1.1 (RFC 9110 §2.5)", "GET /v HTTP/1.2\r\nHost: x\r\n\r\n", []int{200}, false, []string{"GET /v "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, addr)
			_, err := io.WriteString(c, tc.raw)
			require.NoError(t, err)
			br := bufio.NewReader(c)
			var got []int
			for range tc.status {
				resp, err := http.ReadResponse(br, nil)
				require.NoError(t, err, "answers so far: %v", got)
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				got = append(got, resp.StatusCode)
			}
			assert.Equal(t, tc.status, got)
			if tc.closed {
				n, err := br.Read(make([]byte, 1))
				assert.Equal(t, 0, n, "nothing after the last answer")
				assert.ErrorIs(t, err, io.EOF, "the connection closed")
			} else {
				io.WriteString(c, probe)
				resp, err := http.ReadResponse(br, nil)
				require.NoError(t, err, "the connection is still in step")
				resp.Body.Close()
				assert.Equal(t, 200, resp.StatusCode)
			}
			var saw []string
			for more := true; more; {
				select {
				case s := <-seen:
					if s != "GET /probe " {
						saw = append(saw, s)
					}
				default:
					more = false
				}
			}
			assert.Equal(t, tc.saw, saw, "what the handler saw")
		})
	}
}
