package iostream_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// Close fails the pending read and writes, drops queued data, and runs the
// close callback once, however often it is called.
func TestCloseFailsPendingAndCallsBackOnce(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		checkFDs(t)
		l := newLoop(t)
		run(t, l, func(co *gen.Co) error {
			s, _, err := tr.peer(t, co, iostream.Config{})
			if err != nil {
				return err
			}
			closed := 0
			s.SetCloseCallback(func() { closed++ })
			read := s.ReadUntil([]byte("\n"), 0)
			for !s.Writing() {
				s.Send(make([]byte, 64<<10))
			}
			write := s.Write([]byte("queued"))
			flushed := false
			s.OnFlush(func() { flushed = true })
			s.Close()
			s.Close()
			assert.True(t, s.Closed())
			assert.Equal(t, -1, s.FD())
			assert.Nil(t, s.LocalAddr())
			assert.Nil(t, s.RemoteAddr())
			_, err = gen.Await(co, read)
			assert.ErrorIs(t, err, iostream.ErrStreamClosed)
			_, err = gen.Await(co, write)
			assert.ErrorIs(t, err, iostream.ErrStreamClosed)
			if err := gen.Moment(co); err != nil {
				return err
			}
			assert.Equal(t, 1, closed)
			assert.False(t, flushed)
			assert.False(t, s.Writing())
			// ReadUntilClose on a locally closed stream completes, empty.
			rest, err := gen.Await(co, s.ReadUntilClose())
			assert.NoError(t, err)
			assert.Empty(t, rest)
			return nil
		})
	})
}

// A close callback notices the peer's close with no read pending.
func TestCloseCallbackSeesPeerClose(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		closed := 0
		s.SetCloseCallback(func() { closed++ })
		peer.Close()
		if err := waitFor(co, "close callback", func() bool { return closed > 0 }); err != nil {
			return err
		}
		assert.True(t, s.Closed())
		assert.NoError(t, s.Error())
		if err := gen.Moment(co); err != nil {
			return err
		}
		assert.Equal(t, 1, closed)
		return nil
	})
}

// CloseWrite sends what is queued, then the end of the stream (after a
// close_notify on TLS), and the stream goes on reading until the peer
// closes its half.
func TestCloseWrite(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		got := goFuture(l, func() ([]byte, error) {
			peer.SetReadDeadline(time.Now().Add(hangGuard))
			return io.ReadAll(peer) // to EOF, which is no error
		})
		s.Write(bytes.Repeat([]byte("x"), 4<<20)) // more than the socket takes at once
		s.CloseWrite()
		data, err := gen.Await(co, got)
		if err != nil {
			return err
		}
		assert.Equal(t, 4<<20, len(data), "what was queued, then the end")

		closed := 0
		s.SetCloseCallback(func() { closed++ })
		peer.Write([]byte("after"))
		after, err := gen.Await(co, s.ReadBytes(5, false))
		if err != nil {
			return err
		}
		assert.Equal(t, "after", string(after))
		assert.False(t, s.Closed())
		peer.Close()
		if err := waitFor(co, "close callback", func() bool { return closed > 0 }); err != nil {
			return err
		}
		assert.NoError(t, s.Error())
		return nil
	})
}

// Push mode: the handler sees all unread data, consumes what it can parse
// (whole lines here), and is offered the rest again with what follows;
// nil pauses delivery until a handler is set again.
func TestReadHandler(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		var lines []string
		var offered []string
		handler := func(data []byte) int {
			offered = append(offered, string(data))
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				return 0
			}
			lines = append(lines, string(data[:i]))
			return i + 1
		}
		s.SetReadHandlerFunc(handler)
		peer.Write([]byte("one\ntw"))
		if err := waitFor(co, "first line", func() bool { return len(lines) == 1 && s.Buffered() == 2 }); err != nil {
			return err
		}
		assert.Equal(t, []string{"one\ntw", "tw"}, offered, "called again at once with the rest, which it does not consume")
		peer.Write([]byte("o\nthree\n"))
		if err := waitFor(co, "three lines", func() bool { return len(lines) == 3 }); err != nil {
			return err
		}
		assert.Equal(t, []string{"one", "two", "three"}, lines)
		assert.Zero(t, s.Buffered())

		// Paused: data stays in the kernel, unseen.
		s.SetReadHandler(nil)
		peer.Write([]byte("four\n"))
		if err := gen.Sleep(co, 20*time.Millisecond); err != nil { // time for it to arrive, were it read
			return err
		}
		assert.Len(t, lines, 3)
		s.SetReadHandlerFunc(handler)
		if err := waitFor(co, "line after resume", func() bool { return len(lines) == 4 }); err != nil {
			return err
		}
		assert.Equal(t, "four", lines[3])
		return nil
	})
}

