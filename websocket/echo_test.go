package websocket_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// payload is n bytes of text: UTF-8 with multi-byte characters, cut at a
// character boundary, so a little under n; binary adds every byte value.
func payload(n int, binary bool) []byte {
	var b []byte
	if binary {
		b = make([]byte, n)
		x := uint32(12345)
		for i := range b {
			x = x*1664525 + 1013904223
			b[i] = byte(x >> 24)
			if i%3 == 0 {
				b[i] = byte(i) // some runs, so compression has work
			}
		}
		return b
	}
	b = []byte(strings.Repeat("Gornado héllo wörld ✓ 𝄞 ", n/27+1))[:n]
	for len(b) > 0 && !utf8.Valid(b[max(0, len(b)-4):]) {
		b = b[:len(b)-1]
	}
	return b
}

func TestEchoClientServer(t *testing.T) {
	// 0 B to 16 MiB, the largest only where it tests something new (it
	// costs seconds under the race detector).
	sizes := []int{0, 1, 125, 126, 65535, 65536, 300_000, 1 << 20}
	modes := []struct {
		name         string
		srv, cli     *websocket.CompressionConfig
		fragS, fragC int
		compressed   bool
		huge         int // 1 adds 16 MiB binary, 2 16 MiB text
	}{
		{name: "plain", huge: 1},
		{name: "plain fragmented", fragS: 1000, fragC: 777},
		{name: "deflate", srv: &websocket.CompressionConfig{}, cli: &websocket.CompressionConfig{}, compressed: true, huge: 2},
		{name: "deflate fragmented, level 6", srv: &websocket.CompressionConfig{Level: 6}, cli: &websocket.CompressionConfig{},
			fragS: 4096, fragC: 1000, compressed: true},
		{name: "deflate no context takeover", srv: &websocket.CompressionConfig{NoContextTakeover: true},
			cli: &websocket.CompressionConfig{NoContextTakeover: true}, compressed: true},
		{name: "offered, not accepted", cli: &websocket.CompressionConfig{}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			loop := looptest.New(t)
			max := 17 << 20
			sv := newServer(t, loop, websocket.Config{Compression: m.srv, FragmentSize: m.fragS, MaxMessageSize: max}, nil)
			looptest.Run(t, loop, 60e9, func(co *gen.Co) error {
				c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+sv.addr+"/echo", websocket.DialConfig{
					Config: websocket.Config{Compression: m.cli, FragmentSize: m.fragC, MaxMessageSize: max},
				}))
				if err != nil {
					return err
				}
				assert.Equal(t, m.compressed, c.Compressed())
				all := sizes
				if m.huge > 0 {
					all = append(all, 16<<20)
				}
				for _, n := range all {
					for _, binary := range []bool{false, true} {
						if n == 16<<20 && binary != (m.huge == 1) {
							continue
						}
						want := payload(n, binary)
						if _, err := gen.Await(co, c.WriteMessage(want, binary)); err != nil {
							return err
						}
						got, err := gen.Await(co, c.ReadMessage())
						if err != nil {
							return err
						}
						if got == nil {
							return fmt.Errorf("closed at %d bytes: %v", n, c.Err())
						}
						assert.Equal(t, binary, got.Binary, "%d bytes", n)
						assert.True(t, bytes.Equal(want, got.Data), "%d bytes, binary %v: got %d bytes", n, binary, len(got.Data))
					}
				}
				c.Close(websocket.CloseNormal, "done")
				m, err := gen.Await(co, c.ReadMessage())
				assert.Nil(t, m, "ReadMessage is nil at close")
				assert.Equal(t, websocket.CloseNormal, c.CloseCode(), "the server echoed the code")
				return err
			})
			p := sv.peers[0]
			assert.True(t, p.closed)
			assert.Equal(t, websocket.CloseNormal, p.code)
			assert.Equal(t, "done", p.reason)
			assert.Equal(t, m.compressed, p.c.Compressed())
		})
	}
}

