package nethttp

import (
	"bufio"
	"net"
	"net/http"

	"github.com/gornado/gornado/iostream"
)

// hijacked is the loop's answer to a Hijack.
type hijacked struct {
	conn     net.Conn
	buffered []byte
	err      error
}

// Hijack takes the connection over (http.Hijacker): what the handler
// wrote so far is sent first, then the connection leaves the loop and is
// the handler's, as an ordinary net.Conn, with the bytes the client sent
// after the request first in what it reads. The response is over for the
// server: later Writes fail with http.ErrHijacked. A TLS connection
// cannot be hijacked (its session lives on the loop).
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.hijacked {
		return nil, nil, http.ErrHijacked
	}
	if w.err != nil {
		return nil, nil, w.err
	}
	if w.status != 0 || len(w.buf) > 0 {
		w.send() // as net/http flushes what was written
	}
	res := make(chan hijacked, 1)
	ex := w.ex
	ex.loop.AddCallback(func() { ex.hijack(res) })
	h := <-res
	if h.err != nil {
		return nil, nil, h.err
	}
	w.hijacked = true
	c := &prefixConn{Conn: h.conn, pre: h.buffered}
	return c, bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c)), nil
}

// hijack detaches the connection from the server and, once what was
// queued is sent, releases its socket to the worker. Loop-only.
func (ex *exchange) hijack(res chan<- hijacked) {
	if ex.closed {
		res <- hijacked{err: errClientGone}
		return
	}
	s, err := ex.out.Detach()
	if err != nil {
		res <- hijacked{err: err}
		return
	}
	ex.closed, ex.finished = true, true
	s.SetCloseCallback(func() { res <- hijacked{err: iostream.ErrStreamClosed} })
	s.OnFlush(func() {
		conn, buffered, err := s.Release()
		if err != nil {
			s.SetCloseCallback(nil)
			s.Close()
		}
		res <- hijacked{conn: conn, buffered: buffered, err: err}
	})
}

// prefixConn is a net.Conn whose first reads return pre.
type prefixConn struct {
	net.Conn
	pre []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.pre) > 0 {
		n := copy(p, c.pre)
		c.pre = c.pre[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
