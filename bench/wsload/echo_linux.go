package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// result is what runEcho measured over its span.
type result struct {
	msgs        int64
	span        time.Duration
	serverTicks int64 // the server's CPU time in clock ticks; -1 without -pid
	clientCPU   time.Duration
}

// clkTck is USER_HZ, the unit of /proc/PID/stat's times: 100 on Linux.
const clkTck = 100

func (r result) serverUs() string {
	if r.serverTicks < 0 || r.msgs == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(r.serverTicks)*1e6/clkTck/float64(r.msgs))
}

// runEcho runs the closed loop on fds: every connection sends a message,
// and sends the next as soon as the echo is in, for warmup then dur;
// the messages echoed during dur are counted.
func runEcho(fds []int, size int, warmup, dur time.Duration, pid int) (result, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return result{}, err
	}
	defer unix.Close(ep)
	conns := make([]*conn, len(fds))
	for i, fd := range fds {
		conns[i] = newConn(fd, i, size)
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(i)}
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return result{}, err
		}
	}
	for i, c := range conns {
		c.nextMessage()
		if err := c.write(ep, i); err != nil {
			return result{}, fmt.Errorf("connection %d: %w", i, err)
		}
	}
	events := make([]unix.EpollEvent, 1024)
	buf := make([]byte, 256<<10)
	var msgs, m0 int64
	var s0 int64
	var u0 time.Duration
	var t0 time.Time
	start := time.Now()
	measureAt, endAt := start.Add(warmup), start.Add(warmup+dur)
	for {
		n, err := unix.EpollWait(ep, events, 100)
		if err != nil && err != unix.EINTR {
			return result{}, err
		}
		for _, ev := range events[:max(n, 0)] {
			i := int(ev.Fd)
			c := conns[i]
			if ev.Events&unix.EPOLLOUT != 0 && c.wWait {
				if err := c.write(ep, i); err != nil {
					return result{}, fmt.Errorf("connection %d: %w", i, err)
				}
			}
			if ev.Events&(unix.EPOLLIN|unix.EPOLLERR|unix.EPOLLHUP) == 0 {
				continue
			}
			done, err := c.read(buf)
			if err != nil {
				return result{}, fmt.Errorf("connection %d: %w", i, err)
			}
			if done {
				msgs++
				c.nextMessage()
				if err := c.write(ep, i); err != nil {
					return result{}, fmt.Errorf("connection %d: %w", i, err)
				}
			}
		}
		now := time.Now()
		switch {
		case t0.IsZero() && !now.Before(measureAt):
			t0, m0, s0, u0 = now, msgs, procTicks(pid), selfCPU()
		case !t0.IsZero() && !now.Before(endAt):
			r := result{msgs: msgs - m0, span: now.Sub(t0), serverTicks: -1, clientCPU: selfCPU() - u0}
			if s0 >= 0 {
				if s1 := procTicks(pid); s1 >= 0 {
					r.serverTicks = s1 - s0
				}
			}
			return r, nil
		}
	}
}

// read reads what the socket has (one read: epoll is level-triggered,
// so the rest comes with the next event) and reports whether it
// completed the echo.
func (c *conn) read(buf []byte) (bool, error) {
	n, err := unix.Read(c.fd, buf)
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return false, nil
	case err != nil:
		return false, err
	case n == 0:
		return false, errClosed
	}
	return c.consume(buf[:n])
}

// write sends what is left of the frame; what the socket does not take
// waits for EPOLLOUT.
func (c *conn) write(ep, i int) error {
	for c.wpos < len(c.frame) {
		n, err := unix.Write(c.fd, c.frame[c.wpos:])
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			if !c.wWait {
				c.wWait = true
				return modEvents(ep, c.fd, i, unix.EPOLLIN|unix.EPOLLOUT)
			}
			return nil
		case err != nil:
			return err
		}
		c.wpos += n
	}
	if c.wWait {
		c.wWait = false
		return modEvents(ep, c.fd, i, unix.EPOLLIN)
	}
	return nil
}

func modEvents(ep, fd, i int, events uint32) error {
	ev := unix.EpollEvent{Events: events, Fd: int32(i)}
	return unix.EpollCtl(ep, unix.EPOLL_CTL_MOD, fd, &ev)
}

// procTicks returns utime+stime of process pid (all its threads), in
// clock ticks, or -1 without a pid or if it cannot be read.
func procTicks(pid int) int64 {
	if pid <= 0 {
		return -1
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	// Fields after the command name, which ends at the last ')': state
	// is field 3, utime 14, stime 15.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if errors.Join(err1, err2) != nil {
		return -1
	}
	return u + s
}

// selfCPU is this process's user+system time.
func selfCPU() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
