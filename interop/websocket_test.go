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

// Gornado's websocket package against Python's websockets (Debian's
// python3-websockets) and Tornado's websocket module, both ways, with and
// without permessage-deflate, text and binary, 0 B to 16 MiB:
// testdata/ws_peer.py.

const wsMax = 17 << 20

var wsPeers = []string{"websockets", "tornado"}

// wsEcho is the echo handler of Gornado's side.
type wsEcho struct{ c *websocket.Conn }

func (e *wsEcho) Open(c *websocket.Conn)         { e.c = c }
func (e *wsEcho) OnMessage(m *websocket.Message) { e.c.WriteMessage(m.Data, m.Binary) }
func (e *wsEcho) OnClose()                       {}

// serveWS runs a Gornado echo server and returns its ws:// URL.
func serveWS(t *testing.T, deflate bool) string {
	t.Helper()
	l := looptest.New(t)
	cfg := websocket.Config{MaxMessageSize: wsMax}
	if deflate {
		cfg.Compression = &websocket.CompressionConfig{}
	}
	var conns []*websocket.Conn
	srv := httpserver.New(l, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		c, err := websocket.Upgrade(w, r, cfg, &wsEcho{})
		if err != nil {
			w.WriteString(err.Error())
			w.Finish()
			return
		}
		conns = append(conns, c)
	}), httpserver.Config{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.Start()
	}()
	t.Cleanup(func() {
		l.AddCallback(func() {
			srv.Shutdown(context.Background())
			srv.Close()
			for _, c := range conns {
				c.Stream().Close()
			}
			l.Stop()
		})
		<-stopped
	})
	return "ws://" + srv.Addrs()[0].String() + "/echo"
}

func TestWebSocketPythonClients(t *testing.T) {
	needPythonModule(t, "websockets")
	needPythonModule(t, "tornado")
	for _, peer := range wsPeers {
		for _, mode := range []string{"plain", "deflate"} {
			t.Run(peer+" "+mode, func(t *testing.T) {
				url := serveWS(t, mode == "deflate")
				r := mustRun(t, python, "testdata/ws_peer.py", "client", peer, url, mode)
				assert.True(t, strings.HasPrefix(r.stdout, "OK "), r.stdout)
			})
		}
	}
}

// servePeer starts a peer's echo server and returns its ws:// URL.
func servePeer(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(python, args...)
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
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "PORT "); ok {
				port <- p
			}
		}
		close(port)
	}()
	select {
	case p, ok := <-port:
		require.True(t, ok, "%v exited: %s", args, stderr.String())
		return "ws://127.0.0.1:" + p + "/echo"
	case <-time.After(hangGuard):
		t.Fatalf("%v did not start: %s", args, stderr.String())
	}
	return ""
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

func TestWebSocketPythonServers(t *testing.T) {
	needPythonModule(t, "websockets")
	needPythonModule(t, "tornado")
	sizes := []int{0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20}
	for _, peer := range wsPeers {
		for _, mode := range []string{"plain", "deflate"} {
			t.Run(peer+" "+mode, func(t *testing.T) {
				url := servePeer(t, "testdata/ws_peer.py", "server", peer, mode)
				loop := looptest.New(t)
				cfg := websocket.DialConfig{Config: websocket.Config{MaxMessageSize: wsMax}}
				if mode == "deflate" {
					cfg.Compression = &websocket.CompressionConfig{}
				}
				looptest.Run(t, loop, hangGuard, func(co *gen.Co) error {
					c, err := gen.Await(co, websocket.Dial(loop, nil, url, cfg))
					if err != nil {
						return err
					}
					assert.Equal(t, mode == "deflate", c.Compressed())
					for _, n := range sizes {
						for _, binary := range []bool{false, true} {
							want := wsPayload(n, binary)
							if _, err := gen.Await(co, c.WriteMessage(want, binary)); err != nil {
								return err
							}
							m, err := gen.Await(co, c.ReadMessage())
							if err != nil {
								return err
							}
							if m == nil {
								return fmt.Errorf("closed at %d bytes: %v", n, c.Err())
							}
							assert.Equal(t, binary, m.Binary)
							assert.True(t, bytes.Equal(want, m.Data), "%d bytes, binary %v", n, binary)
						}
					}
					c.Close(websocket.CloseNormal, "done")
					m, err := gen.Await(co, c.ReadMessage())
					assert.Nil(t, m)
					assert.Equal(t, websocket.CloseNormal, c.CloseCode())
					return err
				})
			})
		}
	}
}
