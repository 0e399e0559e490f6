package webtest

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RawServer is a TCP server on loopback whose connections a test script
// serves with whatever bytes it likes: a malformed response, a server that
// hangs up mid-body, counted keep-alive. It is what a client's tests talk
// to when a well-behaved server would not do.
//
//	rs := webtest.NewRawServer(t, func(c net.Conn, br *bufio.Reader) {
//		br.ReadString('\n') // the request line
//		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")
//	})
//	... fetch "http://" + rs.Addr + "/", expect a truncated body
//
// Each connection is served on a goroutine of its own, with a 30-second
// hang guard; at the end of the test the listener and every connection
// (with those passed to Track) are closed, and the goroutines waited for.
type RawServer struct {
	Addr string // "127.0.0.1:port"

	ln       net.Listener
	accepted atomic.Int32
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
	closed   bool // the test ended: Track closes at once
}

// NewRawServer starts a server that serves each connection with script.
func NewRawServer(t testing.TB, script func(c net.Conn, br *bufio.Reader)) *RawServer {
	t.Helper()
	rs := listenRaw(t)
	rs.start(script)
	return rs
}

// listenRaw makes a server that listens and does not accept yet.
func listenRaw(t testing.TB) *RawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	rs := &RawServer{ln: ln, Addr: ln.Addr().String()}
	t.Cleanup(func() {
		ln.Close()
		rs.mu.Lock()
		rs.closed = true
		for _, c := range rs.conns {
			c.Close()
		}
		rs.mu.Unlock()
		rs.wg.Wait()
	})
	return rs
}

// start accepts connections and serves each with script.
func (rs *RawServer) start(script func(c net.Conn, br *bufio.Reader)) {
	rs.Go(func() {
		for {
			c, err := rs.ln.Accept()
			if err != nil {
				return
			}
			rs.accepted.Add(1)
			rs.Track(c)
			rs.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard
				script(c, bufio.NewReader(c))
			})
		}
	})
}

// Accepted returns how many connections the server accepted.
func (rs *RawServer) Accepted() int { return int(rs.accepted.Load()) }

// Track has c (a connection the script opened, say) closed at the end of
// the test with the server's own, or at once if the test has ended (a
// connection accepted, or dialled, as the listener closed): the end of
// the test waits for the scripts, and one reading c would otherwise wait
// for its hang guard.
func (rs *RawServer) Track(c net.Conn) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.closed {
		c.Close()
		return
	}
	rs.conns = append(rs.conns, c)
}

// Go runs fn on a goroutine the end of the test waits for.
func (rs *RawServer) Go(fn func()) {
	rs.wg.Add(1)
	go func() {
		defer rs.wg.Done()
		fn()
	}()
}

// ReadHead reads one HTTP head from br (a request's or a response's) and
// returns its lines, without their CRLFs and without the body: what a
// RawServer script reads before it answers. It stops early, with what it
// has, at an error.
func ReadHead(br *bufio.Reader) (lines []string) {
	for {
		line, err := br.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if err != nil || line == "" {
			return lines
		}
		lines = append(lines, line)
	}
}
