package websocket_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// peer is a server-side Handler that records what happens to its
// connection, and echoes messages unless onMessage says otherwise.
// Loop-only, like every handler.
type peer struct {
	c         *websocket.Conn
	msgs      []*websocket.Message
	pings     []string
	pongs     []string
	closed    bool
	code      int
	reason    string
	err       error
	onOpen    func(p *peer)
	onMessage func(p *peer, m *websocket.Message)
	done      chan *peer // told at OnClose, if set
}

func (p *peer) Open(c *websocket.Conn) {
	p.c = c
	if p.onOpen != nil {
		p.onOpen(p)
	}
}

func (p *peer) OnMessage(m *websocket.Message) {
	p.msgs = append(p.msgs, m)
	if p.onMessage != nil {
		p.onMessage(p, m)
		return
	}
	p.c.WriteMessage(m.Data, m.Binary)
}

func (p *peer) OnClose() {
	p.closed = true
	p.code, p.reason, p.err = p.c.CloseCode(), p.c.CloseReason(), p.c.Err()
	if p.done != nil {
		p.done <- p
	}
}

func (p *peer) OnPing(data []byte) { p.pings = append(p.pings, string(data)) }
func (p *peer) OnPong(data []byte) { p.pongs = append(p.pongs, string(data)) }

// server is a WebSocket server on a loop: each request upgrades with cfg
// to a handler from mk (an echoing peer if nil); peers lists them.
type server struct {
	addr  string
	peers []*peer
	srv   *httpserver.Server
}

func newServer(t testing.TB, loop *ioloop.IOLoop, cfg websocket.Config, mk func() *peer, hcfg ...httpserver.Config) *server {
	t.Helper()
	sv := &server{}
	sv.srv = httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		p := &peer{}
		if mk != nil {
			p = mk()
		}
		if _, err := websocket.Upgrade(w, r, cfg, p); err != nil {
			w.WriteString(err.Error())
			w.Finish()
			return
		}
		sv.peers = append(sv.peers, p)
	}), append(hcfg, httpserver.Config{})[0])
	require.NoError(t, sv.srv.Listen("127.0.0.1:0"))
	sv.addr = sv.srv.Addrs()[0].String()
	t.Cleanup(func() {
		// After the loop stopped: the test goroutine is the only one.
		sv.srv.Close()
		for _, p := range sv.peers {
			if p.c != nil {
				p.c.Stream().Close()
			}
		}
	})
	return sv
}

// runServer runs loop on a goroutine of its own until the test ends.
func runServer(t testing.TB, loop *ioloop.IOLoop) { looptest.Start(t, loop) }

// onLoop runs fn on a running loop and waits for it.
func onLoop[T any](loop *ioloop.IOLoop, fn func() T) T {
	ch := make(chan T, 1)
	loop.AddCallback(func() { ch <- fn() })
	return <-ch
}
