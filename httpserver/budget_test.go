package httpserver_test

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

func post(path string, n int) string {
	return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + strconv.Itoa(n) + "\r\n\r\n" + strings.Repeat("b", n)
}

// The bodies the server holds in memory at once are bounded across
// connections (Config.MaxBufferedBodySize): past it a request is
// answered 503, and once the bodies held are let go, requests are served
// again.
func TestBufferedBodiesShareABudget(t *testing.T) {
	held := make(chan *httpserver.Response, 1)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if r.Path == "/hold" {
			held <- w // answered later, by the test: its body stays held
			return
		}
		w.WriteString("got " + strconv.Itoa(len(r.Body)))
		w.Finish()
	})
	var l *ioloop.IOLoop
	cfg := httpserver.Config{MaxBodySize: 1000, MaxBufferedBodySize: 1500}
	addr := serve(t, h, cfg, func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })

	first := dial(t, addr)
	io.WriteString(first, post("/hold", 1000))
	w := <-held

	resp, _ := roundTrip(t, addr, post("/x", 600))
	assert.Equal(t, 503, resp.StatusCode, "1000 + 600 bytes held would pass 1500")
	assert.True(t, resp.Close)
	_, body := roundTrip(t, addr, post("/x", 400))
	assert.Equal(t, "got 400", body, "1000 + 400 bytes fit")

	l.AddCallback(func() { w.Finish() })
	resp, _ = readResponse(t, bufio.NewReader(first), "POST")
	require.Equal(t, 200, resp.StatusCode)
	_, body = roundTrip(t, addr, post("/x", 600))
	assert.Equal(t, "got 600", body, "the held body was let go with its response")

	// A chunked body counts as it grows.
	c := dial(t, addr)
	io.WriteString(c, "POST /hold HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n"+strings.Repeat("c", 1000)+"\r\n0\r\n\r\n")
	w = <-held
	resp, _ = roundTrip(t, addr, "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n"+strings.Repeat("c", 600)+"\r\n0\r\n\r\n")
	assert.Equal(t, 503, resp.StatusCode)
	l.AddCallback(func() { w.Finish() })
	readResponse(t, bufio.NewReader(c), "POST")
}

// presized is a delegate that collects the body into a buffer of a
// capacity it chose, and holds /hold requests unanswered.
type presized struct {
	w    *httpserver.Response
	r    *httpserver.Request
	size int
	held chan *httpserver.Response
}

func (p *presized) HeadersReceived(w *httpserver.Response, r *httpserver.Request) error {
	p.w, p.r = w, r
	r.Body = make([]byte, 0, p.size)
	return nil
}

func (p *presized) DataReceived(chunk []byte) error {
	p.r.Body = append(p.r.Body, chunk...)
	return nil
}

func (p *presized) Finish() {
	if p.r.Path == "/hold" {
		p.held <- p.w
		return
	}
	p.w.WriteString("got " + strconv.Itoa(len(p.r.Body)))
	p.w.Finish()
}

func (p *presized) OnConnectionClose() {}

type presizedHandler struct{ held chan *httpserver.Response }

func (h presizedHandler) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	size := 16
	if r.Path == "/hold" {
		size = 1400
	}
	return &presized{size: size, held: h.held}
}

// The budget counts the memory a body holds (its buffer's capacity), not
// its length: a 10-byte body in a 1400-byte buffer counts 1400.
func TestBudgetCountsCapacity(t *testing.T) {
	h := presizedHandler{held: make(chan *httpserver.Response, 1)}
	var l *ioloop.IOLoop
	addr := serve(t, h, httpserver.Config{MaxBufferedBodySize: 1500},
		func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })
	first := dial(t, addr)
	io.WriteString(first, post("/hold", 10))
	w := <-h.held
	resp, _ := roundTrip(t, addr, post("/x", 200))
	assert.Equal(t, 503, resp.StatusCode, "1400 + 200 bytes of buffers held would pass 1500")
	l.AddCallback(func() { w.Finish() })
	resp, _ = readResponse(t, bufio.NewReader(first), "POST")
	require.Equal(t, 200, resp.StatusCode)
	_, body := roundTrip(t, addr, post("/x", 200))
	assert.Equal(t, "got 200", body, "the held buffer was let go with its response")
}

// A body buffer kept from an earlier request (exchanges are reused) is
// not charged to the next, small, body: it counts its length until it
// grows.
func TestBudgetKeptBufferCountsLength(t *testing.T) {
	held := make(chan *httpserver.Response, 1)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if r.Path == "/hold" {
			held <- w
			return
		}
		w.WriteString("got " + strconv.Itoa(len(r.Body)))
		w.Finish()
	})
	var l *ioloop.IOLoop
	cfg := httpserver.Config{MaxBodySize: 64 << 10, MaxBufferedBodySize: 50 << 10}
	addr := serve(t, h, cfg, func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })
	_, body := roundTrip(t, addr, post("/x", 40<<10))
	require.Equal(t, "got 40960", body) // its exchange keeps a 40 KiB buffer
	first := dial(t, addr)
	io.WriteString(first, post("/hold", 10)) // reuses that exchange
	w := <-held
	_, body = roundTrip(t, addr, post("/x", 20<<10))
	assert.Equal(t, "got 20480", body, "10 bytes held, not the 40 KiB buffer they sit in")
	l.AddCallback(func() { w.Finish() })
	readResponse(t, bufio.NewReader(first), "POST")
}
