package interop

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// Gornado's websocket package against other implementations, both ways
// (Gornado's server with the peer's client, the peer's server with
// Gornado's client), with and without permessage-deflate, text and
// binary, 0 B to 16 MiB:
//
//	websocket_test.go         the shared parts, and Python's websockets
//	                          and Tornado (testdata/ws_peer.py)
//	websocket_go_test.go      gorilla/websocket and coder/websocket, in
//	                          this process; gorilla also mounted in
//	                          Gornado through web/nethttp's Hijack
//	websocket_node_test.go    Node's ws (testdata/ws_node.js)
//	wswire_test.go            a frame counter on the Go peers' sockets

const wsMax = 17 << 20

// wsSizes are the message sizes every peer sends: the edges of the
// frame's 7-bit, 16-bit and 64-bit lengths, and large messages.
var wsSizes = []int{0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20}

// wsFragmentSize is Gornado's Config.FragmentSize when a test has its
// side send fragmented messages: odd, so that fragments end inside
// UTF-8 characters and compressed blocks.
const wsFragmentSize = 4093

// The close frame of the side that closes first, which the other side
// must receive as sent. A client asks a server to close first with the
// text message wsByeRequest.
const (
	wsByeCode    = 4000
	wsByeReason  = "bye ✓"
	wsByeRequest = "bye"
)

// wsCase is how a test's two sides talk: with permessage-deflate or
// without, and each message whole (one frame) or fragmented by both
// sides (Gornado's in frames of wsFragmentSize).
type wsCase struct{ deflate, fragment bool }

// wsCases are every combination.
var wsCases = []wsCase{{false, false}, {false, true}, {true, false}, {true, true}}

func (c wsCase) String() string {
	m := "plain"
	if c.deflate {
		m = "deflate"
	}
	if c.fragment {
		m += " fragmented"
	}
	return m
}

// config is the configuration of Gornado's side.
func (c wsCase) config() websocket.Config {
	cfg := websocket.Config{MaxMessageSize: wsMax}
	if c.deflate {
		cfg.Compression = &websocket.CompressionConfig{}
	}
	if c.fragment {
		cfg.FragmentSize = wsFragmentSize
	}
	return cfg
}

// sizes are the sizes of the messages sent: every one of wsSizes whole,
// and fragmented up to 1 MiB, which takes the same paths (hundreds of
// fragments a message) as 16 MiB for a tenth of the race detector's time.
// testdata/ws_node.js follows the same rule.
func (c wsCase) sizes() []int {
	if c.fragment {
		return wsSizes[:len(wsSizes)-1]
	}
	return wsSizes
}

// wsServer is a Gornado echo server running for a test.
type wsServer struct {
	url    string
	closed chan wsClosed // a connection's end, as its OnClose saw it
}

// wsClosed is how a connection of the echo server ended.
type wsClosed struct {
	compressed bool // permessage-deflate was agreed
	code       int
	reason     string
}

// wsEcho is the echo handler of Gornado's side.
type wsEcho struct {
	c   *websocket.Conn
	srv *wsServer
}

func (e *wsEcho) Open(c *websocket.Conn) { e.c = c }

func (e *wsEcho) OnMessage(m *websocket.Message) {
	if !m.Binary && m.Text() == wsByeRequest {
		e.c.Close(wsByeCode, wsByeReason)
		return
	}
	e.c.WriteMessage(m.Data, m.Binary)
}

func (e *wsEcho) OnClose() {
	select {
	case e.srv.closed <- wsClosed{e.c.Compressed(), e.c.CloseCode(), e.c.CloseReason()}:
	default: // a test that does not look
	}
}

// serveWS runs a Gornado echo server with cfg until the end of the test.
func serveWS(t *testing.T, cfg websocket.Config) *wsServer {
	t.Helper()
	l := looptest.New(t)
	s := &wsServer{closed: make(chan wsClosed, 16)}
	var conns []*websocket.Conn
	srv := httpserver.New(l, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		c, err := websocket.Upgrade(w, r, cfg, &wsEcho{srv: s})
		if err != nil {
			w.WriteString(err.Error())
			w.Finish()
			return
		}
		conns = append(conns, c)
	}), httpserver.Config{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	looptest.Start(t, l, func() {
		srv.Shutdown(context.Background())
		srv.Close()
		for _, c := range conns {
			c.Stream().Close()
		}
	})
	s.url = "ws://" + srv.Addrs()[0].String() + "/echo"
	return s
}

// nextClosed waits for the end of a connection of the server.
func (s *wsServer) nextClosed(t *testing.T) wsClosed {
	t.Helper()
	select {
	case c := <-s.closed:
		return c
	case <-time.After(hangGuard):
		t.Fatal("no connection of the echo server closed (hang guard)")
		return wsClosed{}
	}
}

