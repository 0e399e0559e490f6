package web_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
)

// GreetHandler greets, after waiting a little without holding the loop.
type GreetHandler struct {
	web.RequestHandler
	greeting string // set by the route's factory (web.Init), Tornado's initialize
}

func (h *GreetHandler) Get(co *gen.Co) error {
	name, err := h.GetArgument("name", "world")
	if err != nil {
		return err
	}
	if err := gen.Sleep(co, 10*time.Millisecond); err != nil {
		return err
	}
	return h.Write(map[string]string{"text": h.greeting + ", " + name})
}

func Example() {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/greet`, Handler: web.Init(func(h *GreetHandler) { h.greeting = "Hello" })},
	}, web.Config{NoAccessLog: true})
	if err != nil {
		log.Fatal(err)
	}
	srv, err := app.Listen(loop, "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	url := fmt.Sprintf("http://%s/greet?name=Ann", srv.Addrs()[0])

	// A client on another goroutine; the loop serves until it is done.
	go func() {
		defer loop.AddCallback(func() { srv.Close(); loop.Stop() })
		resp, err := http.Get(url)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
		fmt.Println(string(body))
	}()
	loop.Start()
	http.DefaultClient.CloseIdleConnections()
	// Output:
	// 200 application/json; charset=UTF-8
	// {"text":"Hello, Ann"}
}
