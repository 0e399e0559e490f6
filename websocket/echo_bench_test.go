package websocket_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// BenchmarkEcho is one binary message each way on a server connection:
// a raw socket client sends it and reads the echo. The client allocates
// nothing in the loop, so B/op and allocs/op are the server's, per
// message received and sent; "lent" runs with Config.ReuseBuffers:
//
//	go test -run '^$' -bench Echo -benchmem ./websocket
func BenchmarkEcho(b *testing.B) {
	for _, size := range []int{64, 16 << 10} {
		for _, lent := range []bool{false, true} {
			name := fmt.Sprintf("%dB", size)
			if lent {
				name += "/lent"
			}
			b.Run(name, func(b *testing.B) {
				fd := echoConn(b, websocket.Config{ReuseBuffers: lent})
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				echoN(b, fd, size, b.N)
			})
		}
	}
}

// echoN sends n binary messages of size bytes on fd, each after the
// previous one's echo has come back whole.
func echoN(t testing.TB, fd, size, n int) {
	payload := bytes.Repeat([]byte{'x'}, size)
	f := frame(0x82, payload)
	want := len(f) - 4 // the echo: the same frame, unmasked
	buf := make([]byte, want)
	for range n {
		if _, err := unix.Write(fd, f); err != nil {
			t.Fatal(err)
		}
		for got := 0; got < want; {
			n, err := unix.Read(fd, buf[got:])
			if err != nil || n == 0 {
				t.Fatalf("read: %d, %v", n, err)
			}
			got += n
		}
		if !bytes.Equal(buf[want-size:], payload) {
			t.Fatalf("the echo differs")
		}
	}
}

// With Config.ReuseBuffers, a server echoing 16 KiB messages allocates
// far less than without: the message buffers come back to the pool. (The
// race detector's sync.Pool drops a quarter of what it is given, so the
// test asks for half the buffers saved, not all.)
func TestReuseBuffersSavesAllocations(t *testing.T) {
	const size, n = 16 << 10, 200
	allocated := func(reuse bool) uint64 {
		fd := echoConn(t, websocket.Config{ReuseBuffers: reuse})
		echoN(t, fd, size, 10) // warm up: pools, stream buffers
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		echoN(t, fd, size, n)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	own, lent := allocated(false), allocated(true)
	assert.GreaterOrEqual(t, own, uint64(n*size), "each message its own buffer")
	assert.Less(t, lent, own, "lent buffers are reused")
	assert.GreaterOrEqual(t, own-lent, uint64(n*size/2), "at least half the messages' buffers saved: %d bytes against %d", lent, own)
}

// echoConn starts an echo server on a loop of its own and returns a
// client socket that has done the handshake; the connection closes, and
// the server sees it closed, when the benchmark ends.
func echoConn(b testing.TB, cfg websocket.Config) int {
	loop := looptest.New(b)
	closed := 0
	srv := httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if _, err := websocket.Upgrade(w, r, cfg, &lean{closed: &closed}); err != nil {
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
