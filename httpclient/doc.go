// Package httpclient is an asynchronous HTTP/1.1 client on an ioloop.IOLoop,
// Tornado's AsyncHTTPClient (simple_httpclient) in Go, and Blocking, its
// counterpart for code outside a loop (Tornado's HTTPClient).
//
// Fetch returns a future of the response. Inside a coroutine:
//
//	client := httpclient.New(loop, httpclient.Config{})
//	resp, err := gen.Await(co, client.FetchURL("http://127.0.0.1:8888/"))
//	if err != nil {
//		return err // an *HTTPError: a non-2xx status, or 599
//	}
//	fmt.Println(resp.Code, string(resp.Body))
//
// and from any goroutine:
//
//	client, err := httpclient.NewBlocking(httpclient.Config{})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer client.Close()
//	resp, err := client.Fetch(&httpclient.Request{
//		URL:    "https://example.com/upload",
//		Method: "POST",
//		Body:   []byte(`{"a": 1}`),
//	})
//
// # The model
//
// A fetch takes one of Config.MaxClients slots, or waits for one in a FIFO
// queue. It then takes an idle keep-alive connection to the same host from
// the pool, or connects (resolving on the loop's executor, TLS through
// package iostream, HTTPS through a proxy with CONNECT). Each connection is a
// state machine driven by the stream's reads, as the server's are: it sends
// the request, parses the response head and body as they arrive (package
// httputil), and goes back to the pool when the response ends cleanly. No
// goroutine belongs to a connection or a fetch (a proxy tunnel being set up
// runs as a coroutine). Redirects are followed within the same slot.
//
// # Errors
//
// Errors are values. A response that arrives with a status other than 2xx
// fails the fetch with an *HTTPError whose Code is that status and whose
// Response is the response. A fetch that gets no response fails with an
// *HTTPError with Code 599, Tornado's convention, wrapping the cause, which
// errors.Is matches: ErrTimeout (connect, request or queue timeout),
// ErrConnectionRefused, ErrStreamClosed (the connection broke, the body was
// truncated), ErrBadResponse (with httputil's sentinel below it),
// ErrHeaderTooLarge, ErrBodyTooLarge, ErrClosed, or the context's error.
// Request.NoRaise turns both kinds into a successful fetch with
// Response.Error set.
//
// Interim responses (100 Continue, 103 Early Hints) are read past. 101
// Switching Protocols is not interim: it is the connection's last HTTP
// response, so the fetch ends with it, as with any other non-2xx status (an
// *HTTPError with Code 101 and no body, unless NoRaise), and the connection
// is closed rather than pooled. The client does not speak the protocol
// switched to.
//
// # Which goroutine
//
// AsyncHTTPClient and its callbacks are loop-only; Blocking is safe from any
// goroutine.
package httpclient
