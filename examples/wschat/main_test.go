package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/webtest"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

func TestTwoVisitors(t *testing.T) {
	p := webtest.RunMain(t, func(ctx context.Context, out io.Writer) error {
		return run(ctx, out, "127.0.0.1:0")
	})
	base := p.URL
	resp, err := http.Get(base + "/")
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(page), `id="messageform"`)

	// Two visitors: what one posts, both get, rendered.
	l := looptest.New(t)
	ws := "ws://" + strings.TrimPrefix(base, "http://") + "/chatsocket"
	looptest.Run(t, l, 0, func(co *gen.Co) error {
		a, err := gen.Await(co, websocket.Dial(l, nil, ws, websocket.DialConfig{}))
		if err != nil {
			return err
		}
		b, err := gen.Await(co, websocket.Dial(l, nil, ws, websocket.DialConfig{}))
		if err != nil {
			return err
		}
		if _, err := gen.Await(co, a.WriteMessage([]byte(`{"body": "hello <b>"}`), false)); err != nil {
			return err
		}
		for _, c := range []*websocket.ClientConn{a, b} {
			m, err := gen.Await(co, c.ReadMessage())
			if err != nil {
				return err
			}
			var msg struct{ ID, Body, HTML string }
			require.NoError(t, json.Unmarshal(m.Data, &msg))
			assert.Equal(t, "hello <b>", msg.Body)
			assert.Equal(t, `<div class="message" id="m`+msg.ID+`">hello &lt;b&gt;</div>`+"\n", msg.HTML, "escaped by html/template")
		}
		for _, c := range []*websocket.ClientConn{a, b} {
			c.Close(websocket.CloseNormal, "")
			if m, err := gen.Await(co, c.ReadMessage()); m != nil || err != nil {
				t.Errorf("after Close: %v, %v", m, err)
			}
		}
		return nil
	})
	resp, err = http.Get(base + "/")
	require.NoError(t, err)
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(page), "hello &lt;b&gt;", "a new visitor sees the cache")
	require.NoError(t, p.Stop())
}

// The built program prints its URL and exits 0 on SIGINT and SIGTERM.
func TestStopsOnSignals(t *testing.T) { webtest.CheckStopsOnSignals(t) }
