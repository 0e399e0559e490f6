package ioloop

import "strings"

// Events is a set of readiness events of a file descriptor.
type Events uint32

// The events a handler can ask for and receive. Error is always reported,
// whether asked for or not (as epoll does).
const (
	Read Events = 1 << iota
	Write
	Error
)

// String returns the set as "Read|Write", or "0" when empty.
func (e Events) String() string {
	var parts []string
	for _, n := range []struct {
		e Events
		s string
	}{{Read, "Read"}, {Write, "Write"}, {Error, "Error"}} {
		if e&n.e != 0 {
			parts = append(parts, n.s)
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "|")
}

// readyEvent is one file descriptor the poller found ready.
type readyEvent struct {
	fd     int32
	events Events
}

// poller is the platform's readiness API. The loop goroutine calls all of
// it except wake, which any goroutine may call.
type poller interface {
	add(fd int, ev Events) error
	modify(fd int, ev Events) error
	remove(fd int) error
	// wait blocks for up to timeoutMs (forever when negative), appends the
	// ready descriptors to evs and reports whether the waker fired (it is
	// drained and left out of evs).
	wait(evs []readyEvent, timeoutMs int) ([]readyEvent, bool, error)
	wake() error
	close() error
}
