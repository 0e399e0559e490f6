package websocket_test

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/websocket"
)

// A hostile client sends a frame header that declares a large message,
// a few bytes of it, and then nothing. The server holds at most what came
// plus a little (4 KiB by default, 16 KiB for a lent buffer), not what
// the header declares, and other clients are still served.
func TestDeclaredLengthIsNotPreallocated(t *testing.T) {
	const n = 100
	for _, tc := range []struct {
		name     string
		cfg      websocket.Config
		declared uint64
	}{
		{"8 MiB declared", websocket.Config{MaxMessageSize: 16 << 20}, 8 << 20},
		{"60 KiB declared, ReuseBuffers", websocket.Config{ReuseBuffers: true}, 60 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range n { // each closed, with the server's side, at the end
				fd := echoConn(t, tc.cfg)
				h := binary.BigEndian.AppendUint64([]byte{0x82, 0x80 | 127}, tc.declared)
				h = append(h, 0, 0, 0, 0) // a zero mask: the payload as is
				if _, err := unix.Write(fd, append(h, "only this"...)); err != nil {
					t.Fatal(err)
				}
			}
			// Every other client is still served: the server is not stuck
			// waiting for the rest of those messages.
			echoN(t, echoConn(t, tc.cfg), 64, 3)
			runtime.GC()
			runtime.ReadMemStats(&after)
			grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
			// Each connection's own cost (its stream, the handshake) is a
			// few KiB; a buffer sized by the header would be 60 KiB to
			// 8 MiB each.
			assert.Less(t, grown, int64(n*40<<10), "%d bytes for %d stalled messages", grown, n)
		})
	}
}