// dialWS is Gornado's client against an echo server at url, on a loop of
// its own, set up for c: it sends every size of c.sizes, text and binary,
// and checks each echo; then it closes with code and reason and checks
// the server answered with the same code.
func dialWS(t *testing.T, url string, c wsCase, code int, reason string) {
	t.Helper()
	loop := looptest.New(t)
	looptest.Run(t, loop, hangGuard, func(co *gen.Co) error {
		cc, err := gen.Await(co, websocket.Dial(loop, nil, url, websocket.DialConfig{Config: c.config()}))
		if err != nil {
			return err
		}
		assert.Equal(t, c.deflate, cc.Compressed(), "permessage-deflate agreed")
		for _, n := range c.sizes() {
			for _, binary := range []bool{false, true} {
				want := wsPayload(n, binary)
				if _, err := gen.Await(co, cc.WriteMessage(want, binary)); err != nil {
					return err
				}
				m, err := gen.Await(co, cc.ReadMessage())
				if err != nil {
					return err
				}
				if m == nil {
					return fmt.Errorf("closed at %d bytes: %v", n, cc.Err())
				}
				assert.Equal(t, binary, m.Binary)
				assert.True(t, bytes.Equal(want, m.Data), "%d bytes, binary %v", n, binary)
			}
		}
		cc.Close(code, reason)
		m, err := gen.Await(co, cc.ReadMessage())
		assert.Nil(t, m)
		assert.Equal(t, code, cc.CloseCode(), "the server's close code")
		return err
	})
}

// dialWSBye is Gornado's client asking the server at url to close first
// (wsByeRequest): the server's close frame must arrive as sent.
func dialWSBye(t *testing.T, url string) {
	t.Helper()
	loop := looptest.New(t)
	looptest.Run(t, loop, hangGuard, func(co *gen.Co) error {
		cc, err := gen.Await(co, websocket.Dial(loop, nil, url, websocket.DialConfig{}))
		if err != nil {
			return err
		}
		if _, err := gen.Await(co, cc.WriteMessage([]byte(wsByeRequest), false)); err != nil {
			return err
		}
		m, err := gen.Await(co, cc.ReadMessage())
		assert.Nil(t, m)
		assert.Equal(t, wsByeCode, cc.CloseCode(), "the server's close code")
		assert.Equal(t, wsByeReason, cc.CloseReason(), "the server's close reason")
		return err
	})
}

// wsPayload is n bytes of text (UTF-8, cut at a character) or binary.
func wsPayload(n int, binary bool) []byte {
	if binary {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*7 + i>>8)
		}
		return b
	}
	b := []byte(strings.Repeat("Gornado héllo wörld ✓ 𝄞 ", n/20+1))[:n]
	return []byte(strings.ToValidUTF8(string(b), ""))
}

// peerServer is a peer's echo server process.
type peerServer struct {
	url   string
	lines chan string // the lines it prints after its port
}

// servePeer starts a peer's echo server, which prints "PORT n" once it
// listens on 127.0.0.1; it is killed at the end of the test.
func servePeer(t *testing.T, name string, args ...string) *peerServer {
	t.Helper()
	cmd := exec.Command(name, args...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	port := make(chan string, 1)
	p := &peerServer{lines: make(chan string, 64)}
	go func() {
		defer close(p.lines)
		started := port
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if n, ok := strings.CutPrefix(sc.Text(), "PORT "); ok && started != nil {
				started <- n
				started = nil
				continue
			}
			select {
			case p.lines <- sc.Text():
			default: // a test that does not look
			}
		}
		if started != nil {
			close(started)
		}
	}()
	select {
	case n, ok := <-port:
		require.True(t, ok, "%v exited: %s", args, stderr.String())
		p.url = "ws://127.0.0.1:" + n + "/echo"
		return p
	case <-time.After(hangGuard):
		t.Fatalf("%v did not start: %s", args, stderr.String())
	}
	return nil
}

// line waits for the next line the peer prints that starts with prefix,
// and returns the rest.
func (p *peerServer) line(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(hangGuard)
	for {
		select {
		case l, ok := <-p.lines:
			require.True(t, ok, "the peer exited before printing %q", prefix)
			if rest, ok := strings.CutPrefix(l, prefix); ok {
				return rest
			}
		case <-timeout:
			t.Fatalf("the peer printed no %q (hang guard)", prefix)
		}
	}
}

var wsPythonPeers = []string{"websockets", "tornado"}

func TestWebSocketPythonClients(t *testing.T) {
	needPythonModule(t, "websockets")
	needPythonModule(t, "tornado")
	for _, peer := range wsPythonPeers {
		for _, mode := range []string{"plain", "deflate"} {
			t.Run(peer+" "+mode, func(t *testing.T) {
				s := serveWS(t, wsCase{deflate: mode == "deflate"}.config())
				r := mustRun(t, python, "testdata/ws_peer.py", "client", peer, s.url, mode)
				assert.True(t, strings.HasPrefix(r.stdout, "OK "), r.stdout)
			})
		}
	}
}

func TestWebSocketPythonServers(t *testing.T) {
	needPythonModule(t, "websockets")
	needPythonModule(t, "tornado")
	for _, peer := range wsPythonPeers {
		for _, mode := range []string{"plain", "deflate"} {
			t.Run(peer+" "+mode, func(t *testing.T) {
				p := servePeer(t, python, "testdata/ws_peer.py", "server", peer, mode)
				dialWS(t, p.url, wsCase{deflate: mode == "deflate"}, websocket.CloseNormal, "done")
			})
		}
	}
}
