package websocket_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/websocket"
)

// BenchmarkIdleConnMemory reports the heap an idle server connection
// holds (B/conn), its stream included, after one message each way: the
// clients are raw sockets, which cost the Go heap nothing. Run it alone:
//
//	go test -run '^$' -bench IdleConnMemory -benchtime 1x ./websocket
func BenchmarkIdleConnMemory(b *testing.B) {
	offer := "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
	for _, m := range []struct {
		name  string
		comp  *websocket.CompressionConfig
		offer string
		n     int
	}{
		{"uncompressed", nil, "", 2000},
		{"deflate, context takeover", &websocket.CompressionConfig{}, offer, 100},
		{"deflate, server no context takeover", &websocket.CompressionConfig{NoContextTakeover: true}, offer, 500},
		{"deflate, no context takeover", &websocket.CompressionConfig{NoContextTakeover: true},
			"Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n", 2000},
	} {
		b.Run(m.name, func(b *testing.B) {
			for range b.N {
				b.ReportMetric(idleCost(b, m.comp, m.offer, m.n), "B/conn")
			}
		})
	}
}

func idleCost(b *testing.B, comp *websocket.CompressionConfig, offer string, n int) float64 {
	loop := looptest.New(b)
	opened, closed := 0, 0
	srv := httpserver.New(loop, httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if _, err := websocket.Upgrade(w, r, websocket.Config{Compression: comp}, &lean{closed: &closed}); err != nil {
			b.Error(err)
		}
		opened++
	}), httpserver.Config{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	runServer(b, loop)
	msg := []byte("hello hello hello hello")
	first := byte(0x81)
	if comp != nil {
		msg, first = newDeflate().compress(msg), 0xc1
	}
	req := fmt.Sprintf("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n", testKey, offer)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fds := make([]int, 0, n)
	defer func() {
		// Every connection ends before the loop stops.
		for _, fd := range fds {
			unix.Close(fd)
		}
		for onLoop(loop, func() int { return closed }) < len(fds) {
			time.Sleep(time.Millisecond)
		}
	}()
	sa := sockaddr(b, srv.Addrs()[0].String())
	buf := make([]byte, 4096)
	for range n {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
		if err != nil {
			b.Fatal(err)
		}
		fds = append(fds, fd)
		if err := unix.Connect(fd, sa); err != nil {
			b.Fatal(err)
		}
		unix.Write(fd, []byte(req))
		readUntil(b, fd, buf, func(got []byte) bool { return bytes.Contains(got, []byte("\r\n\r\n")) })
		unix.Write(fd, frame(first, msg))
		readUntil(b, fd, buf, func(got []byte) bool { return len(got) >= 2 && len(got) >= 2+int(got[1]&0x7f) })
	}
	runtime.GC()
	runtime.GC() // and what sync.Pool kept through the first
	runtime.ReadMemStats(&after)
	if got := onLoop(loop, func() int { return opened }); got != n {
		b.Fatalf("%d connections, want %d", got, n)
	}
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// lean is an echo handler with nothing of its own: what is measured is
// the library's.
type lean struct {
	c      *websocket.Conn
	closed *int
}

func (l *lean) Open(c *websocket.Conn)         { l.c = c }
func (l *lean) OnMessage(m *websocket.Message) { l.c.WriteMessage(m.Data, m.Binary) }
func (l *lean) OnClose()                       { *l.closed++ }

func readUntil(b testing.TB, fd int, buf []byte, done func([]byte) bool) {
	got := 0
	for !done(buf[:got]) {
		n, err := unix.Read(fd, buf[got:])
		if err != nil || n == 0 {
			b.Fatalf("read: %d, %v", n, err)
		}
		got += n
	}
}

func sockaddr(b testing.TB, addr string) unix.Sockaddr {
	var ip [4]byte
	var port int
	if _, err := fmt.Sscanf(addr, "%d.%d.%d.%d:%d", &ip[0], &ip[1], &ip[2], &ip[3], &port); err != nil {
		b.Fatal(err)
	}
	return &unix.SockaddrInet4{Port: port, Addr: ip}
}