func TestCloseFromServer(t *testing.T) {
	loop := looptest.New(t)
	sv := newServer(t, loop, websocket.Config{}, func() *peer {
		return &peer{onMessage: func(p *peer, m *websocket.Message) {
			p.c.WriteMessage([]byte("last words"), false)
			p.c.Close(websocket.CloseGoingAway, "going away")
			err := p.c.WriteMessage([]byte("too late"), false).Err()
			assert.ErrorIs(t, err, websocket.ErrClosed)
			var ce *websocket.CloseError
			if assert.ErrorAs(t, err, &ce) {
				assert.Equal(t, websocket.CloseGoingAway, ce.Code)
				assert.False(t, ce.Remote)
			}
		}}
	})
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+sv.addr+"/", websocket.DialConfig{}))
		if err != nil {
			return err
		}
		c.WriteMessage([]byte("bye?"), false)
		m, err := gen.Await(co, c.ReadMessage())
		if err != nil {
			return err
		}
		assert.Equal(t, "last words", m.Text())
		m, err = gen.Await(co, c.ReadMessage())
		assert.Nil(t, m)
		assert.Equal(t, websocket.CloseGoingAway, c.CloseCode())
		assert.Equal(t, "going away", c.CloseReason())
		var ce *websocket.CloseError
		if assert.ErrorAs(t, c.Err(), &ce) {
			assert.True(t, ce.Remote)
		}
		_, err2 := gen.Await(co, c.WriteMessage([]byte("x"), true))
		assert.ErrorIs(t, err2, websocket.ErrClosed)
		assert.ErrorIs(t, c.Ping(nil), websocket.ErrClosed)
		// The server closes the TCP connection; the stream ends cleanly.
		for !c.Stream().Closed() {
			if err := gen.Sleep(co, 1e6); err != nil {
				return err
			}
		}
		return err
	})
	assert.Equal(t, websocket.CloseGoingAway, sv.peers[0].code, "the client echoed the code")
}

func TestSubprotocolAndPings(t *testing.T) {
	loop := looptest.New(t)
	sv := newServer(t, loop, websocket.Config{
		SelectSubprotocol: func(offered []string) string {
			assert.Equal(t, []string{"chat.v2", "chat.v1"}, offered)
			return "chat.v1"
		},
	}, func() *peer {
		return &peer{onMessage: func(p *peer, m *websocket.Message) {
			assert.NoError(t, p.c.Ping([]byte("from server")))
		}}
	})
	var pings, pongs []string
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+sv.addr+"/", websocket.DialConfig{
			Subprotocols: []string{"chat.v2", "chat.v1"},
			OnPing:       func(b []byte) { pings = append(pings, string(b)) },
			OnPong:       func(b []byte) { pongs = append(pongs, string(b)) },
		}))
		if err != nil {
			return err
		}
		assert.Equal(t, "chat.v1", c.Subprotocol())
		assert.ErrorIs(t, c.Ping(make([]byte, 126)), websocket.ErrControlTooLong)
		assert.NoError(t, c.Ping([]byte("from client")))
		c.WriteMessage([]byte("go"), false)
		for len(pings) == 0 || len(pongs) == 0 {
			if err := gen.Sleep(co, 1e6); err != nil {
				return err
			}
		}
		c.Close(0, "")
		m, err := gen.Await(co, c.ReadMessage())
		assert.Nil(t, m)
		assert.Equal(t, websocket.CloseNoStatus, c.CloseCode(), "an empty close is echoed empty")
		return err
	})
	assert.Equal(t, []string{"from server"}, pings)
	assert.Equal(t, []string{"from client"}, pongs)
	p := sv.peers[0]
	assert.Equal(t, "chat.v1", p.c.Subprotocol())
	assert.Equal(t, []string{"from client"}, p.pings)
	assert.Equal(t, []string{"from server"}, p.pongs)
	assert.Equal(t, websocket.CloseNoStatus, p.code)
}

func TestOnMessageCallbackAndBackPressure(t *testing.T) {
	// The server sends five messages at once; a client reading with
	// ReadMessage gets them in order (holding one while it does not
	// read), and one with OnMessage gets them and then nil.
	loop := looptest.New(t)
	sv := newServer(t, loop, websocket.Config{}, func() *peer {
		return &peer{onOpen: func(p *peer) {
			for i := range 5 {
				p.c.WriteMessage([]byte(fmt.Sprint("m", i)), false)
			}
			p.c.Close(websocket.CloseNormal, "")
		}}
	})
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+sv.addr+"/", websocket.DialConfig{}))
		if err != nil {
			return err
		}
		if err := gen.Sleep(co, 20e6); err != nil { // let everything arrive (any timing passes)
			return err
		}
		var got []string
		for {
			m, err := gen.Await(co, c.ReadMessage())
			if err != nil {
				return err
			}
			if m == nil {
				break
			}
			got = append(got, m.Text())
		}
		assert.Equal(t, []string{"m0", "m1", "m2", "m3", "m4"}, got)
		assert.Equal(t, websocket.CloseNormal, c.CloseCode())

		var cb []string
		done := make(chan struct{})
		c2, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+sv.addr+"/", websocket.DialConfig{
			OnMessage: func(m *websocket.Message) {
				if m == nil {
					close(done)
					return
				}
				cb = append(cb, m.Text())
			},
		}))
		if err != nil {
			return err
		}
		assert.Error(t, c2.ReadMessage().Err())
		for !c2.Stream().Closed() {
			if err := gen.Sleep(co, 1e6); err != nil {
				return err
			}
		}
		if err := gen.Moment(co); err != nil {
			return err
		}
		select {
		case <-done:
		default:
			return errors.New("OnMessage(nil) was not called at close")
		}
		assert.Equal(t, []string{"m0", "m1", "m2", "m3", "m4"}, cb)
		return nil
	})
}
