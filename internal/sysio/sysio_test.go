//go:build darwin || linux || openbsd

package sysio

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func socketpair(t *testing.T) (int, int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	for _, fd := range fds {
		require.NoError(t, unix.SetNonblock(fd, true))
	}
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}

// Read and Write keep read(2)'s and write(2)'s conventions: EAGAIN when
// nothing is there, the count otherwise, 0 at EOF.
func TestReadWrite(t *testing.T) {
	a, b := socketpair(t)
	buf := make([]byte, 16)
	_, err := Read(b, buf)
	assert.Equal(t, unix.EAGAIN, err)
	n, err := Write(a, []byte("hello"))
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	n, err = Write(a, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	n, err = Read(b, buf)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(buf[:n]))
	require.NoError(t, unix.Shutdown(a, unix.SHUT_WR))
	n, err = Read(b, buf)
	assert.NoError(t, err)
	assert.Equal(t, 0, n)
	_, err = Write(-1, []byte("x"))
	assert.Equal(t, unix.EBADF, err)
}

// Writev sends the buffers in order, skipping empty ones, beyond the 16 it
// keeps on the stack.
func TestWritev(t *testing.T) {
	for _, count := range []int{1, 2, 16, 17, 100} {
		a, b := socketpair(t)
		var iov [][]byte
		var want []byte
		for i := range count {
			p := bytes.Repeat([]byte{byte('a' + i%26)}, i%5)
			iov = append(iov, p)
			want = append(want, p...)
		}
		n, err := Writev(a, iov)
		require.NoError(t, err)
		assert.Equal(t, len(want), n, "%d buffers", count)
		got := make([]byte, len(want)+1)
		if len(want) > 0 {
			m, err := Read(b, got)
			require.NoError(t, err)
			got = got[:m]
		} else {
			got = got[:0]
		}
		assert.Equal(t, string(want), string(got), "%d buffers", count)
	}
}

// Read, Write and Writev work on descriptors that are not sockets (a
// pipe), whatever system call they use on a socket.
func TestNotSocket(t *testing.T) {
	var fds [2]int
	require.NoError(t, unix.Pipe(fds[:]))
	r, w := fds[0], fds[1]
	t.Cleanup(func() { unix.Close(r); unix.Close(w) })
	require.NoError(t, unix.SetNonblock(r, true))
	buf := make([]byte, 16)
	_, err := Read(r, buf)
	assert.Equal(t, unix.EAGAIN, err)
	n, err := Write(w, []byte("hello"))
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	n, err = Writev(w, [][]byte{[]byte(", "), nil, []byte("pipe")})
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	n, err = Read(r, buf)
	require.NoError(t, err)
	assert.Equal(t, "hello, pipe", string(buf[:n]))
	require.NoError(t, unix.Close(w))
	n, err = Read(r, buf)
	assert.NoError(t, err)
	assert.Equal(t, 0, n)
}
