package httputil

import (
	"bufio"
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// FuzzRequestFraming compares the framing decision a server makes from a
// request head (where the body ends: a length, chunked, or none) with Go's
// net/http, on heads both accept. A disagreement there is request
// smuggling between a Gornado server and a net/http proxy (or the other
// way round). Heads only one accepts are fine: Gornado is stricter on
// purpose (CL with TE, obs-fold, bad bytes). HTTP/1.0 heads are left out:
// net/http ignores Transfer-Encoding in them, Gornado frames the body
// chunked and closes the connection after it (RFC 9112 §6.1).
func FuzzRequestFraming(f *testing.F) {
	for _, s := range []string{
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 05\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST / HTTP/1.2\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		end := FindHeaderEnd(head)
		if end < 0 || end != len(head) {
			return
		}
		var h Headers
		rl, err := ParseRequestHead(string(head), &h)
		if err != nil || rl.Version != "HTTP/1.1" || bytes.Contains(head[:bytes.IndexByte(head, '\n')], []byte("HTTP/1.0")) {
			return
		}
		length, chunked, err := BodyLength(&h, true)
		if err != nil {
			return
		}
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
		if err != nil {
			return
		}
		goChunked := len(req.TransferEncoding) > 0 && strings.EqualFold(req.TransferEncoding[len(req.TransferEncoding)-1], "chunked")
		if chunked != goChunked {
			t.Fatalf("%q: chunked: gornado %v, net/http %v (%q)", head, chunked, goChunked, req.TransferEncoding)
		}
		if !chunked && length != req.ContentLength {
			t.Fatalf("%q: length: gornado %d, net/http %d", head, length, req.ContentLength)
		}
	})
}

// FuzzResponseHead runs a response head through the steps the client
// takes (httpclient's conn.readHead): the status line, the headers, the
// framing. It never panics; an accepted head serialises and parses back
// to the same status and headers.
func FuzzResponseHead(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
		"HTTP/1.1 204\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
		"\r\nHTTP/1.1 301 Moved\r\nLocation: file:///etc\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		end := FindHeaderEnd(data)
		if end < 0 {
			return
		}
		line, block := SplitStartLine(data[:end])
		rl, err := ParseResponseLine(line)
		if err != nil {
			return
		}
		var h Headers
		if err := ParseHeaders(block, &h); err != nil {
			return
		}
		length, chunked, err := BodyLength(&h, false)
		if err == nil && chunked && length != -1 && length != 0 {
			t.Fatalf("%q: chunked with a length %d", data, length)
		}
		back := AppendResponseLine(nil, rl.Version, rl.Code, rl.Reason)
		back = append(h.AppendTo(back), "\r\n"...)
		line2, block2 := SplitStartLine(back)
		rl2, err := ParseResponseLine(line2)
		if err != nil {
			t.Fatalf("%q: status line does not parse back: %v", back, err)
		}
		var h2 Headers
		if err := ParseHeaders(block2, &h2); err != nil || rl2.Code != rl.Code || h2.Len() != h.Len() {
			t.Fatalf("%q: round trip %+v %v", back, rl2, err)
		}
	})
}

// FuzzCookies: a Cookie header never makes ParseCookie panic, and a
// cookie that Valid accepts serialises to a Set-Cookie value whose
// name=value parses back (as a Cookie header would carry it) unchanged.
func FuzzCookies(f *testing.F) {
	for _, s := range [][2]string{{"sid", "abc"}, {"a b", "x"}, {"n", "with space, comma"}, {"n", `"quoted"`}, {"n", "a;b"}, {"", "v"}} {
		f.Add(s[0], s[1], "a=1; b=\"2\\073\"; c")
	}
	f.Fuzz(func(t *testing.T, name, value, header string) {
		ParseCookie(header)
		c := Cookie{Name: name, Value: value}
		if c.Valid() != nil {
			if c.String() != "" {
				t.Fatalf("invalid cookie %q=%q serialised", name, value)
			}
			return
		}
		s := c.String()
		if !ValidHeaderValue(s) {
			t.Fatalf("%q=%q: Set-Cookie %q is not a valid field value", name, value, s)
		}
		pair, _, _ := strings.Cut(s, "; ")
		got := ParseCookie(pair)
		want := value // a value with spaces travels quoted
		if v, ok := got[name]; !ok || v != want {
			t.Fatalf("%q=%q: %q parsed back as %q", name, value, pair, got)
		}
	})
}
