package ioloop

import "fmt"

// HandlerFunc handles readiness of a file descriptor: fd is the descriptor
// and events what is ready (Error is reported even when not asked for).
type HandlerFunc func(fd int, events Events)

type fdHandler struct {
	fn     HandlerFunc
	events Events
}

// AddHandler registers fn to run on the loop whenever fd is ready for any of
// events. Polling is level-triggered: fn runs again each iteration while
// the condition holds, so it should read or write until EAGAIN or change
// its events. The loop does not own fd unless Close is told to close all
// fds. It returns ErrHandlerExists if fd already has a handler, or the
// poller's error. Loop-only.
func (l *IOLoop) AddHandler(fd int, events Events, fn HandlerFunc) error {
	l.checkGoroutine("AddHandler")
	if fd < 0 {
		return fmt.Errorf("ioloop: add handler: invalid fd %d", fd)
	}
	if fd < len(l.handlers) && l.handlers[fd] != nil {
		return ErrHandlerExists
	}
	if err := l.poller.add(fd, events); err != nil {
		return err
	}
	for fd >= len(l.handlers) {
		l.handlers = append(l.handlers, nil)
	}
	l.handlers[fd] = &fdHandler{fn: fn, events: events}
	return nil
}

// UpdateHandler changes the events fd's handler waits for. It returns
// ErrNoHandler if fd has none. Loop-only.
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
// has no handler. Loop-only.
func (l *IOLoop) RemoveHandler(fd int) error {
	l.checkGoroutine("RemoveHandler")
	if l.handlerOf(fd) == nil {
		return ErrNoHandler
	}
	l.handlers[fd] = nil
	return l.poller.remove(fd)
}

func (l *IOLoop) handlerOf(fd int) *fdHandler {
	if fd < 0 || fd >= len(l.handlers) {
		return nil
	}
	return l.handlers[fd]
}

// dispatch calls fd's handler, if it still has one, with the events it
// asked for plus Error.
func (l *IOLoop) dispatch(fd int, events Events) {
	h := l.handlerOf(fd)
	if h == nil {
		return
	}
	events &= h.events | Error
	if events == 0 {
		return
	}
	defer l.afterCallback()
	if l.wd != nil {
		l.wd.begin()
	}
	h.fn(fd, events)
}
