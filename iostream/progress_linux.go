package iostream

import "golang.org/x/sys/unix"

// peerAcked returns the bytes the peer's TCP acknowledged on socket fd.
func peerAcked(fd int) (int64, bool) {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return 0, false
	}
	return int64(info.Bytes_acked), true
}
