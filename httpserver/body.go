package httpserver

import (
	"strconv"

	"github.com/gornado/gornado/internal/http1"
)

var continueLine = []byte("HTTP/1.1 100 Continue\r\n\r\n")

// readBody takes body bytes, passes the body in them on, and returns how
// many it used.
func (c *conn) readBody(data []byte) int {
	ex := c.ex
	chunk, used, err := ex.body.Next(data)
	if err != nil {
		c.reject(err)
		return len(data)
	}
	switch {
	case chunk == nil, c.earlyFinish:
		// nothing, or a body nobody wants any more: dropped
	case ex.gzipped:
		ex.zbody = append(ex.zbody, chunk...)
	default:
		if err := ex.delegate.DataReceived(chunk); err != nil {
			c.reject(err)
			return len(data)
		}
		if c.state != stBody {
			return used // closed, or taken over
		}
	}
	if ex.body.Done() {
		if tr := ex.body.Trailers(); tr.Len() > 0 {
			for k, v := range tr.All() {
				ex.req.Trailer.Add(k, v)
			}
		}
		c.bodyDone()
	}
	return used
}

// bodyDone runs when the body is complete: the delegate has the whole
// request.
func (c *conn) bodyDone() {
	ex := c.ex
	if c.earlyFinish {
		c.earlyFinish = false
		c.state = stHandling
		c.finishRequest()
		return
	}
	if ex.gzipped {
		var inflated int64
		err := http1.Inflate(ex.zbody, ex.maxBody, func(p []byte) error {
			inflated += int64(len(p))
			if c.earlyFinish || c.state != stBody {
				return nil
			}
			return ex.delegate.DataReceived(p)
		})
		if err != nil {
			c.reject(err)
			return
		}
		if c.state != stBody {
			return
		}
		if c.earlyFinish {
			c.earlyFinish = false
			c.state = stHandling
			c.finishRequest()
			return
		}
		ex.req.Header.Set("Content-Length", strconv.FormatInt(inflated, 10))
	}
	c.state = stHandling
	c.deadline = 0
	ex.delegate.Finish()
	if c.state == stHandling && !c.s.Closed() {
		// The delegate answers later: stop reading meanwhile.
		c.pause()
	}
}
