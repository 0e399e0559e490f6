package iostream_test

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// pattern returns n bytes that differ from chunk to chunk, so data out of
// order or lost shows.
func pattern(seq, n int) []byte {
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		binary.BigEndian.PutUint64(b[i:], uint64(seq)<<32|uint64(i))
	}
	return b
}

// recordOrder appends i to order when f completes, and counts failures.
func recordOrder(f *future.Future[struct{}], i int, order *[]int, failed *int) {
	f.AddDoneCallback(func(f *future.Future[struct{}]) {
		if f.Err() != nil {
			*failed++
			return
		}
		*order = append(*order, i)
	})
}

// 16 MiB written in 1 MiB writes to a slow reader arrives whole and in
// order, and the writes' futures complete in order.
func TestWriteLargeToSlowReader(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		checkFDs(t)
		l := newLoop(t)
		const n, size = 16, 1 << 20
		var want []byte
		run(t, l, func(co *gen.Co) error {
			s, peer, err := tr.peer(t, co, iostream.Config{})
			if err != nil {
				return err
			}
			var order []int
			failed := 0
			var last *future.Future[struct{}]
			for i := range n {
				b := pattern(i, size)
				want = append(want, b...)
				last = s.Write(b)
				clear(b) // the stream copied what it kept
				recordOrder(last, i, &order, &failed)
			}
			// The reader starts late: the kernel's buffers fill and the
			// stream must queue.
			assert.True(t, s.Writing(), "16 MiB do not fit in the kernel at once")
			got := readAll(l, peer, 64<<10, 200*time.Microsecond)
			if _, err := gen.Await(co, last); err != nil {
				return err
			}
			if err := gen.Moment(co); err != nil { // the done callbacks run
				return err
			}
			assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, order)
			assert.Zero(t, failed)
			assert.False(t, s.Writing())
			s.Close()
			data, err := gen.Await(co, got)
			if err != nil {
				return err
			}
			assert.True(t, bytes.Equal(want, data), "received %d bytes of %d, equal prefix: %v", len(data), len(want), bytes.HasPrefix(want, data))
			return nil
		})
	})
}

// Past MaxWriteBufferSize a write fails with ErrBufferFull and the stream
// stays open; what was queued before still goes out.
func TestMaxWriteBufferSize(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		l := newLoop(t)
		const max = 1 << 20
		run(t, l, func(co *gen.Co) error {
			s, peer, err := tr.peer(t, co, iostream.Config{MaxWriteBufferSize: max})
			if err != nil {
				return err
			}
			chunk := make([]byte, 256<<10)
			var sent int
			var last *future.Future[struct{}]
			for s.Send(chunk) == nil && sent < 256<<20 {
				sent += len(chunk)
				last = s.Write(nil)
			}
			f := s.Write(chunk)
			_, err = gen.Await(co, f)
			assert.ErrorIs(t, err, iostream.ErrBufferFull)
			assert.ErrorIs(t, s.Send(chunk), iostream.ErrBufferFull)
			assert.False(t, s.Closed(), "a write past the bound leaves the stream open")

			got := readAll(l, peer, 1<<20, 0)
			if _, err := gen.Await(co, last); err != nil {
				return err
			}
			s.Close()
			data, err := gen.Await(co, got)
			assert.Equal(t, sent, len(data))
			return err
		})
	})
}

// Writes queued behind a full socket go out together (writev), in order,
// and their futures complete in order.
func TestWritevQueuedWrites(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error {
		// Fill the kernel's buffers so that what follows queues.
		var want []byte
		for seq := 0; !s.Writing(); seq++ {
			b := pattern(seq, 64<<10)
			want = append(want, b...)
			s.Send(b)
		}
		var order []int
		failed := 0
		var last *future.Future[struct{}]
		for i := range 64 {
			b := pattern(1000+i, 10<<10)
			want = append(want, b...)
			last = s.Write(b)
			recordOrder(last, i, &order, &failed)
		}
		assert.Greater(t, s.WriteQueueBufs(), 1, "several buffers queued for one writev")
		got := readAll(l, peer, 128<<10, 0)
		if _, err := gen.Await(co, last); err != nil {
			return err
		}
		if err := gen.Moment(co); err != nil {
			return err
		}
		assert.Len(t, order, 64)
		for i, v := range order {
			assert.Equal(t, i, v)
		}
		assert.Zero(t, failed)
		s.Close()
		data, err := gen.Await(co, got)
		assert.True(t, bytes.Equal(want, data), "data arrived whole and in order")
		return err
	})
}

func TestOnFlush(t *testing.T) {
	forTransports(t, func(t *testing.T, tr transport) {
		l := newLoop(t)
		run(t, l, func(co *gen.Co) error {
			s, peer, err := tr.peer(t, co, iostream.Config{})
			if err != nil {
				return err
			}
			var calls []string
			s.OnFlush(func() { calls = append(calls, "empty") })
			assert.Equal(t, []string{"empty"}, calls, "with nothing queued, OnFlush runs at once")

			for !s.Writing() {
				s.Send(make([]byte, 64<<10))
			}
			s.OnFlush(func() { calls = append(calls, "first") })
			s.OnFlush(func() { calls = append(calls, "second") })
			assert.Len(t, calls, 1)
			got := readAll(l, peer, 1<<20, 0)
			if err := waitFor(co, "flush", func() bool { return len(calls) == 3 }); err != nil {
				return err
			}
			assert.Equal(t, []string{"empty", "first", "second"}, calls)
			assert.False(t, s.Writing())

			// A stream closed with data queued never runs its OnFlush.
			s2, _, err := tr.peer(t, co, iostream.Config{})
			if err != nil {
				return err
			}
			for !s2.Writing() {
				s2.Send(make([]byte, 64<<10))
			}
			ran := false
			s2.OnFlush(func() { ran = true })
			s2.Close()
			if err := gen.Sleep(co, 10*time.Millisecond); err != nil {
				return err
			}
			assert.False(t, ran)
			s.Close()
			_, err = gen.Await(co, got)
			return err
		})
	})
}

func TestWriteClosed(t *testing.T) {
	forPeers(t, iostream.Config{}, func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, _ net.Conn) error {
		s.Close()
		_, err := gen.Await(co, s.Write([]byte("x")))
		assert.ErrorIs(t, err, iostream.ErrStreamClosed)
		assert.ErrorIs(t, s.Send([]byte("x")), iostream.ErrStreamClosed)
		return nil
	})
}
