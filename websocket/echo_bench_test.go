package websocket_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// BenchmarkEcho is one binary message each way on a server connection:
// a raw socket client sends it and reads the echo. The client allocates
// nothing in the loop, so B/op and allocs/op are the server's, per
// message received and sent:
//
//	go test -run '^$' -bench Echo -benchmem ./websocket
func BenchmarkEcho(b *testing.B) {
	for _, size := range []int{64, 16 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			fd := echoConn(b)
			f := frame(0x82, bytes.Repeat([]byte{'x'}, size))
			want := len(f) - 4 // the echo: the same frame, unmasked
			buf := make([]byte, want)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := unix.Write(fd, f); err != nil {
					b.Fatal(err)
				}
				for got := 0; got < want; {
					n, err := unix.Read(fd, buf[got:])
					if err != nil || n == 0 {
						b.Fatalf("read: %d, %v", n, err)
					}
					got += n
				}
			}
		})
	}
}

// echoConn starts an echo server on a loop of its own and returns a
// client socket that has done the handshake; the connection closes, and
// the server sees it closed, when the benchmark ends.
func echoConn(b *testing.B) int {
	loop := looptest.New(b)
	closed := 0
	srv := httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if _, err := websocket.Upgrade(w, r, websocket.Config{}, &lean{closed: &closed}); err != nil {
			b.Error(err)
		}
	}), httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	runServer(b, loop)
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		unix.Close(fd)
		for onLoop(loop, func() int { return closed }) < 1 {
			time.Sleep(time.Millisecond)
		}
	})
	if err := unix.Connect(fd, sockaddr(b, srv.Addrs()[0].String())); err != nil {
		b.Fatal(err)
	}
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	unix.Write(fd, []byte("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: "+testKey+"\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	readUntil(b, fd, make([]byte, 4096), func(got []byte) bool { return bytes.Contains(got, []byte("\r\n\r\n")) })
	return fd
}
