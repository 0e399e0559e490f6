package httpclient_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// A client and a server on one loop: fetch a page, then a missing one.
func Example() {
	loop, err := ioloop.New(ioloop.Config{CloseHandlerFDs: true})
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()
	srv := httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if r.Path != "/" {
			w.SetStatus(404)
		}
		w.WriteString("Hello from " + r.Path)
		w.Finish()
	}), httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	base := "http://" + srv.Addrs()[0].String()

	client := httpclient.New(loop, httpclient.Config{})
	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		defer client.Close()
		defer srv.Close()
		resp, err := gen.Await(co, client.FetchURL(base+"/"))
		if err != nil {
			return struct{}{}, err
		}
		fmt.Println(resp.Code, string(resp.Body))

		_, err = gen.Await(co, client.Fetch(&httpclient.Request{URL: base + "/missing", RequestTimeout: 5 * time.Second}))
		var he *httpclient.HTTPError
		if errors.As(err, &he) {
			fmt.Println(he.Code, string(he.Response.Body))
		}
		return struct{}{}, nil
	}, 10*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// 200 Hello from /
	// 404 Hello from /missing
}
