//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package ioloop

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// kqueuePoller is a kqueue instance with a self-pipe waker. kqueue has one
// filter per direction, so it remembers what each fd asked for.
type kqueuePoller struct {
	kq       int
	wakeR    int
	wakeW    int
	interest map[int]Events
	buf      []unix.Kevent_t
}

func newPoller() (poller, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, fmt.Errorf("ioloop: kqueue: %w", err)
	}
	unix.CloseOnExec(kq)
	var fds [2]int
	if err := unix.Pipe(fds[:]); err != nil {
		unix.Close(kq)
		return nil, fmt.Errorf("ioloop: pipe: %w", err)
	}
	for _, fd := range fds {
		unix.CloseOnExec(fd)
		unix.SetNonblock(fd, true)
	}
	p := &kqueuePoller{kq: kq, wakeR: fds[0], wakeW: fds[1], interest: map[int]Events{}, buf: make([]unix.Kevent_t, 256)}
	if err := p.add(p.wakeR, Read); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *kqueuePoller) change(fd int, old, ev Events) error {
	var changes []unix.Kevent_t
	for _, f := range []struct {
		e      Events
		filter int
	}{{Read, unix.EVFILT_READ}, {Write, unix.EVFILT_WRITE}} {
		var k unix.Kevent_t
		switch {
		case ev&f.e != 0 && old&f.e == 0:
			unix.SetKevent(&k, fd, f.filter, unix.EV_ADD)
		case ev&f.e == 0 && old&f.e != 0:
			unix.SetKevent(&k, fd, f.filter, unix.EV_DELETE)
		default:
			continue
		}
		changes = append(changes, k)
	}
	if len(changes) == 0 {
		return nil
	}
	_, err := unix.Kevent(p.kq, changes, nil, nil)
	return wrapErr("kevent", err)
}

func (p *kqueuePoller) add(fd int, ev Events) error {
	if err := p.change(fd, 0, ev); err != nil {
		return err
	}
	p.interest[fd] = ev
	return nil
}

func (p *kqueuePoller) modify(fd int, ev Events) error {
	if err := p.change(fd, p.interest[fd], ev); err != nil {
		return err
	}
	p.interest[fd] = ev
	return nil
}

func (p *kqueuePoller) remove(fd int) error {
	err := p.change(fd, p.interest[fd], 0)
	delete(p.interest, fd)
	return err
}

func (p *kqueuePoller) wait(evs []readyEvent, timeoutMs int) ([]readyEvent, bool, error) {
	var ts *unix.Timespec
	if timeoutMs >= 0 {
		t := unix.NsecToTimespec(int64(time.Duration(timeoutMs) * time.Millisecond))
		ts = &t
	}
	n, err := unix.Kevent(p.kq, nil, p.buf, ts)
	if err == unix.EINTR {
		return evs, false, nil
	}
	if err != nil {
		return evs, false, wrapErr("kevent wait", err)
	}
	woke := false
	for _, k := range p.buf[:n] {
		fd := int(k.Ident)
		if fd == p.wakeR {
			woke = true
			var b [64]byte
			for {
				if n, _ := unix.Read(p.wakeR, b[:]); n <= 0 {
					break
				}
			}
			continue
		}
		var ev Events
		switch k.Filter {
		case unix.EVFILT_READ:
			ev = Read
		case unix.EVFILT_WRITE:
			ev = Write
		}
		if k.Flags&unix.EV_ERROR != 0 {
			ev |= Error
		}
		evs = append(evs, readyEvent{fd: int32(fd), events: ev})
	}
	return evs, woke, nil
}

func (p *kqueuePoller) wake() error {
	_, err := unix.Write(p.wakeW, []byte{0})
	if err == unix.EAGAIN {
		return nil
	}
	return wrapErr("pipe write", err)
}

func (p *kqueuePoller) close() error {
	unix.Close(p.wakeR)
	unix.Close(p.wakeW)
	return wrapErr("close kqueue", unix.Close(p.kq))
}
