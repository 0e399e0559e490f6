package web_test

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/websocket"
)

// echoSocket echoes messages, prefixed with the room from its path, and
// reports its close through closed.
type echoSocket struct {
	web.WebSocketHandler
	room   string
	closed chan string
}

func (h *echoSocket) Open()                               { h.room = h.PathArgs[0] }
func (h *echoSocket) SelectSubprotocol(o []string) string { return o[len(o)-1] }
func (h *echoSocket) OnMessage(m *websocket.Message) {
	if m.Binary {
		h.WriteMessage(m.Data, true)
		return
	}
	h.WriteMessage([]byte(h.room+": "+m.Text()), false)
}
func (h *echoSocket) OnClose() {
	h.closed <- h.Request.Path
}

type privateSocket struct{ web.WebSocketHandler }

func (h *privateSocket) OnMessage(*websocket.Message) {}

func TestWebSocketHandler(t *testing.T) {
	closed := make(chan string, 1)
	s := serveApp(t, []web.Route{
		{Pattern: `/ws/(\w+)`, Handler: func() web.Handler { return &echoSocket{closed: closed} }},
		{Pattern: `/private`, Handler: web.Authenticated(web.Make[privateSocket]())},
	}, web.Config{LoginURL: "/login"})
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `status=(302|403)`)
	cl := looptest.New(t)
	url := "ws://" + s.Addr
	looptest.Run(t, cl, 0, func(co *gen.Co) error {
		c, err := gen.Await(co, websocket.Dial(cl, nil, url+"/ws/lobby", websocket.DialConfig{Subprotocols: []string{"a", "b"}}))
		if err != nil {
			return err
		}
		assert.Equal(t, "b", c.Subprotocol())
		for _, m := range []struct {
			data   string
			binary bool
			want   string
		}{{"hello", false, "lobby: hello"}, {"\x00\x01", true, "\x00\x01"}} {
			if _, err := gen.Await(co, c.WriteMessage([]byte(m.data), m.binary)); err != nil {
				return err
			}
			got, err := gen.Await(co, c.ReadMessage())
			if err != nil {
				return err
			}
			assert.Equal(t, m.want, string(got.Data))
			assert.Equal(t, m.binary, got.Binary)
		}
		c.Close(websocket.CloseNormal, "bye")
		end, err := gen.Await(co, c.ReadMessage())
		assert.Nil(t, end, "nil at close")

		// The upgrade request goes through Authenticated: refused.
		_, err = gen.Await(co, websocket.Dial(cl, nil, url+"/private", websocket.DialConfig{}))
		var he *httpclient.HTTPError
		if assert.True(t, errors.As(err, &he), "%v", err) {
			assert.Equal(t, 302, he.Code, "to the login page")
		}
		// Another origin: refused, as Tornado's check_origin.
		var d websocket.DialConfig
		d.Header.Set("Origin", "http://evil.example")
		_, err = gen.Await(co, websocket.Dial(cl, nil, url+"/ws/x", d))
		require.Error(t, err)
		assert.True(t, strings.Contains(err.Error(), "403"), "%v", err)
		return nil
	})
	assert.Equal(t, "/ws/lobby", <-closed, "OnClose ran")
}
