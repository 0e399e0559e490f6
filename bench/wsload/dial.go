package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// dialAll opens n WebSocket connections, dialers at a time, and returns
// their sockets (non-blocking, out of Go's poller: see takeFd).
func dialAll(addr, path string, n, src, dialers int) ([]int, error) {
	fds := make([]int, n)
	for i := range fds {
		fds[i] = -1
	}
	var next atomic.Int64
	var firstErr atomic.Pointer[error]
	var wg sync.WaitGroup
	for range min(dialers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for firstErr.Load() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fd, err := dial(addr, path, i%src+1)
				if err != nil {
					err = fmt.Errorf("connection %d: %w", i, err)
					firstErr.CompareAndSwap(nil, &err)
					return
				}
				fds[i] = fd
			}
		}()
	}
	wg.Wait()
	if p := firstErr.Load(); p != nil {
		closeAll(fds)
		return nil, *p
	}
	return fds, nil
}

func closeAll(fds []int) {
	for _, fd := range fds {
		if fd >= 0 {
			syscall.Close(fd)
		}
	}
}

// dial connects from 127.0.0.<host>, completes the opening handshake
// and returns the socket.
func dial(addr, path string, host int) (int, error) {
	d := net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(host))},
		Timeout:   10 * time.Second,
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return -1, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	var k [16]byte
	rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := c.Write([]byte(req)); err != nil {
		return -1, err
	}
	// Read the head byte by byte: nothing past it may be taken from the
	// socket, and the server sends nothing more until it has a message.
	br := bufio.NewReaderSize(oneByte{c}, 16)
	tp := textproto.NewReader(br)
	status, err := tp.ReadLine()
	if err != nil {
		return -1, fmt.Errorf("reading the handshake response: %w", err)
	}
	if !strings.HasPrefix(status, "HTTP/1.1 101 ") {
		return -1, fmt.Errorf("handshake answered %q", status)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return -1, fmt.Errorf("reading the handshake response: %w", err)
	}
	if got := h.Get("Sec-Websocket-Accept"); got != acceptKey(key) {
		return -1, fmt.Errorf("Sec-WebSocket-Accept %q, want %q", got, acceptKey(key))
	}
	if ext := h.Get("Sec-Websocket-Extensions"); ext != "" {
		return -1, fmt.Errorf("the server agreed to extensions %q, none offered", ext)
	}
	if br.Buffered() > 0 {
		return -1, errors.New("bytes after the handshake response")
	}
	return takeFd(c.(*net.TCPConn))
}

// oneByte reads at most one byte at a time.
type oneByte struct{ c net.Conn }

func (o oneByte) Read(p []byte) (int, error) { return o.c.Read(p[:min(len(p), 1)]) }

// takeFd returns a duplicate of c's socket; c's Close then takes the
// socket out of Go's poller (EPOLL_CTL_DEL) without closing the
// connection, which the duplicate holds. The file is non-blocking.
func takeFd(c *net.TCPConn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var dupErr error
	if err := rc.Control(func(s uintptr) { fd, dupErr = syscall.Dup(int(s)) }); err != nil {
		return -1, err
	}
	if dupErr != nil {
		return -1, dupErr
	}
	syscall.CloseOnExec(fd)
	return fd, nil
}

func acceptKey(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// countAlive counts the sockets the server has not closed: a read finds
// nothing to read (EAGAIN) rather than the end of the stream.
func countAlive(fds []int) int {
	alive := 0
	var b [512]byte
	for _, fd := range fds {
		n, err := syscall.Read(fd, b[:])
		if errors.Is(err, syscall.EAGAIN) || n > 0 {
			alive++
		}
	}
	return alive
}
