package process

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// watchWithGoroutine waits for the child on a goroutine and hands its
// status to the loop: the fallback where the loop cannot watch the child.
func (p *Subprocess) watchWithGoroutine() error {
	go func() {
		p.cmd.Wait()
		var ws unix.WaitStatus
		if st, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
			ws = unix.WaitStatus(st)
		}
		p.loop.AddCallback(func() { p.exited(ws) })
	}()
	return nil
}
