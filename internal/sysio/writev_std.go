//go:build (linux && (race || msan || asan)) || darwin || openbsd

package sysio

import "golang.org/x/sys/unix"

// Writev is unix.Writev: see the package comment for when.
func Writev(fd int, iov [][]byte) (int, error) { return unix.Writev(fd, iov) }
