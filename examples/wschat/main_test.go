package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// syncBuffer collects output written by another goroutine.
type syncBuffer struct{ ch chan string }

func (b *syncBuffer) Write(p []byte) (int, error) { b.ch <- string(p); return len(p), nil }

func TestTwoVisitors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{ch: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, out, "127.0.0.1:0") }()
	var base string
	select {
	case line := <-out.ch:
		base = strings.TrimSuffix(regexp.MustCompile(`http://\S+/`).FindString(line), "/")
	case err := <-done:
		t.Fatal(err)
	}
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
	cancel()
	require.NoError(t, <-done)
}
