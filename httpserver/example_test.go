package httpserver_test

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// The package doc's hello world, served on a free port and fetched once
// with net/http from another goroutine.
func Example() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()

	hello := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteString("Hello, world!")
		w.Finish()
	})
	srv := httpserver.New(loop, hello, httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		panic(err)
	}
	url := "http://" + srv.Addrs()[0].String() + "/"

	go func() {
		defer loop.AddCallback(func() { srv.Close(); loop.Stop() })
		resp, err := http.Get(url)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.Status, string(body))
	}()
	loop.Start()
	// Output: 200 OK Hello, world!
}

// counter is a MessageDelegate that counts an upload's bytes as they
// arrive instead of holding the body in memory; one is made per request,
// so its fields are that request's state.
type counter struct {
	w *httpserver.Response
	n int
}

func (c *counter) HeadersReceived(w *httpserver.Response, r *httpserver.Request) error {
	if r.Method != "POST" {
		return &httpserver.StatusError{Code: 405, Msg: "POST only"}
	}
	return nil
}

func (c *counter) DataReceived(chunk []byte) error {
	c.n += len(chunk)
	return nil
}

func (c *counter) Finish() {
	c.w.WriteString(strconv.Itoa(c.n) + " bytes\n")
	c.w.Finish()
}

func (c *counter) OnConnectionClose() {} // the client left: nothing to undo

// A Handler whose StartRequest gives each request its own delegate: the
// body reaches the delegate as the connection reads it.
func ExampleMessageDelegate() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()

	upload := startFunc(func(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
		return &counter{w: w}
	})
	srv := httpserver.New(loop, upload, httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		panic(err)
	}
	url := "http://" + srv.Addrs()[0].String() + "/upload"

	go func() {
		defer loop.AddCallback(func() { srv.Close(); loop.Stop() })
		resp, err := http.Post(url, "application/octet-stream", strings.NewReader(strings.Repeat("x", 1<<20)))
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print(resp.Status, " ", string(body))
	}()
	loop.Start()
	// Output: 200 OK 1048576 bytes
}

// startFunc adapts a function to httpserver.Handler.
type startFunc func(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate

func (f startFunc) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	return f(w, r)
}
