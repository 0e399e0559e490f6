package httpserver

import (
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
)

var continueLine = []byte("HTTP/1.1 100 Continue\r\n\r\n")

// readBody takes body bytes and returns how many it used.
func (c *conn) readBody(data []byte) int {
	if !c.ex.chunked {
		take := int(min(int64(len(data)), c.ex.bodyLeft))
		c.ex.bodyLeft -= int64(take)
		if !c.bodyData(data[:take]) {
			return len(data)
		}
		if c.ex.bodyLeft == 0 {
			c.bodyDone()
		}
		return take
	}
	out, used, err := c.ex.dec.Decode(data)
	if len(out) > 0 && !c.bodyData(out) {
		return len(data)
	}
	if err != nil {
		c.reject(err)
		return len(data)
	}
	if c.ex.dec.Done() {
		c.ex.dec.Trailers.All()(func(k, v string) bool { c.ex.req.Trailer.Add(k, v); return true })
		c.bodyDone()
	}
	return used
}

// bodyData passes a chunk to the body receiver or the buffer, and reports
// whether reading may go on.
func (c *conn) bodyData(chunk []byte) bool {
	if len(chunk) == 0 {
		return true
	}
	if c.ex.recv != nil {
		if err := c.ex.recv.DataReceived(chunk); err != nil {
			c.reject(err)
			return false
		}
		return true
	}
	if int64(len(c.ex.body)+len(chunk)) > c.srv.cfg.MaxBodySize {
		c.reject(errBodyTooLarge)
		return false
	}
	c.ex.body = append(c.ex.body, chunk...)
	return true
}

func (c *conn) bodyDone() {
	if c.earlyFinish {
		c.earlyFinish = false
		c.state = stHandling
		c.finishRequest()
		return
	}
	if c.ex.gzipRecv != nil {
		if err := inflateTo(c.ex.gzipRecv, c.ex.body); err != nil {
			c.reject(err)
			return
		}
		c.dispatch()
		return
	}
	if c.ex.recv == nil {
		c.ex.req.Body = c.ex.body
		if c.ex.req.Header.Get("X-Consumed-Content-Encoding") == "gzip" && c.srv.cfg.DecompressRequest {
			body, err := gunzip(c.ex.body, c.srv.cfg.MaxBodySize)
			if err != nil {
				c.reject(err)
				return
			}
			c.ex.req.Body = body
			c.ex.req.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	c.dispatch()
}

// inflateTo streams the inflated gzip body b to recv in chunks.
func inflateTo(recv BodyReceiver, b []byte) error {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return badRequest("bad gzip body: " + err.Error())
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := io.ReadFull(zr, buf)
		if n > 0 {
			if rerr := recv.DataReceived(buf[:n]); rerr != nil {
				return rerr
			}
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			if err == io.ErrUnexpectedEOF && n == 0 {
				return badRequest("bad gzip body: truncated")
			}
			return nil
		default:
			return badRequest("bad gzip body: " + err.Error())
		}
	}
}

func gunzip(b []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, badRequest("bad gzip body: " + err.Error())
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, badRequest("bad gzip body: " + err.Error())
	}
	if int64(len(out)) > limit {
		return nil, errBodyTooLarge
	}
	return out, nil
}
