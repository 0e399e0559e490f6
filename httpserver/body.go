package httpserver

import (
	"io"
	"strconv"
)

var continueLine = []byte("HTTP/1.1 100 Continue\r\n\r\n")

// inflateStep bounds the inflated bytes passed on per loop callback: a
// gzipped request body is inflated in steps of this size, and other
// connections are served between them.
const inflateStep = 256 << 10

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
		if err := c.srv.chargeCompressed(ex); err != nil {
			c.reject(err)
			return len(data)
		}
	default:
		if err := ex.delegate.DataReceived(chunk); err != nil {
			c.reject(err)
			return len(data)
		}
		if c.state != stBody {
			return used // closed, or taken over
		}
		if err := c.srv.chargeBody(ex); err != nil {
			c.reject(err)
			return len(data)
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

// frameLimit bounds the body's bytes as they come off the wire: the
// request's body limit, except that a gzipped body is held compressed
// until it is complete, so whatever the delegate takes, no more than
// Config.MaxBodySize of it is held.
func (c *conn) frameLimit() int64 {
	ex := c.ex
	if ex.gzipped && (ex.maxBody <= 0 || ex.maxBody > c.srv.cfg.MaxBodySize) {
		return c.srv.cfg.MaxBodySize
	}
	return ex.maxBody
}

// bodyDone runs when the body is complete: the delegate has the whole
// request, once a gzipped body is inflated.
func (c *conn) bodyDone() {
	ex := c.ex
	if c.earlyFinish {
		c.earlyFinish = false
		c.state = stHandling
		c.finishRequest()
		return
	}
	if ex.gzipped {
		c.startInflating()
		return
	}
	c.handOver()
}

// startInflating inflates a complete gzipped body in steps, a loop
// callback each, so that a body that inflates to gigabytes (a bomb)
// blocks no one: reading stops meanwhile (a pipelined request waits), and
// the body limit applies to the inflated bytes.
func (c *conn) startInflating() {
	ex := c.ex
	ex.zr.Reset(ex.zbody, ex.maxBody)
	ex.inflating = true
	c.pause()
	if !ex.stepPending {
		c.inflate(ex)
	} // else a step of an earlier use of ex is due, and will run this one
}

// nextStep schedules the next step of inflating ex's body.
func (c *conn) nextStep(ex *exchange) {
	if ex.stepPending {
		return
	}
	if ex.inflateFn == nil {
		ex.inflateFn = func() {
			ex.stepPending = false
			if c := ex.resp.c; c != nil {
				c.inflate(ex)
			}
		}
	}
	ex.stepPending = true
	c.srv.loop.AddCallback(ex.inflateFn)
}

// inflate passes up to inflateStep inflated bytes to the delegate, then
// yields to the loop, until the body is done, the delegate pauses
// (Response.PauseReading: ResumeReading goes on), or the request ends.
func (c *conn) inflate(ex *exchange) {
	if c.ex != ex || !ex.inflating || ex.held || c.state != stBody {
		return // ended, or paused; the stale callback of either
	}
	defer func() {
		if v := recover(); v != nil {
			c.panicked(v)
		}
	}()
	for sent := 0; sent < inflateStep; {
		p, err := ex.zr.Next()
		if err == io.EOF {
			ex.inflating = false
			ex.req.Header.Set("Content-Length", strconv.FormatInt(ex.zr.Total(), 10))
			c.dropCompressed(ex)
			c.handOver()
			return
		}
		if err != nil {
			c.reject(err)
			return
		}
		sent += len(p)
		if err := ex.delegate.DataReceived(p); err != nil {
			c.reject(err)
			return
		}
		if c.ex != ex || !ex.inflating || ex.held || c.state != stBody {
			return // answered, closed, taken over or paused by the delegate
		}
		if err := c.srv.chargeBody(ex); err != nil {
			c.reject(err)
			return
		}
	}
	c.nextStep(ex)
}

// dropCompressed lets go of an inflated body's compressed bytes, and of
// their count in the server's budget.
func (c *conn) dropCompressed(ex *exchange) {
	n := ex.zHeld
	ex.charged -= n
	ex.zHeld = 0
	c.srv.buffered -= n
	if cap(ex.zbody) > maxKeptBody {
		ex.zbody = nil
	} else {
		ex.zbody = ex.zbody[:0]
	}
}

// handOver gives the delegate the whole request (Finish); the
// connection waits for the answer.
func (c *conn) handOver() {
	ex := c.ex
	c.state = stHandling
	c.deadline = 0
	ex.delegate.Finish()
	if c.state == stHandling && !c.s.Closed() {
		// The delegate answers later: stop reading meanwhile.
		c.pause()
	}
}
