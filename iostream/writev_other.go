//go:build dragonfly || freebsd || netbsd

package iostream

import "golang.org/x/sys/unix"

// writev writes the first buffer only where x/sys offers no writev; the
// caller loops.
func writev(fd int, iov [][]byte) (int, error) {
	return unix.Write(fd, iov[0])
}
