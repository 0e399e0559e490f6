package websocket_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

func TestKeepaliveAnswered(t *testing.T) {
	// A client answers the server's pings by itself: the connection
	// stays open past many timeouts' worth of pings.
	loop := looptest.New(t)
	sv := newServer(t, loop, websocket.Config{PingInterval: 2 * time.Millisecond, PingTimeout: 100 * time.Millisecond}, nil)
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		c, err := gen.Await(co, websocket.Dial(loop, nil, "ws://"+sv.addr+"/", websocket.DialConfig{}))
		if err != nil {
			return err
		}
		for len(sv.peers) == 0 || len(sv.peers[0].pongs) < 10 {
			if err := gen.Sleep(co, time.Millisecond); err != nil {
				return err
			}
		}
		assert.False(t, c.Closing())
		assert.False(t, sv.peers[0].c.Closing())
		c.Close(websocket.CloseNormal, "")
		_, err = gen.Await(co, c.ReadMessage())
		return err
	})
}

func TestKeepaliveTimeout(t *testing.T) {
	// A raw client that never answers pings: the server fails the
	// connection with 1011 (ErrPingTimeout).
	loop := looptest.New(t)
	done := make(chan *peer, 1)
	sv := newServer(t, loop, websocket.Config{PingInterval: 2 * time.Millisecond, PingTimeout: 10 * time.Millisecond},
		func() *peer { return &peer{done: done} })
	runServer(t, loop)
	r := upgraded(t, sv.addr, "")
	pings := 0
	for {
		f, _, err := r.read()
		require.NoError(t, err)
		if f == fPing {
			pings++
			continue
		}
		require.Equal(t, byte(fClose), f)
		break
	}
	r.expectEOF()
	assert.Positive(t, pings)
	p := <-done
	assert.ErrorIs(t, p.err, websocket.ErrPingTimeout)
	assert.Equal(t, websocket.CloseAbnormal, p.code, "the peer sent no close frame")
}

func TestHandlerPanicFails1011(t *testing.T) {
	loop := looptest.New(t)
	looptest.ExpectLog(t, loop, slog.LevelError, "handler panicked")
	done := make(chan *peer, 1)
	sv := newServer(t, loop, websocket.Config{}, func() *peer {
		return &peer{done: done, onMessage: func(*peer, *websocket.Message) { panic("boom") }}
	})
	runServer(t, loop)
	r := upgraded(t, sv.addr, "")
	r.send(frame(fText, []byte("explode")))
	r.expectClose(1011)
	p := <-done
	assert.True(t, p.closed, "OnClose runs after a panic too")
}

func TestCloseTimeoutDropsSilentPeer(t *testing.T) {
	// The server closes; the raw client never answers: after
	// CloseTimeout the connection is dropped anyway.
	loop := looptest.New(t)
	done := make(chan *peer, 1)
	sv := newServer(t, loop, websocket.Config{CloseTimeout: 5 * time.Millisecond}, func() *peer {
		return &peer{done: done, onOpen: func(p *peer) { p.c.Close(4001, "leaving") }}
	})
	runServer(t, loop)
	r := upgraded(t, sv.addr, "")
	f, p, err := r.read()
	require.NoError(t, err)
	assert.Equal(t, byte(fClose), f)
	assert.Equal(t, closePayload(4001, "leaving"), p)
	r.expectEOF()
	pr := <-done
	assert.Equal(t, websocket.CloseAbnormal, pr.code)
	var ce *websocket.CloseError
	if assert.ErrorAs(t, pr.err, &ce) {
		assert.Equal(t, 4001, ce.Code, "Err is the close this side started")
	}
}
