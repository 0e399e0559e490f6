//go:build linux

package looptest

import (
	"os"
	"strconv"
)

// openFDs returns the process's open file descriptors, each with what it
// refers to (readlink of /proc/self/fd/N), and true; or nil and false if
// they cannot be listed. The descriptor ReadDir itself used is closed by the
// time the links are read, so it drops out.
func openFDs() (map[int]string, bool) {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil, false
	}
	fds := make(map[int]string, len(ents))
	for _, ent := range ents {
		fd, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		target, err := os.Readlink("/proc/self/fd/" + ent.Name())
		if err != nil {
			continue // closed meanwhile
		}
		fds[fd] = target
	}
	return fds, true
}
