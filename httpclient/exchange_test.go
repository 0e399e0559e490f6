package httpclient_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/looptest"
)

// Tests of one exchange's framing on its connection: when a connection may
// serve again, and what ends an exchange.

func TestEarlyAnswerToALargeBodyIsNotPooled(t *testing.T) {
	// The server answers 413 from the head, keep-alive, and reads nothing
	// more until the client has seen the answer: most of the in-memory
	// body is still queued, so the connection must not serve again (the
	// next request would follow the rest of this body).
	release := make(chan struct{})
	var once sync.Once
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		if lines := readLines(br); len(lines) == 0 {
			return
		}
		io.WriteString(c, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n")
		<-release
		io.Copy(io.Discard, br)
	})
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	loop, c := newClient(t, httpclient.Options{})
	// More than the socket buffers of both ends hold while the server
	// does not read.
	body := bytes.Repeat([]byte("b"), 16<<20)
	idle := -1
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		_, err := gen.Await(co, c.Fetch(&httpclient.Request{URL: "http://" + rs.addr + "/", Method: "POST", Body: body}))
		var he *httpclient.HTTPError
		if assert.ErrorAs(t, err, &he) {
			assert.Equal(t, 413, he.Code)
		}
		idle = c.Idle()
		return nil
	})
	once.Do(func() { close(release) })
	assert.Equal(t, 0, idle, "a connection with body bytes unsent is not pooled")
}

func TestSmallBodyConnectionIsPooled(t *testing.T) {
	// The other side of the rule: a body flushed before the answer leaves
	// the connection reusable.
	rs := rawServe(t, keepAlive("ok"))
	loop, c := newClient(t, httpclient.Options{})
	for i := range 3 {
		resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.addr + "/", Method: "POST",
			Body: bytes.Repeat([]byte("s"), 100<<10)})
		require.NoError(t, err)
		assert.Equal(t, i > 0, resp.Timing.Reused)
	}
	assert.EqualValues(t, 1, rs.accepted.Load())
}
