//go:build linux

package ioloop

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// epollPoller is a level-triggered epoll instance with an eventfd waker.
type epollPoller struct {
	epfd   int
	wakefd int
	buf    []unix.EpollEvent
}

func newPoller() (poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("ioloop: epoll_create1: %w", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("ioloop: eventfd: %w", err)
	}
	p := &epollPoller{epfd: epfd, wakefd: wakefd, buf: make([]unix.EpollEvent, 256)}
	if err := p.add(wakefd, Read); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func toEpoll(ev Events) uint32 {
	var e uint32
	if ev&Read != 0 {
		e |= unix.EPOLLIN | unix.EPOLLPRI | unix.EPOLLRDHUP
	}
	if ev&Write != 0 {
		e |= unix.EPOLLOUT
	}
	return e
}

func fromEpoll(e uint32) Events {
	var ev Events
	if e&(unix.EPOLLIN|unix.EPOLLPRI|unix.EPOLLRDHUP) != 0 {
		ev |= Read
	}
	if e&unix.EPOLLOUT != 0 {
		ev |= Write
	}
	if e&(unix.EPOLLERR|unix.EPOLLHUP) != 0 {
		ev |= Error
	}
	return ev
}

func (p *epollPoller) add(fd int, ev Events) error {
	e := unix.EpollEvent{Events: toEpoll(ev), Fd: int32(fd)}
	return wrapErr("epoll_ctl add", unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &e))
}

func (p *epollPoller) modify(fd int, ev Events) error {
	e := unix.EpollEvent{Events: toEpoll(ev), Fd: int32(fd)}
	return wrapErr("epoll_ctl mod", unix.EpollCtl(p.epfd, unix.EPOLL_CTL_MOD, fd, &e))
}

func (p *epollPoller) remove(fd int) error {
	return wrapErr("epoll_ctl del", unix.EpollCtl(p.epfd, unix.EPOLL_CTL_DEL, fd, nil))
}

func (p *epollPoller) wait(evs []readyEvent, timeoutMs int) ([]readyEvent, bool, error) {
	n, err := unix.EpollWait(p.epfd, p.buf, timeoutMs)
	if err == unix.EINTR {
		return evs, false, nil
	}
	if err != nil {
		return evs, false, wrapErr("epoll_wait", err)
	}
	woke := false
	for _, e := range p.buf[:n] {
		if int(e.Fd) == p.wakefd {
			woke = true
			var b [8]byte
			unix.Read(p.wakefd, b[:])
			continue
		}
		evs = append(evs, readyEvent{fd: e.Fd, events: fromEpoll(e.Events)})
	}
	if n == len(p.buf) && len(p.buf) < 4096 {
		p.buf = make([]unix.EpollEvent, 2*len(p.buf))
	}
	return evs, woke, nil
}

func (p *epollPoller) wake() error {
	var b [8]byte
	binary.NativeEndian.PutUint64(b[:], 1)
	_, err := unix.Write(p.wakefd, b[:])
	if err == unix.EAGAIN { // the counter is full: the loop will wake anyway
		return nil
	}
	return wrapErr("eventfd write", err)
}

func (p *epollPoller) close() error {
	err1 := unix.Close(p.wakefd)
	err2 := unix.Close(p.epfd)
	if err1 != nil {
		return wrapErr("close eventfd", err1)
	}
	return wrapErr("close epoll", err2)
}
