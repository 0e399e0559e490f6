package httputil

import (
	"testing"
	"time"
)

// A typical browser request head: request line and 8 header fields.
const benchHead = "GET /index.html?q=go HTTP/1.1\r\n" +
	"Host: www.example.com\r\n" +
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n" +
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
	"Accept-Language: en-US,en;q=0.5\r\n" +
	"Accept-Encoding: gzip, deflate, br\r\n" +
	"Connection: keep-alive\r\n" +
	"Cookie: sessionid=abc123; csrftoken=xyz789\r\n" +
	"Upgrade-Insecure-Requests: 1\r\n" +
	"\r\n"

func BenchmarkParseHeaders(b *testing.B) {
	head := []byte(benchHead)
	_, block := SplitStartLine(head[:FindHeaderEnd(head)])
	var h Headers
	b.SetBytes(int64(len(block)))
	b.ReportAllocs()
	for b.Loop() {
		h.Reset()
		if err := ParseHeaders(block, &h); err != nil {
			b.Fatal(err)
		}
	}
	if h.Len() != 8 {
		b.Fatal(h.Len())
	}
}

func BenchmarkParseHeadersLowercase(b *testing.B) {
	block := []byte("host: a\r\ncontent-type: text/plain\r\ncontent-length: 5\r\naccept: */*\r\n" +
		"user-agent: curl\r\nx-forwarded-for: 1.2.3.4\r\nconnection: close\r\ncookie: a=b\r\n")
	var h Headers
	b.ReportAllocs()
	for b.Loop() {
		h.Reset()
		if err := ParseHeaders(block, &h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseRequestHead(b *testing.B) {
	buf := []byte(benchHead)
	var h Headers
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		end, err := FindHeaderEndLimit(buf, DefaultMaxHeaderSize)
		if err != nil || end < 0 {
			b.Fatal(end, err)
		}
		line, block := SplitStartLine(buf[:end])
		if _, err := ParseRequestLine(line); err != nil {
			b.Fatal(err)
		}
		h.Reset()
		if err := ParseHeaders(block, &h); err != nil {
			b.Fatal(err)
		}
		if _, _, err := BodyLength(&h, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseRequestLine(b *testing.B) {
	line := []byte("GET /index.html?q=go HTTP/1.1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseRequestLine(line); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseResponseLine(b *testing.B) {
	line := []byte("HTTP/1.1 200 OK")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseResponseLine(line); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindHeaderEnd(b *testing.B) {
	buf := []byte(benchHead)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if FindHeaderEnd(buf) != len(buf) {
			b.Fatal()
		}
	}
}

func BenchmarkHeadersGet(b *testing.B) {
	var h Headers
	_ = ParseHeaders([]byte(benchHead[31:]), &h)
	b.ReportAllocs()
	for b.Loop() {
		if h.Get("cookie") == "" {
			b.Fatal()
		}
	}
}

func BenchmarkHeadersAppendTo(b *testing.B) {
	var h Headers
	_ = ParseHeaders([]byte(benchHead[31:]), &h)
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = h.AppendTo(buf[:0])
	}
}

func BenchmarkChunkedDecode(b *testing.B) {
	var enc []byte
	chunk := make([]byte, 4096)
	for range 16 {
		enc = AppendChunk(enc, chunk)
	}
	enc = AppendLastChunk(enc, nil)
	var d ChunkedDecoder
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		d.Reset()
		buf := enc
		for len(buf) > 0 && !d.Done() {
			_, n, err := d.Decode(buf)
			if err != nil {
				b.Fatal(err)
			}
			buf = buf[n:]
		}
	}
}

func BenchmarkAppendChunk(b *testing.B) {
	data := make([]byte, 1024)
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendChunk(buf[:0], data)
	}
}

func BenchmarkParseQuery(b *testing.B) {
	var a Args
	b.ReportAllocs()
	for b.Loop() {
		a.Reset()
		ParseQuery("q=golang&page=2&sort=desc&filter=a+b", &a)
	}
}

func BenchmarkParseCookie(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ParseCookie("sessionid=abc123; csrftoken=xyz789; theme=dark")
	}
}

func BenchmarkAppendDate(b *testing.B) {
	t := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendDate(buf[:0], t)
	}
}

func BenchmarkParseDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDate("Sun, 06 Nov 1994 08:49:37 GMT"); err != nil {
			b.Fatal(err)
		}
	}
}
