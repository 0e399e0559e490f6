package iostream_test

import (
	"errors"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// readFunc starts one kind of read.
type readFunc func(s *iostream.IOStream) *future.Future[[]byte]

func readBytes(n int, partial bool) readFunc {
	return func(s *iostream.IOStream) *future.Future[[]byte] { return s.ReadBytes(n, partial) }
}

func readUntil(delim string, max int) readFunc {
	return func(s *iostream.IOStream) *future.Future[[]byte] { return s.ReadUntil([]byte(delim), max) }
}

func readRegex(re string, max int) readFunc {
	return func(s *iostream.IOStream) *future.Future[[]byte] {
		return s.ReadUntilRegex(regexp.MustCompile(re), max)
	}
}

func readUntilClose(s *iostream.IOStream) *future.Future[[]byte] { return s.ReadUntilClose() }

func readInto(n int, partial bool) readFunc {
	return func(s *iostream.IOStream) *future.Future[[]byte] {
		buf := make([]byte, n)
		return future.Map(s.ReadInto(buf, partial), func(n int) []byte { return buf[:n] })
	}
}

// Every kind of read, fed in chunks that arrive one after another: each
// chunk but the last leaves the read pending, and the stream has buffered
// it before the next is sent (a delimiter split across packets is split
// across reads of the socket too).
func TestReadKinds(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		cases := []struct {
			name   string
			read   readFunc
			chunks []string
			close  bool // the peer closes after the last chunk
			want   string
			rest   string // what stays buffered
		}{
			{"bytes", readBytes(5, false), []string{"he", "llo world"}, false, "hello", " world"},
			{"bytes partial, fewer than n", readBytes(10, true), []string{"abc"}, false, "abc", ""},
			{"bytes partial, more than n", readBytes(2, true), []string{"abcdef"}, false, "ab", "cdef"},
			{"bytes zero", readBytes(0, false), nil, false, "", ""},
			{"until", readUntil("\r\n", 0), []string{"GET / HTTP/1.1", "\r\nHost"}, false, "GET / HTTP/1.1\r\n", "Host"},
			{"until, delimiter split across packets", readUntil("\r\n\r\n", 0), []string{"head\r\n", "\r", "\nbody"}, false, "head\r\n\r\n", "body"},
			{"until, delimiter at exactly max", readUntil("\n", 4), []string{"ab", "c\nd"}, false, "abc\n", "d"},
			{"regex", readRegex(`\d+;`, 0), []string{"abc12", "3;x"}, false, "abc123;", "x"},
			{"until close", readUntilClose, []string{"a", "b"}, true, "ab", ""},
			{"into", readInto(4, false), []string{"ab", "cdef"}, false, "abcd", "ef"},
			{"into partial", readInto(8, true), []string{"xyz"}, false, "xyz", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				l := newLoop(t)
				run(t, l, func(co *gen.Co) error {
					s, peer, err := tr.peer(t, co, iostream.Config{})
					if err != nil {
						return err
					}
					f := tc.read(s)
					sent := 0
					for i, c := range tc.chunks {
						if _, err := peer.Write([]byte(c)); err != nil {
							return err
						}
						sent += len(c)
						if i < len(tc.chunks)-1 {
							// The read must still be pending, with the chunk buffered.
							if err := waitFor(co, "chunk buffered", func() bool { return s.Buffered() == sent || f.Done() }); err != nil {
								return err
							}
							assert.False(t, f.Done(), "read done before chunk %d", i+1)
						}
					}
					if tc.close {
						peer.Close()
					}
					got, err := gen.Await(co, f)
					if err != nil {
						return err
					}
					assert.Equal(t, tc.want, string(got))
					if tc.rest != "" {
						// What is left is buffered already: a read of it
						// completes at once, without the socket.
						r := s.ReadBytes(len(tc.rest), false)
						assert.True(t, r.Done(), "read from the buffer must complete at once")
						rest, err := gen.Await(co, r)
						assert.NoError(t, err)
						assert.Equal(t, tc.rest, string(rest))
					}
					assert.Zero(t, s.Buffered())
					return nil
				})
			})
		}
	})
}

