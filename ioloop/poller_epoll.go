//go:build linux

package ioloop

import (
	"encoding/binary"
	"fmt"
	"unsafe"

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

// wait first polls without blocking, as a raw system call, and blocks in
// an ordinary one only if nothing was ready. A busy loop then seldom makes
// a system call the scheduler sees, so the runtime's monitor thread has no
// reason to take the loop's P away (see internal/sysio); an idle one
// sleeps in the kernel like any goroutine in a system call.
func (p *epollPoller) wait(evs []readyEvent, timeoutMs int) ([]readyEvent, bool, error) {
	n, err := p.poll()
	if err == nil && n == 0 && timeoutMs != 0 {
		n, err = unix.EpollWait(p.epfd, p.buf, timeoutMs)
	}
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

// poll is epoll_wait with a zero timeout, as a raw system call
// (epoll_pwait with no signal mask: the one every architecture has).
func (p *epollPoller) poll() (int, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.epfd), uintptr(unsafe.Pointer(&p.buf[0])),
		uintptr(len(p.buf)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
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
