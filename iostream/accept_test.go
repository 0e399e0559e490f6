package iostream_test

import (
	"context"
	"log/slog"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/iostream"
)

// Many clients connecting at once are all accepted and served.
func TestAcceptManyAtOnce(t *testing.T) {
	checkFDs(t)
	l := newLoop(t)
	const n = 300
	h := &echo{}
	srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	defer srv.Stop()
	port := srv.Addrs()[0].(*net.TCPAddr).Port
	run(t, l, func(co *gen.Co) error {
		client := iostream.NewTCPClient(l, iostream.ClientConfig{})
		fs := make([]*future.Future[*iostream.IOStream], n)
		for i := range fs {
			fs[i] = client.Connect("127.0.0.1", port, iostream.ConnectConfig{})
		}
		streams, err := gen.Await(co, gen.All(l, fs...))
		if err != nil {
			return err
		}
		replies := make([]*future.Future[[]byte], n)
		for i, c := range streams {
			c.Send([]byte(strconv.Itoa(i) + "\n"))
			replies[i] = c.ReadUntil([]byte("\n"), 100)
		}
		got, err := gen.Await(co, gen.All(l, replies...))
		if err != nil {
			return err
		}
		for i := range got {
			assert.Equal(t, strconv.Itoa(i)+"\n", string(got[i]))
		}
		assert.Equal(t, n, srv.Connections())
		for _, c := range streams {
			c.Close()
		}
		return waitFor(co, "server side closes", func() bool { return srv.Connections() == 0 })
	})
	assert.Len(t, h.streams, n)
}

// At MaxConnections the server stops accepting; when one closes, the
// kernel's backlog is accepted again.
func TestMaxConnections(t *testing.T) {
	l := newLoop(t)
	h := &echo{}
	srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{MaxConnections: 2})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	defer srv.Stop()
	addr := srv.Addrs()[0].String()
	run(t, l, func(co *gen.Co) error {
		var clients []*iostream.IOStream
		for range 3 {
			c, err := connect(co, addr, iostream.ConnectConfig{}) // the kernel completes the third
			if err != nil {
				return err
			}
			closeLater(t, c)
			clients = append(clients, c)
		}
		if err := waitFor(co, "two accepted", func() bool { return srv.Connections() == 2 }); err != nil {
			return err
		}
		third := clients[2].ReadUntil([]byte("\n"), 100)
		clients[2].Send([]byte("third\n"))
		if err := gen.Sleep(co, 50*time.Millisecond); err != nil { // were it accepted, it would be by now
			return err
		}
		assert.Len(t, h.streams, 2)
		assert.False(t, third.Done())

		h.streams[0].Close()
		got, err := gen.Await(co, third)
		assert.Equal(t, "third\n", string(got))
		assert.Len(t, h.streams, 3)
		assert.Equal(t, 2, srv.Connections())
		return err
	})
}

// The server's connection set keeps its count through closes in any
// order (it is a slice where the last stream takes a closed one's place),
// and CloseConnections closes every stream still open.
func TestConnectionsCountAndCloseConnections(t *testing.T) {
	l := newLoop(t)
	h := &echo{}
	srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	defer srv.Stop()
	addr := srv.Addrs()[0].String()
	const n = 8
	run(t, l, func(co *gen.Co) error {
		for range n {
			c, err := connect(co, addr, iostream.ConnectConfig{})
			if err != nil {
				return err
			}
			closeLater(t, c)
		}
		if err := waitFor(co, "all accepted", func() bool { return srv.Connections() == n }); err != nil {
			return err
		}
		for i, want := range []int{3, 0, n - 1, 5} { // middle, first, last, middle
			h.streams[want].Close()
			assert.Equal(t, n-1-i, srv.Connections())
		}
		h.streams[3].Close() // twice: no change
		assert.Equal(t, n-4, srv.Connections())
		srv.CloseConnections()
		assert.Equal(t, 0, srv.Connections())
		for i, s := range h.streams {
			assert.True(t, s.Closed(), "stream %d", i)
		}
		return nil
	})
}

// logCounter is a slog.Handler that counts records whose message has a
// prefix, and those that start "iostream: accepting again"; safe from any
// goroutine.
type logCounter struct {
	prefix string
	n      atomic.Int32
	again  atomic.Int32
}

func (h *logCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *logCounter) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logCounter) WithGroup(string) slog.Handler            { return h }
func (h *logCounter) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, h.prefix) {
		h.n.Add(1)
	}
	if strings.HasPrefix(r.Message, "iostream: accepting again") {
		h.again.Add(1)
	}
	return nil
}

// Out of file descriptors, the server logs once (and then once per 10 s
// while it lasts) and stops accepting for a while instead of spinning on a listener that stays readable; then it
// accepts what waited.
func TestAcceptBackoffOutOfFDs(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("lowers RLIMIT_NOFILE, tried on Linux only")
	}
	l := newLoop(t)
	logs := &logCounter{prefix: "iostream: accept failed"}
	h := &echo{}
	srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{Logger: slog.New(logs)})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	defer srv.Stop()
	var clients []net.Conn
	for range 2 { // queued in the backlog, dialled before the limit drops
		c, err := net.Dial("tcp", srv.Addrs()[0].String())
		require.NoError(t, err)
		defer c.Close()
		clients = append(clients, c)
	}
	var saved syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &saved))
	low := saved
	low.Cur = 3 // every new descriptor fails with EMFILE
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low))
	restored := false
	restore := func() {
		if !restored {
			restored = true
			syscall.Setrlimit(syscall.RLIMIT_NOFILE, &saved)
		}
	}
	defer restore()
	run(t, l, func(co *gen.Co) error {
		if err := waitFor(co, "accept error", func() bool { return logs.n.Load() > 0 }); err != nil {
			return err
		}
		// Several pauses of 100 ms (fewer on a loaded machine), and still
		// the one record: not one per pause, and not a spin, which logs
		// thousands in this time.
		if err := gen.Sleep(co, 350*time.Millisecond); err != nil {
			return err
		}
		assert.Equal(t, int32(1), logs.n.Load(), "one record while it lasts")
		assert.Zero(t, srv.Connections())
		restore()
		return waitFor(co, "accepted after the pause", func() bool { return srv.Connections() == 2 })
	})
	assert.Len(t, h.streams, 2)
	assert.Equal(t, int32(1), logs.again.Load(), "one record when it ends")
}
