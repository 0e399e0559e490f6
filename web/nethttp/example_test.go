package nethttp_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

type MainHandler struct{ web.RequestHandler }

func (h *MainHandler) Get(co *gen.Co) error { return h.Write("native, on the loop\n") }

// The package doc's shape: a net/http mux mounted under a route of a
// Gornado application, its handlers run on the container's workers.
func Example() {
	mux := http.NewServeMux()
	mux.HandleFunc("/legacy/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "net/http, on a worker") // may block: not on the loop
	})
	legacy := nethttp.NewContainer(mux, nethttp.Config{Threads: 4})
	defer legacy.Close()

	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()
	app, err := web.NewApplication([]web.Route{
		{Pattern: `/`, Handler: web.Make[MainHandler]()},
		{Pattern: `/legacy/.*`, Handler: legacy.Handler()},
	}, web.Config{NoAccessLog: true})
	if err != nil {
		log.Fatal(err)
	}
	srv, err := app.Listen(loop, "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	base := fmt.Sprintf("http://%s", srv.Addrs()[0])

	go func() {
		defer loop.AddCallback(func() { srv.Close(); loop.Stop() })
		for _, path := range []string{"/", "/legacy/hello"} {
			resp, err := http.Get(base + path)
			if err != nil {
				fmt.Println(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			fmt.Print(path, ": ", string(body))
		}
		http.DefaultClient.CloseIdleConnections()
	}()
	loop.Start()
	// Output:
	// /: native, on the loop
	// /legacy/hello: net/http, on a worker
}

// Serve is waitress.serve for an http.Handler: one call, until the
// context ends.
func ExampleServe() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from", r.URL.Path)
	})
	ctx, cancel := context.WithCancel(context.Background())
	err := nethttp.Serve(ctx, "127.0.0.1:0", mux, nethttp.Config{
		Threads: 8,
		Ready: func(addrs []net.Addr) {
			// Ready runs before Serve starts answering: ask from elsewhere.
			go func() {
				defer cancel()
				resp, err := http.Get(fmt.Sprintf("http://%s/page", addrs[0]))
				if err != nil {
					fmt.Println(err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				fmt.Print(string(body))
				http.DefaultClient.CloseIdleConnections()
			}()
		},
	})
	fmt.Println("Serve returned", err)
	// Output:
	// hello from /page
	// Serve returned <nil>
}