// A delimiter read that max bytes cannot satisfy fails with
// ErrUnsatisfiableRead and closes the stream, as in Tornado.
func TestReadUnsatisfiable(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		cases := []struct {
			name string
			read readFunc
			data string
		}{
			{"no delimiter within max", readUntil("\n", 4), "abcdef"},
			{"delimiter ends past max", readUntil("\r\n", 5), "abcd\r\n"},
			{"regex, no match within max", readRegex(`;`, 3), "abcdef;"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				l := newLoop(t)
				run(t, l, func(co *gen.Co) error {
					s, peer, err := tr.peer(t, co, iostream.Config{})
					if err != nil {
						return err
					}
					closed := 0
					s.SetCloseCallback(func() { closed++ })
					f := tc.read(s)
					peer.Write([]byte(tc.data))
					_, err = gen.Await(co, f)
					assert.ErrorIs(t, err, iostream.ErrUnsatisfiableRead)
					assert.True(t, s.Closed())
					assert.ErrorIs(t, s.Error(), iostream.ErrUnsatisfiableRead)
					if err := gen.Moment(co); err != nil {
						return err
					}
					assert.Equal(t, 1, closed)
					return nil
				})
			})
		}
	})
}

func TestReadAlreadyReading(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		first := s.ReadBytes(3, false)
		for _, f := range []*future.Future[[]byte]{
			s.ReadBytes(1, false), s.ReadUntil([]byte("x"), 0), s.ReadUntilClose(),
			s.ReadUntilRegex(regexp.MustCompile("x"), 0), readInto(1, false)(s),
		} {
			_, err := gen.Await(co, f)
			assert.ErrorIs(t, err, iostream.ErrAlreadyReading)
		}
		peer.Write([]byte("abc"))
		got, err := gen.Await(co, first)
		assert.Equal(t, "abc", string(got))
		return err
	})
}

// Data that arrived before the peer closed stays readable after the
// stream noticed the close; then reads fail with a *StreamClosedError.
func TestReadAfterPeerClose(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		peer.Write([]byte("hello world"))
		peer.Close()
		// More than will ever come: fails at EOF, leaving the data.
		_, err := gen.Await(co, s.ReadBytes(100, false))
		assert.ErrorIs(t, err, iostream.ErrStreamClosed)
		assert.True(t, s.Closed())
		assert.NoError(t, s.Error(), "EOF is a clean close")

		got, err := gen.Await(co, s.ReadBytes(5, false))
		assert.NoError(t, err)
		assert.Equal(t, "hello", string(got))
		got, err = gen.Await(co, s.ReadUntil([]byte("l"), 0))
		assert.NoError(t, err)
		assert.Equal(t, " worl", string(got))
		got, err = gen.Await(co, s.ReadUntilClose())
		assert.NoError(t, err)
		assert.Equal(t, "d", string(got))

		_, err = gen.Await(co, s.ReadBytes(1, false))
		var sce *iostream.StreamClosedError
		assert.ErrorAs(t, err, &sce)
		assert.ErrorIs(t, err, iostream.ErrStreamClosed)
		_, err = gen.Await(co, readInto(1, true)(s))
		assert.ErrorIs(t, err, iostream.ErrStreamClosed)
		assert.Zero(t, s.ReadBufferCap(), "a drained, closed stream holds no buffer")
		return nil
	})
}

