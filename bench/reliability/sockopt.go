package main

import "syscall"

// setSmallRcvbuf sets SO_RCVBUF to 4096 on a socket before it connects.
func setSmallRcvbuf(_, _ string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
	})
	if err != nil {
		return err
	}
	return serr
}
