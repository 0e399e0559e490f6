//go:build linux || freebsd || netbsd || openbsd || dragonfly

package iostream

import "golang.org/x/sys/unix"

// accept takes one connection from a listening socket, non-blocking and
// close-on-exec.
func accept(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}

// socket makes a non-blocking, close-on-exec socket.
func socket(family, typ int) (int, error) {
	return unix.Socket(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}
