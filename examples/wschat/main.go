// Command wschat is Tornado's WebSocket chat demo (demos/websocket) on
// Gornado: open the page in two browser windows, post in one, and the
// other shows the message at once, over a WebSocket. Every socket is a
// handler on the loop; an idle one costs a few hundred bytes and no
// goroutine.
//
//	go run ./examples/wschat -addr 127.0.0.1:8888
package main

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/websocket"
)

//go:embed templates static
var files embed.FS

// cacheSize is how many messages a new visitor sees, as in Tornado's demo.
const cacheSize = 200

// message is one chat message, as the page gets it.
type message struct {
	ID   string `json:"id"`
	Body string `json:"body"`
	HTML string `json:"html"`
}

// room is the chat's state: the open sockets and the last messages.
// Loop-only, as every handler using it.
type room struct {
	waiters map[*chatSocket]bool
	cache   []message
}

type mainHandler struct {
	web.RequestHandler
	room *room
}

func (h *mainHandler) Get(co *gen.Co) error { return h.Render("index.html", h.room.cache) }

type chatSocket struct {
	web.WebSocketHandler
	room *room
}

func (h *chatSocket) Open()    { h.room.waiters[h] = true }
func (h *chatSocket) OnClose() { delete(h.room.waiters, h) }

func (h *chatSocket) OnMessage(m *websocket.Message) {
	var in struct{ Body string }
	if err := json.Unmarshal(m.Data, &in); err != nil || in.Body == "" {
		return
	}
	id := make([]byte, 8)
	rand.Read(id)
	msg := message{ID: hex.EncodeToString(id), Body: in.Body}
	html, err := h.RenderString("message.html", msg)
	if err != nil {
		h.Application.Logger().Error("wschat: rendering a message", "error", err)
		return
	}
	msg.HTML = html
	h.room.cache = append(h.room.cache, msg)
	if n := len(h.room.cache); n > cacheSize {
		h.room.cache = h.room.cache[n-cacheSize:]
	}
	out, _ := json.Marshal(msg)
	for w := range h.room.waiters {
		w.WriteMessage(out, false)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8888", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "wschat:", err)
		os.Exit(1)
	}
}

// run serves the chat until ctx ends, announcing the URL on out.
func run(ctx context.Context, out io.Writer, addr string) error {
	loop, err := ioloop.New(ioloop.Config{CloseHandlerFDs: true}) // the sockets too, at Close
	if err != nil {
		return err
	}
	defer loop.Close()
	r := &room{waiters: map[*chatSocket]bool{}}
	tfs, _ := fs.Sub(files, "templates")
	sfs, _ := fs.Sub(files, "static")
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: web.Init(func(h *mainHandler) { h.room = r })},
		{Pattern: `/chatsocket`, Handler: web.Init(func(h *chatSocket) { h.room = r })},
	}, web.Config{TemplateFS: tfs, StaticFS: sfs, XSRFCookies: true, CookieSecret: "__TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__"})
	if err != nil {
		return err
	}
	srv, err := app.Listen(loop, addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "WebSocket chat on http://%s/\n", srv.Addrs()[0])
	// The server forgets taken-over connections: say goodbye to them.
	defer context.AfterFunc(ctx, func() {
		loop.AddCallback(func() {
			for w := range r.waiters {
				w.Close(websocket.CloseGoingAway, "server shutting down")
			}
		})
	})()
	return srv.Run(ctx)
}
