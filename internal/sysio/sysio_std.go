//go:build (linux && (race || msan || asan)) || (!linux && unix)

package sysio

import "golang.org/x/sys/unix"

// Read is unix.Read: see the package comment for when.
func Read(fd int, p []byte) (int, error) { return unix.Read(fd, p) }

// Write is unix.Write: see the package comment for when.
func Write(fd int, p []byte) (int, error) { return unix.Write(fd, p) }
