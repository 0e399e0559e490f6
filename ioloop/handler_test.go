package ioloop_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/ioloop"
)

// socketpair returns two connected non-blocking stream sockets, closed at
// the end of the test.
func socketpair(t *testing.T) (int, int) {
	t.Helper()
	fds := rawSocketpair(t)
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}

// rawSocketpair returns two connected non-blocking sockets, portably.
func rawSocketpair(t *testing.T) [2]int {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	for _, fd := range fds {
		unix.CloseOnExec(fd)
		require.NoError(t, unix.SetNonblock(fd, true))
	}
	return fds
}

func TestHandlerReadWriteAndRemove(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	a, b := socketpair(t)
	var got []byte
	var events []ioloop.Events
	run(t, l, func(done func()) {
		require.NoError(t, l.AddHandler(b, ioloop.Read, ioloop.HandlerFunc(func(fd int, ev ioloop.Events) {
			events = append(events, ev)
			buf := make([]byte, 64)
			n, err := unix.Read(fd, buf)
			if n > 0 {
				got = append(got, buf[:n]...)
			}
			if n == 0 || err == nil && string(got) == "hello" {
				require.NoError(t, l.RemoveHandler(fd))
				done()
			}
		})))
		assert.ErrorIs(t, l.AddHandler(b, ioloop.Read, nil), ioloop.ErrHandlerExists)
		// Ask for Write on a: it is writable at once.
		require.NoError(t, l.AddHandler(a, ioloop.Write, ioloop.HandlerFunc(func(fd int, ev ioloop.Events) {
			assert.Equal(t, ioloop.Write, ev)
			_, err := unix.Write(fd, []byte("hello"))
			require.NoError(t, err)
			require.NoError(t, l.UpdateHandler(fd, 0)) // stop asking
		})))
	})
	assert.Equal(t, "hello", string(got))
	assert.Equal(t, []ioloop.Events{ioloop.Read}, events)
	assert.ErrorIs(t, l.RemoveHandler(b), ioloop.ErrNoHandler)
	assert.ErrorIs(t, l.UpdateHandler(b, ioloop.Read), ioloop.ErrNoHandler)
}

func TestHandlerPanicIsRecovered(t *testing.T) {
	rec := newRecords()
	l := newLoop(t, ioloop.Config{Logger: slogger(rec)})
	a, b := socketpair(t)
	calls := 0
	run(t, l, func(done func()) {
		unix.Write(a, []byte("x"))
		require.NoError(t, l.AddHandler(b, ioloop.Read, ioloop.HandlerFunc(func(fd int, ev ioloop.Events) {
			calls++
			if calls == 1 {
				panic("boom in handler") // level-triggered: called again
			}
			l.RemoveHandler(fd)
			done()
		})))
	})
	assert.Equal(t, 2, calls)
	rec.waitFor(t, "boom in handler")
}

func TestCloseAllFDsClosesHandlersFDs(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{CloseHandlerFDs: true})
	require.NoError(t, err)
	fds := rawSocketpair(t)
	defer unix.Close(fds[1])
	require.NoError(t, l.AddHandler(fds[0], ioloop.Read, ioloop.HandlerFunc(func(int, ioloop.Events) {})))
	require.NoError(t, l.Close())
	_, err = unix.Write(fds[0], []byte("x"))
	assert.ErrorIs(t, err, unix.EBADF)
}

func TestEventsString(t *testing.T) {
	assert.Equal(t, "Read|Write", (ioloop.Read | ioloop.Write).String())
	assert.Equal(t, "Error", ioloop.Error.String())
	assert.Equal(t, "0", ioloop.Events(0).String())
}
