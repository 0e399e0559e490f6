package httpclient_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/webtest"
)

// testServer is a Gornado HTTP server on a loop of its own goroutine, with
// the routes the tests use (see ServeRequest).
type testServer struct {
	loop *ioloop.IOLoop
	srv  *httpserver.Server
	base string // "http://127.0.0.1:PORT" (https for TLS)
	addr string

	held []*httpserver.Response // /hold responses, loop-only

	// onLoop runs a function on the server's loop and waits for it.
	onLoop func(func())
}

// serve starts a test server (webtest.ServeHandler); it stops at the end
// of the test.
func serve(t *testing.T, cfg httpserver.Config) *testServer {
	t.Helper()
	ts := &testServer{}
	ws := webtest.ServeHandler(t, httpserver.HandlerFunc(ts.ServeRequest), cfg)
	ts.loop, ts.srv, ts.addr, ts.base = ws.Loop, ws.Server, ws.Addr, ws.URL
	ts.onLoop = ws.OnLoop
	return ts
}

// echoed is what /echo answers.
type echoed struct {
	Method string            `json:"method"`
	Target string            `json:"target"`
	Header map[string]string `json:"header"`
	Body   string            `json:"body"`
}

func (ts *testServer) ServeRequest(w *httpserver.Response, r *httpserver.Request) {
	q, _ := url.ParseQuery(r.Query)
	seg := strings.Split(strings.Trim(r.Path, "/"), "/")
	switch seg[0] {
	case "hello":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteString("Hello, world!")
	case "status":
		code, _ := strconv.Atoi(seg[1])
		w.SetStatus(code)
		if code != 204 && code != 304 {
			w.WriteString("status " + seg[1])
		}
	case "redirect": // /redirect/N: N hops, then /echo
		n, _ := strconv.Atoi(seg[1])
		w.SetStatus(302)
		if n <= 1 {
			w.Header().Set("Location", "/echo")
		} else {
			w.Header().Set("Location", "/redirect/"+strconv.Itoa(n-1))
		}
	case "redirect-to": // ?url=U&status=S
		code, _ := strconv.Atoi(q.Get("status"))
		if code == 0 {
			code = 302
		}
		w.SetStatus(code)
		w.Header().Set("Location", q.Get("url"))
	case "gzip":
		body := bytes.Repeat([]byte("gzip me, gornado! "), 200)
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || q.Has("force") {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(body)
			zw.Close()
			w.Header().Set("Content-Encoding", "gzip")
			body = b.Bytes()
		}
		w.Write(body)
	case "chunked": // ?n=N chunks of "chunk I\n", flushed one by one
		n, _ := strconv.Atoi(q.Get("n"))
		gen.Go(ts.loop, func(co *gen.Co) (struct{}, error) {
			for i := range n {
				w.WriteString(fmt.Sprintf("chunk %d\n", i))
				if _, err := gen.Await(co, w.Flush()); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, w.Finish()
		})
		return
	case "big": // ?n=N bytes
		n, _ := strconv.Atoi(q.Get("n"))
		w.Write(bytes.Repeat([]byte("x"), n))
	case "auth": // basic auth user:pass
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:pass"))
		if r.Header.Get("Authorization") != want {
			w.SetStatus(401)
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
		} else {
			w.WriteString("welcome")
		}
	case "hold": // answered when the test releases it
		ts.held = append(ts.held, w)
		w.SetCloseCallback(func() {})
		return
	case "hang": // never answered
		return
	case "cookie":
		w.WriteString(r.Header.Get("Cookie"))
	default: // echo
		h := map[string]string{}
		for k, v := range r.Header.All() {
			h[k] = v
		}
		b, _ := json.Marshal(echoed{Method: r.Method, Target: r.Target, Header: h, Body: string(r.Body)})
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}
	w.Finish()
}

// release answers the held requests, in order, with their index.
func (ts *testServer) release() int {
	n := 0
	ts.onLoop(func() {
		for i, w := range ts.held {
			w.WriteString(strconv.Itoa(i))
			w.Finish()
		}
		n = len(ts.held)
		ts.held = nil
	})
	return n
}

func (ts *testServer) heldCount() int {
	n := 0
	ts.onLoop(func() { n = len(ts.held) })
	return n
}

// rawServe is webtest.NewRawServer: a server a test script answers with
// whatever bytes it likes.
func rawServe(t *testing.T, fn func(c net.Conn, br *bufio.Reader)) *webtest.RawServer {
	t.Helper()
	return webtest.NewRawServer(t, fn)
}

// readHead reads one request head (and a Content-Length body) from br and
// returns the head's lines and the body.
func readHead(br *bufio.Reader) (lines []string, body []byte, err error) {
	n := 0
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-Length") {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
		lines = append(lines, line)
	}
	body = make([]byte, n)
	_, err = io.ReadFull(br, body)
	return lines, body, err
}

// newClient makes a client on a fresh test loop.
func newClient(t *testing.T, opts httpclient.Config) (*ioloop.IOLoop, *httpclient.AsyncHTTPClient) {
	t.Helper()
	loop := looptest.New(t)
	c := httpclient.New(loop, opts)
	t.Cleanup(func() {
		// Close on the loop: run it for one callback.
		ioloop.RunSync(loop, func() *futureUnit {
			c.Close()
			return resolved(loop)
		}, 5*time.Second)
	})
	return loop, c
}

// fetch runs one fetch to completion on loop.
func fetch(t *testing.T, loop *ioloop.IOLoop, c *httpclient.AsyncHTTPClient, req any) (*httpclient.Response, error) {
	t.Helper()
	type result struct {
		r   *httpclient.Response
		err error
	}
	res := looptest.RunValue(t, loop, 20*time.Second, func(co *gen.Co) (result, error) {
		r, err := gen.Await(co, c.Fetch(asRequest(req)))
		return result{r, err}, nil
	})
	return res.r, res.err
}

type futureUnit = future.Future[struct{}]

func resolved(l *ioloop.IOLoop) *futureUnit { return future.Resolved(l, struct{}{}) }

type futureResponse = future.Future[*httpclient.Response]

// asRequest takes a *Request, or a URL string for a plain GET.
func asRequest(req any) *httpclient.Request {
	if r, ok := req.(*httpclient.Request); ok {
		return r
	}
	return &httpclient.Request{URL: req.(string)}
}
