package websocket_test

import (
	"fmt"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/websocket"
)

// echo is a Handler: it keeps its connection in Open and answers each
// message with the same.
type echo struct{ c *websocket.Conn }

func (e *echo) Open(c *websocket.Conn)         { e.c = c }
func (e *echo) OnMessage(m *websocket.Message) { e.c.WriteMessage(m.Data, m.Binary) }
func (e *echo) OnClose()                       {}

// An echo server on an httpserver, and a client that talks to it.
func Example() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()
	srv := httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if _, err := websocket.Upgrade(w, r, websocket.Config{}, &echo{}); err != nil {
			w.WriteString(err.Error()) // the status is set: 400, 403, 405 or 426
			w.Finish()
		}
	}), httpserver.Config{})
	srv.Listen("127.0.0.1:0")
	defer srv.Close()
	url := "ws://" + srv.Addrs()[0].String() + "/echo"

	_, err := gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		c, err := gen.Await(co, websocket.Dial(loop, nil, url, websocket.DialConfig{}))
		if err != nil {
			return struct{}{}, err
		}
		c.WriteMessage([]byte("hello"), false)
		m, err := gen.Await(co, c.ReadMessage())
		if err != nil {
			return struct{}{}, err
		}
		fmt.Println(m.Text())
		c.Close(websocket.CloseNormal, "bye")
		m, err = gen.Await(co, c.ReadMessage()) // nil: closed
		fmt.Println(m == nil, c.CloseCode())
		return struct{}{}, err
	}, 0)
	fmt.Println(err)
	// Output:
	// hello
	// true 1000
	// <nil>
}
