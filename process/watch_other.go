//go:build !linux

package process

// watch waits for the child on a goroutine of its own (this system has
// no pidfd for the loop to watch) and hands its status to the loop.
func (p *Subprocess) watch() error { return p.watchWithGoroutine() }