// The read buffer never grows past MaxBufferSize: a read that needs more
// fails with ErrBufferFull and closes the stream; so does a read handler
// that consumes nothing.
func TestMaxBufferSize(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		cases := []struct {
			name  string
			start func(s *iostream.IOStream) *future.Future[[]byte]
		}{
			{"until", readUntil("\n", 0)},
			{"bytes", readBytes(5000, false)},
			{"until close", readUntilClose},
			{"read handler", func(s *iostream.IOStream) *future.Future[[]byte] {
				f := future.New[[]byte](s.Loop())
				s.SetReadHandlerFunc(func(data []byte) int {
					if len(data) > 1024 {
						f.SetError(errors.New("read handler saw more than MaxBufferSize"))
					}
					return 0
				})
				s.SetCloseCallback(func() { f.SetError(s.Error()) })
				return f
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				l := newLoop(t)
				run(t, l, func(co *gen.Co) error {
					s, peer, err := tr.peer(t, co, iostream.Config{MaxBufferSize: 1024})
					if err != nil {
						return err
					}
					f := tc.start(s)
					peer.Write(make([]byte, 4096))
					_, err = gen.Await(co, f)
					assert.ErrorIs(t, err, iostream.ErrBufferFull)
					assert.True(t, s.Closed())
					assert.ErrorIs(t, s.Error(), iostream.ErrBufferFull)
					assert.LessOrEqual(t, s.Buffered(), 1024)
					return nil
				})
			})
		}
	})
}

// A stream with nothing buffered holds no read buffer: an idle keep-alive
// connection costs no 16 KiB.
func TestIdleStreamHoldsNoReadBuffer(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		assert.Zero(t, s.ReadBufferCap())
		peer.Write([]byte("line one\nline two\n"))
		for range 2 {
			if _, err := gen.Await(co, s.ReadUntil([]byte("\n"), 0)); err != nil {
				return err
			}
		}
		assert.Zero(t, s.ReadBufferCap(), "after reads that consumed everything")

		// Push mode, consuming everything.
		got := 0
		s.SetReadHandlerFunc(func(data []byte) int {
			got += len(data)
			return len(data)
		})
		peer.Write([]byte("pushed"))
		if err := waitFor(co, "push delivery", func() bool { return got == len("pushed") }); err != nil {
			return err
		}
		assert.Zero(t, s.ReadBufferCap(), "after a read handler consumed everything")

		// A close callback alone watches for EOF with no buffer either.
		s.SetReadHandler(nil)
		s.SetCloseCallback(func() {})
		if err := gen.Moment(co); err != nil {
			return err
		}
		assert.Zero(t, s.ReadBufferCap())
		return nil
	})
}

// A stream reads from the socket only what its reader asks for (a chunk
// ahead at most): a reader that takes little at a time from a peer that
// sent much never fills MaxBufferSize, and a paused stream with only a
// close callback buffers no more than a chunk.
func TestReadTakesOnlyWhatItNeeds(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		const max, total = 64 << 10, 1 << 20
		l := newLoop(t)
		run(t, l, func(co *gen.Co) error {
			s, peer, err := tr.peer(t, co, iostream.Config{MaxBufferSize: max})
			if err != nil {
				return err
			}
			sent := goFuture(l, func() (int, error) { return peer.Write(make([]byte, total)) })
			for got := 0; got < total; {
				b, err := gen.Await(co, s.ReadBytes(1000, true))
				if err != nil {
					return err
				}
				got += len(b)
				assert.LessOrEqual(t, s.Buffered(), max)
			}
			if _, err := gen.Await(co, sent); err != nil {
				return err
			}

			// Paused, with a close callback: one chunk at most.
			s.SetCloseCallback(func() {})
			sent = goFuture(l, func() (int, error) { return peer.Write(make([]byte, total)) })
			if err := waitFor(co, "a chunk read", func() bool { return s.Buffered() > 0 }); err != nil {
				return err
			}
			if err := gen.Sleep(co, 20*time.Millisecond); err != nil {
				return err
			}
			assert.LessOrEqual(t, s.Buffered(), 16<<10)
			assert.False(t, s.Closed())
			s.Close()
			return nil
		})
	})
}
