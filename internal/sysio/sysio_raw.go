//go:build linux && !race && !msan && !asan

package sysio

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// zero is a valid address for an empty buffer: the kernel reads or writes
// nothing there.
var zero uintptr

func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return unsafe.Pointer(&zero)
	}
	return unsafe.Pointer(&b[0])
}

func result(n uintptr, e unix.Errno) (int, error) {
	if e != 0 {
		return 0, e // errno values are small: boxing them allocates nothing
	}
	return int(n), nil
}

// Read is read(2) on a non-blocking descriptor, as a raw system call.
// On a socket it is recvfrom(2) with no flags and no address, which the
// kernel serves the same way with less work: read(2) passes through the
// file layer (position lock, permission and notification hooks) before it
// reaches the socket, recvfrom(2) goes straight to it. The saving grows
// with the number of open sockets, as each hook touches memory of its own
// (see BenchmarkRoundTrip). On anything else (ENOTSOCK) it is read(2).
func Read(fd int, p []byte) (int, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(ptr(p)), uintptr(len(p)), 0, 0, 0)
	if e == unix.ENOTSOCK {
		n, _, e = unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(ptr(p)), uintptr(len(p)))
	}
	return result(n, e)
}

// Write is write(2) on a non-blocking descriptor, as a raw system call:
// on a socket, sendto(2) with no flags and no address, for the reason Read
// gives; on anything else, write(2). Like write(2), it raises SIGPIPE on a
// socket whose peer has gone (Go's runtime turns that into EPIPE).
func Write(fd int, p []byte) (int, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(ptr(p)), uintptr(len(p)), 0, 0, 0)
	if e == unix.ENOTSOCK {
		n, _, e = unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(ptr(p)), uintptr(len(p)))
	}
	return result(n, e)
}

// Writev is writev(2) on a non-blocking descriptor, as a raw system call
// (on a socket, sendmsg(2) with no flags, for the reason Read gives); iov
// holds at most IOV_MAX buffers. It builds its iovec array on the stack
// for up to 16 buffers.
func Writev(fd int, iov [][]byte) (int, error) {
	var small [16]unix.Iovec
	vecs := small[:0]
	if len(iov) > len(small) {
		vecs = make([]unix.Iovec, 0, len(iov))
	}
	for _, b := range iov {
		if len(b) == 0 {
			continue
		}
		v := unix.Iovec{Base: &b[0]}
		v.SetLen(len(b))
		vecs = append(vecs, v)
	}
	if len(vecs) == 0 {
		return 0, nil
	}
	msg := unix.Msghdr{Iov: &vecs[0]}
	msg.SetIovlen(len(vecs))
	n, _, e := unix.RawSyscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), 0)
	if e == unix.ENOTSOCK {
		n, _, e = unix.RawSyscall(unix.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&vecs[0])), uintptr(len(vecs)))
	}
	return result(n, e)
}
