// Command chat is Tornado's long-polling chat demo on Gornado: open the
// page in two browser windows, post in one, and the other shows the
// message without reloading.
//
//	go run ./examples/chat -addr 127.0.0.1:8888
//
// The application is package chatdemo; this program serves it on one loop
// until SIGINT or SIGTERM, then answers the waiting polls (503) and shuts
// down gracefully.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gornado/gornado/examples/chat/chatdemo"
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

// shutdownTimeout bounds the graceful shutdown: requests still running
// after it (none should, once the polls are answered) are cut.
const shutdownTimeout = 10 * time.Second

func main() {
	addr := flag.String("addr", "127.0.0.1:8888", "address to listen on")
	debug := flag.Bool("debug", false, "serve error tracebacks")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *addr, web.Config{ServeTraceback: *debug}); err != nil {
		fmt.Fprintln(os.Stderr, "chat:", err)
		os.Exit(1)
	}
}

// run serves the chat on addr until ctx ends, announcing the URL on out.
// The loop runs on the calling goroutine.
func run(ctx context.Context, out io.Writer, addr string, s web.Config) error {
	c, err := listen(addr, s)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Chat on http://%s/\n", c.srv.Addrs()[0])
	return c.serve(ctx)
}

// chatServer is the chat's loop, room and HTTP server.
type chatServer struct {
	loop *ioloop.IOLoop
	room *chatdemo.MessageBuffer
	srv  *httpserver.Server
}

// listen makes the loop, the room and the application, and listens on
// addr; nothing runs until serve.
func listen(addr string, s web.Config) (*chatServer, error) {
	loop, err := ioloop.New(ioloop.Config{CloseHandlerFDs: true})
	if err != nil {
		return nil, err
	}
	c := &chatServer{loop: loop, room: chatdemo.NewMessageBuffer(loop)}
	app, err := chatdemo.NewApplication(c.room, s)
	if err == nil {
		c.srv, err = app.Listen(loop, addr)
	}
	if err != nil {
		loop.Close()
		return nil, err
	}
	return c, nil
}

// serve runs the loop on the calling goroutine until ctx ends, then
// closes the room, so that waiting polls answer at once, shuts the server
// down gracefully and closes the loop. It returns nil, or the error of a
// shutdown cut short by shutdownTimeout.
func (c *chatServer) serve(ctx context.Context) error {
	defer c.loop.Close()
	var shutdownErr error // set on the loop, read after Start returns
	stopWatching := context.AfterFunc(ctx, func() {
		c.loop.AddCallback(func() {
			c.room.Close()
			sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			c.srv.Shutdown(sctx).AddDoneCallback(func(f *future.Future[struct{}]) {
				cancel()
				shutdownErr = f.Err()
				c.loop.Stop()
			})
		})
	})
	defer stopWatching()
	if err := c.loop.Start(); err != nil {
		return err
	}
	return shutdownErr
}
