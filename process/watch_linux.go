package process

import (
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/ioloop"
)

// watch has the loop watch the child's pidfd, which becomes readable
// when the child exits; the loop then reaps it. No goroutine waits.
func (p *Subprocess) watch() error {
	fd, err := unix.PidfdOpen(p.Pid, 0)
	if err != nil {
		return p.watchWithGoroutine() // a kernel before 5.3
	}
	return p.loop.AddHandler(fd, ioloop.Read, ioloop.HandlerFunc(func(int, ioloop.Events) {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(p.Pid, &ws, unix.WNOHANG, nil)
		if err == unix.EINTR || (err == nil && pid == 0) {
			return // not yet: the loop will call again
		}
		p.loop.RemoveHandler(fd)
		unix.Close(fd)
		p.exited(ws)
	}))
}
