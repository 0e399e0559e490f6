package httpserver_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// bomb returns n zero bytes gzipped: a body of a few KiB that inflates
// to n.
func bomb(t *testing.T, n int) []byte {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	require.NoError(t, err)
	zero := make([]byte, 1<<20)
	for n > 0 {
		m := min(n, len(zero))
		zw.Write(zero[:m])
		n -= m
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// bombSite serves /bomb with a delegate that logs what it sees, and
// anything else at once. Its log and its hooks are loop-only.
type bombSite struct {
	loop    *ioloop.IOLoop
	log     []string
	pause   bool // the bomb's delegate pauses at its first piece
	paused  chan *httpserver.Response
	onFirst func(*bombDelegate)
	refused chan struct{} // OnConnectionClose was called
}

type bombDelegate struct {
	site  *bombSite
	w     *httpserver.Response
	bytes int
}

func (s *bombSite) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	if r.Path != "/bomb" {
		return httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
			s.log = append(s.log, "other served")
			w.WriteString("other")
			w.Finish()
		}).StartRequest(w, r)
	}
	return &bombDelegate{site: s, w: w}
}

func (d *bombDelegate) HeadersReceived(*httpserver.Response, *httpserver.Request) error { return nil }

func (d *bombDelegate) DataReceived(p []byte) error {
	if d.bytes == 0 {
		d.site.log = append(d.site.log, "bomb inflating")
		if d.site.onFirst != nil {
			d.site.onFirst(d)
		}
		if d.site.pause {
			d.w.PauseReading()
			d.site.paused <- d.w
		}
	}
	d.bytes += len(p)
	return nil
}

func (d *bombDelegate) Finish() {
	d.site.log = append(d.site.log, "bomb finished")
	d.w.Finish()
}

func (d *bombDelegate) OnConnectionClose() {
	d.site.log = append(d.site.log, "bomb refused")
	d.site.refused <- struct{}{}
}

func postGzip(c io.Writer, path string, body []byte) {
	io.WriteString(c, "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: "+
		strconv.Itoa(len(body))+"\r\n\r\n")
	c.Write(body)
}

// A gzip bomb is refused (413) once its inflated bytes pass the body
// limit, on the buffered path and the streamed one alike; and it is
// inflated in steps that yield to the loop, so the loop's other work and
// other clients go on meanwhile. The order of events is the assertion.
func TestGzipBombInflatesInStepsAndIs413(t *testing.T) {
	const limit = 2 << 20
	body := bomb(t, 16<<20)
	cfg := httpserver.Config{DecompressRequest: true, MaxBodySize: limit}

	t.Run("buffered", func(t *testing.T) {
		addr := serve(t, echo, cfg)
		c := dial(t, addr)
		postGzip(c, "/", body)
		resp, _ := readResponse(t, bufio.NewReader(c), "POST")
		assert.Equal(t, 413, resp.StatusCode)
	})

	t.Run("the loop runs between steps", func(t *testing.T) {
		site := &bombSite{refused: make(chan struct{}, 1)}
		var l *ioloop.IOLoop
		addr := serve(t, site, cfg, func(loop *ioloop.IOLoop, _ *httpserver.Server) {
			l = loop
			site.onFirst = func(d *bombDelegate) {
				l.AddCallback(func() {
					if d.bytes < limit {
						site.log = append(site.log, "a callback ran")
					} else {
						site.log = append(site.log, "a callback ran once the body was all inflated")
					}
				})
			}
		})
		c := dial(t, addr)
		postGzip(c, "/bomb", body)
		resp, _ := readResponse(t, bufio.NewReader(c), "POST")
		assert.Equal(t, 413, resp.StatusCode)
		expectClosed(t, c)
		<-site.refused
		assert.Equal(t, []string{"bomb inflating", "a callback ran", "bomb refused"}, onLoop(l, func() []string { return site.log }))
	})

	t.Run("another client is served meanwhile", func(t *testing.T) {
		site := &bombSite{pause: true, paused: make(chan *httpserver.Response, 1), refused: make(chan struct{}, 1)}
		var l *ioloop.IOLoop
		addr := serve(t, site, cfg, func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })
		c := dial(t, addr)
		postGzip(c, "/bomb", body)
		w := <-site.paused // inflating, and its delegate paused it
		_, got := roundTrip(t, addr, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
		assert.Equal(t, "other", got)
		l.AddCallback(w.ResumeReading)
		resp, _ := readResponse(t, bufio.NewReader(c), "POST")
		assert.Equal(t, 413, resp.StatusCode)
		expectClosed(t, c)
		<-site.refused
		assert.Equal(t, []string{"bomb inflating", "other served", "bomb refused"}, onLoop(l, func() []string { return site.log }))
	})

	t.Run("a body within the limit", func(t *testing.T) {
		site := &bombSite{}
		var l *ioloop.IOLoop
		addr := serve(t, site, httpserver.Config{DecompressRequest: true, MaxBodySize: 100 << 20},
			func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })
		c := dial(t, addr)
		postGzip(c, "/bomb", body)
		resp, _ := readResponse(t, bufio.NewReader(c), "POST")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, []string{"bomb inflating", "bomb finished"}, onLoop(l, func() []string { return site.log }))
	})
}

// onLoop returns fn's result, computed on the loop.
func onLoop[T any](l *ioloop.IOLoop, fn func() T) T {
	ch := make(chan T)
	l.AddCallback(func() { ch <- fn() })
	return <-ch
}
