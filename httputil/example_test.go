package httputil_test

import (
	"fmt"

	"github.com/gornado/gornado/httputil"
)

// Example parses a request head the way an HTTP/1.1 server on an event
// loop does once bytes have arrived.
func Example() {
	buf := []byte("POST /submit HTTP/1.1\r\nhost: example.com\r\ncontent-length: 7\r\n\r\nname=go")

	end, err := httputil.FindHeaderEndLimit(buf, httputil.DefaultMaxHeaderSize)
	if err != nil || end < 0 {
		return // answer 431, or wait for more bytes
	}
	line, block := httputil.SplitStartLine(buf[:end])
	req, err := httputil.ParseRequestLine(line)
	if err != nil {
		fmt.Println("status", httputil.StatusCode(err))
		return
	}
	var h httputil.Headers
	if err := httputil.ParseHeaders(block, &h); err != nil {
		fmt.Println("status", httputil.StatusCode(err))
		return
	}
	n, chunked, err := httputil.BodyLength(&h, true)
	if err != nil {
		fmt.Println("status", httputil.StatusCode(err))
		return
	}
	var args httputil.Args
	httputil.ParseQuery(string(buf[end:end+int(n)]), &args)

	fmt.Println(req.Method, req.Target, req.Version)
	for name, value := range h.All() {
		fmt.Printf("%s: %s\n", name, value)
	}
	fmt.Println(n, chunked, args.Get("name"))
	// Output:
	// POST /submit HTTP/1.1
	// Host: example.com
	// Content-Length: 7
	// 7 false go
}

// ExampleChunkedDecoder decodes a chunked body that arrives in pieces.
func ExampleChunkedDecoder() {
	reads := []string{"5\r\nhel", "lo\r\n6;ext=1\r", "\n world\r\n0\r\nExpires: never\r\n\r\nNEXT"}
	var d httputil.ChunkedDecoder
	var pending []byte
	for _, r := range reads {
		pending = append(pending, r...)
		for len(pending) > 0 && !d.Done() {
			data, n, err := d.Decode(pending)
			if err != nil {
				fmt.Println("error:", err)
				return
			}
			if len(data) > 0 {
				fmt.Printf("%q\n", data) // data aliases pending: copy it to keep it
			}
			pending = pending[n:]
		}
	}
	fmt.Println(d.Done(), d.Trailers.Get("expires"), string(pending))
	// Output:
	// "hel"
	// "lo"
	// " world"
	// true never NEXT
}

func ExampleCookie() {
	c := httputil.Cookie{Name: "sid", Value: "abc", Path: "/", HttpOnly: true, SameSite: httputil.SameSiteLax}
	fmt.Println(c.String())
	fmt.Println(httputil.ParseCookie(`sid=abc; theme="dark"`))
	// Output:
	// sid=abc; Path=/; HttpOnly; SameSite=Lax
	// map[sid:abc theme:dark]
}