// A read handler can hand over to a future read: the read sees the data
// after what the handler consumed, even when the data came in one packet.
func TestReadHandlerHandsOverToRead(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		done := make(chan []byte, 1)
		var readErr error
		s.SetReadHandlerFunc(func(data []byte) int {
			i := bytes.Index(data, []byte("\n\n"))
			if i < 0 {
				return 0
			}
			s.SetReadHandler(nil)
			s.ReadBytes(4, false).AddDoneCallback(func(f *future.Future[[]byte]) {
				b, err := f.Result()
				readErr = err
				done <- b
			})
			// Starting a read inside the handler is allowed; and the
			// nested delivery does not happen.
			return i + 2
		})
		peer.Write([]byte("head\n\nbodyrest"))
		if err := waitFor(co, "body", func() bool { return len(done) > 0 }); err != nil {
			return err
		}
		assert.NoError(t, readErr)
		assert.Equal(t, "body", string(<-done))
		assert.Equal(t, 4, s.Buffered())
		return nil
	})
}

func TestSetNodelayAndAddrs(t *testing.T) {
	l := newLoop(t)
	run(t, l, func(co *gen.Co) error {
		c, srv, err := pair(t, co, iostream.Config{})
		if err != nil {
			return err
		}
		assert.NoError(t, c.SetNodelay(true))
		assert.NoError(t, c.SetNodelay(false))
		assert.NoError(t, srv.SetNodelay(true))
		cl, cr := c.LocalAddr().(*net.TCPAddr), c.RemoteAddr().(*net.TCPAddr)
		sl, sr := srv.LocalAddr().(*net.TCPAddr), srv.RemoteAddr().(*net.TCPAddr)
		assert.Equal(t, cl.String(), sr.String())
		assert.Equal(t, cr.String(), sl.String())
		assert.True(t, cl.IP.IsLoopback())
		c.Close()
		assert.ErrorIs(t, c.SetNodelay(true), iostream.ErrStreamClosed)
		return nil
	})
}

// Writes a read handler makes after its first one are held back while it
// runs and leave together when it returns (the stream is corked): the
// peer gets everything in order, Writing reports the held bytes
// meanwhile, Write futures complete, and a Close from inside the handler
// sends what it held first.
func TestReadHandlerWritesAreCorked(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		var writing []bool
		var writes []*future.Future[struct{}]
		s.SetReadHandlerFunc(func(data []byte) int {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				return 0
			}
			line := string(data[:i])
			if line == "quit" {
				s.Send([]byte("bye\n"))
				s.Send([]byte("now\n"))
				s.Close()
				return i + 1
			}
			s.Send([]byte("a" + line + "\n"))
			writes = append(writes, s.Write([]byte("b"+line+"\n")))
			writing = append(writing, s.Writing())
			return i + 1
		})
		got := readAll(l, peer, 1<<10, 0)
		peer.Write([]byte("1\n2\n3\nquit\n"))
		b, err := gen.Await(co, got)
		if err != nil {
			return err
		}
		assert.Equal(t, "a1\nb1\na2\nb2\na3\nb3\nbye\nnow\n", string(b))
		assert.Contains(t, writing, true, "a write after the first is held while the handler runs")
		for i, f := range writes {
			if _, err := gen.Await(co, f); err != nil {
				return fmt.Errorf("write %d: %w", i, err)
			}
		}
		return nil
	})
}

// Bytes the cork holds do not count against MaxWriteBufferSize as if the
// socket had refused them: a read handler may write more than the limit
// in pieces the kernel takes, as it could without the cork.
func TestCorkedWritesRespectOnlyTheSocketsBacklog(t *testing.T) {
	l := newLoop(t)
	run(t, l, func(co *gen.Co) error {
		s, peer, err := withPeer(t, co, iostream.Config{MaxWriteBufferSize: 16 << 10})
		if err != nil {
			return err
		}
		got := readAll(l, peer, 1<<16, 0)
		var errs []error
		chunk := bytes.Repeat([]byte("x"), 8<<10)
		s.SetReadHandlerFunc(func(data []byte) int {
			for range 4 {
				errs = append(errs, s.Send(chunk))
			}
			s.Close()
			return len(data)
		})
		if _, err := peer.Write([]byte("go\n")); err != nil {
			return err
		}
		b, err := gen.Await(co, got)
		if err != nil {
			return err
		}
		assert.Equal(t, []error{nil, nil, nil, nil}, errs)
		assert.Equal(t, 4*len(chunk), len(b))
		return nil
	})
}
