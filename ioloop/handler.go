package ioloop

import "fmt"

// Handler handles readiness of a file descriptor: fd is the descriptor and
// events what is ready (Error is reported even when not asked for).
// HandleEvents runs on the loop.
//
// An object that owns a descriptor (a stream, a listener) can be its own
// Handler: the loop then keeps the object itself, where a method value
// (obj.handleEvents) would cost a small allocation per descriptor, which
// adds up over tens of thousands of idle connections.
type Handler interface {
	HandleEvents(fd int, events Events)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(fd int, events Events)

// HandleEvents calls f(fd, events).
func (f HandlerFunc) HandleEvents(fd int, events Events) { f(fd, events) }

// fdHandler is one slot of the loop's handler table, indexed by fd. Slots
// are kept by value: a registered descriptor costs no allocation of its
// own.
type fdHandler struct {
	h      Handler // nil: no handler
	events Events
}

// AddHandler registers h to run on the loop whenever fd is ready for any of
// events. Polling is level-triggered: h runs again each iteration while
// the condition holds, so it should read or write until EAGAIN or change
// its events. The loop does not own fd unless Close is told to close all
// fds. It returns ErrHandlerExists if fd already has a handler, or the
// poller's error. Loop-only: from another goroutine it panics while the loop sleeps (or
// with Config.Debug) and otherwise races with the loop; use AddCallback.
func (l *IOLoop) AddHandler(fd int, events Events, h Handler) error {
	l.checkGoroutine("AddHandler")
	if fd < 0 {
		return fmt.Errorf("ioloop: add handler: invalid fd %d", fd)
	}
	if fd < len(l.handlers) && l.handlers[fd].h != nil {
		return ErrHandlerExists
	}
	if h == nil {
		return fmt.Errorf("ioloop: add handler: nil handler for fd %d", fd)
	}
	if err := l.poller.add(fd, events); err != nil {
		return err
	}
	if fd >= len(l.handlers) {
		if fd < cap(l.handlers) {
			l.handlers = l.handlers[:fd+1]
		} else {
			l.handlers = append(l.handlers, make([]fdHandler, fd+1-len(l.handlers))...)
		}
	}
	l.handlers[fd] = fdHandler{h: h, events: events}
	return nil
}

// UpdateHandler changes the events fd's handler waits for. It returns
// ErrNoHandler if fd has none. Loop-only: from another goroutine it panics while the loop sleeps (or
// with Config.Debug) and otherwise races with the loop; use AddCallback.
func (l *IOLoop) UpdateHandler(fd int, events Events) error {
	l.checkGoroutine("UpdateHandler")
	h := l.handlerOf(fd)
	if h == nil {
		return ErrNoHandler
	}
	if h.events == events {
		return nil
	}
	if err := l.poller.modify(fd, events); err != nil {
		return err
	}
	h.events = events
	return nil
}

// RemoveHandler stops watching fd; an event for it already polled in this
// iteration is dropped. It does not close fd. It returns ErrNoHandler if fd
// has no handler. Loop-only: from another goroutine it panics while the loop sleeps (or
// with Config.Debug) and otherwise races with the loop; use AddCallback.
func (l *IOLoop) RemoveHandler(fd int) error {
	l.checkGoroutine("RemoveHandler")
	if l.handlerOf(fd) == nil {
		return ErrNoHandler
	}
	l.handlers[fd] = fdHandler{}
	return l.poller.remove(fd)
}

// handlerOf returns fd's slot, or nil if fd has no handler. The pointer is
// into the table: valid until the next AddHandler.
func (l *IOLoop) handlerOf(fd int) *fdHandler {
	if fd < 0 || fd >= len(l.handlers) || l.handlers[fd].h == nil {
		return nil
	}
	return &l.handlers[fd]
}

// dispatch calls fd's handler, if it still has one, with the events it
// asked for plus Error.
func (l *IOLoop) dispatch(r *runner, fd int, events Events) {
	h := l.handlerOf(fd)
	if h == nil {
		return
	}
	events &= h.events | Error
	if events == 0 {
		return
	}
	defer l.afterCallback(r)
	if l.wd != nil {
		l.wd.begin()
	}
	h.h.HandleEvents(fd, events)
}
