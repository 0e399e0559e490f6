//go:build darwin || linux || openbsd

package iostream

import "github.com/gornado/gornado/internal/sysio"

func writev(fd int, iov [][]byte) (int, error) {
	if len(iov) == 1 {
		return sysio.Write(fd, iov[0])
	}
	return sysio.Writev(fd, iov)
}
