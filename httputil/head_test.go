package httputil

import (
	"errors"
	"testing"
)

func TestParseRequestHead(t *testing.T) {
	var h Headers
	head := "\r\nPOST /a/b?c=d HTTP/1.1\r\nHost: example.com\r\ncontent-type: text/plain\r\n\r\n"
	rl, err := ParseRequestHead(head, &h)
	if err != nil {
		t.Fatal(err)
	}
	if rl.Method != "POST" || rl.Target != "/a/b?c=d" || rl.Version != "HTTP/1.1" {
		t.Fatalf("%+v", rl)
	}
	if h.Get("Host") != "example.com" || h.Get("Content-Type") != "text/plain" || h.Len() != 2 {
		t.Fatalf("%v", h.String())
	}
	h.Reset()
	if _, err := ParseRequestHead("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", &h); !errors.Is(err, ErrInvalidHeaderName) {
		t.Fatalf("got %v", err)
	}
	if _, err := ParseRequestHead("GET / HTTP/3.0\r\n\r\n", &h); !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("got %v", err)
	}
	rl, err = ParseRequestHead("GET / HTTP/1.0\r\n\r\n", &h)
	if err != nil || rl.Target != "/" {
		t.Fatal(rl, err)
	}
}

func BenchmarkParseRequestHeadString(b *testing.B) {
	raw := []byte("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n")
	var h Headers
	b.ReportAllocs()
	for b.Loop() {
		h.Reset()
		if _, err := ParseRequestHead(string(raw), &h); err != nil {
			b.Fatal(err)
		}
	}
}
