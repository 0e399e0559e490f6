package nethttp

import (
	"os"
)

// handOff gives c to the loop: in memory, or written to the spill file
// when more than Config.OutbufOverflow bytes are already unsent. Unless c
// is the last, it then waits while more than Config.OutbufHighWatermark
// bytes are unsent. It reports false if the client went away (or the
// spill file could not be written: the response is then cut short).
// Worker-only.
func (ex *exchange) handOff(c *chunk) bool {
	n := int64(len(c.body))
	ex.mu.Lock()
	if ex.gone && !c.final {
		ex.mu.Unlock()
		return false
	}
	toFile := n > 0 && ex.inMem+n > ex.c.overflow
	ex.mu.Unlock()
	if toFile && !ex.toSpill(c) {
		return false
	}
	ex.mu.Lock()
	ex.pending += n
	if !toFile {
		ex.inMem += n
	}
	ex.c.notePending(ex.pending)
	ex.mu.Unlock()
	ex.loop.AddCallback(func() { ex.deliver(c) })
	if c.final {
		return true
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	for ex.pending > ex.c.highWater && !ex.gone {
		ex.c.waits.Add(1)
		ex.cond.Wait()
	}
	return !ex.gone
}

// toSpill writes c's body to the spill file (made on first use, in
// Config.TempDir, and unlinked at once, so no outcome leaves it on disk)
// and makes c refer to it. Worker-only.
func (ex *exchange) toSpill(c *chunk) bool {
	ex.mu.Lock()
	f, gone := ex.spill, ex.gone
	ex.mu.Unlock()
	if gone {
		return c.final
	}
	if f == nil {
		var err error
		f, err = os.CreateTemp(ex.c.cfg.TempDir, "gornado-outbuf-*")
		if err != nil {
			ex.log.Error("nethttp: cannot make a spill file", "error", err)
			return false
		}
		os.Remove(f.Name())
		ex.mu.Lock()
		ex.spill = f
		ex.mu.Unlock()
		ex.c.spills.Add(1)
	}
	if _, err := f.WriteAt(c.body, ex.spillEnd); err != nil {
		ex.log.Error("nethttp: cannot write the spill file", "error", err)
		return false
	}
	c.off, c.n, c.body = ex.spillEnd, int64(len(c.body)), nil
	ex.spillEnd += c.n
	return true
}

// sent counts n bytes as sent (inMem of them from memory) and wakes a
// waiting worker. Loop-only.
func (ex *exchange) sent(n, inMem int64) {
	ex.mu.Lock()
	ex.pending -= n
	ex.inMem -= inMem
	ex.cond.Broadcast()
	ex.mu.Unlock()
}

// deliver queues a chunk from the worker and sends it when its turn
// comes. Loop-only.
func (ex *exchange) deliver(c *chunk) {
	if ex.closed {
		ex.sent(c.size(), int64(len(c.body)))
		if c.final {
			ex.cancel()
		}
		return
	}
	ex.queue = append(ex.queue, c)
	if !ex.sending {
		ex.pump()
	}
}

// pump sends the queue's chunks in order: a chunk in memory at once, a
// spilled one a piece at a time, the next piece once the last has
// reached the kernel. Loop-only.
func (ex *exchange) pump() {
	for len(ex.queue) > 0 && !ex.closed {
		c := ex.queue[0]
		out := ex.out
		first := c.head
		if c.head {
			c.head = false
			ex.started = true
			ex.status = c.status
			out.SetStatus(c.status)
			hd := out.Header()
			for k, vs := range c.header {
				for _, v := range vs {
					hd.Add(k, v)
				}
			}
			if id := ex.c.cfg.Ident; id != "" && !hd.Has("Server") {
				hd.Set("Server", id)
			}
		}
		var piece, inMem int64
		switch {
		case c.body != nil:
			out.Write(c.body)
			piece, inMem = int64(len(c.body)), int64(len(c.body))
			c.body = nil
		case c.n > 0:
			if !ex.readSpill(c) {
				return
			}
			piece = min(c.n, chunkSize)
			c.off, c.n = c.off+piece, c.n-piece
		}
		if c.body == nil && c.n == 0 {
			ex.queue = ex.queue[1:]
			if c.final {
				ex.finish(c, first, piece, inMem)
				return
			}
		}
		ex.sending = true
		out.Flush().OnDone(func() {
			ex.sending = false
			ex.sent(piece, inMem)
			ex.pump()
		})
		return
	}
}

// readSpill writes the next piece of spilled chunk c to the response.
// Loop-only.
func (ex *exchange) readSpill(c *chunk) bool {
	if ex.spillBuf == nil {
		ex.spillBuf = make([]byte, chunkSize) // Write copies it: one per exchange
	}
	buf := ex.spillBuf[:min(c.n, chunkSize)]
	ex.mu.Lock()
	f := ex.spill
	ex.mu.Unlock()
	if f == nil {
		return false
	}
	if _, err := f.ReadAt(buf, c.off); err != nil {
		ex.log.Error("nethttp: cannot read the spill file", "error", err)
		ex.clientGone()
		if s, err := ex.out.Detach(); err == nil {
			s.Close() // the response cannot be completed: cut it short
		}
		return false
	}
	ex.out.Write(buf)
	return true
}

// finish ends the response with its last chunk. Loop-only.
func (ex *exchange) finish(c *chunk, first bool, piece, inMem int64) {
	ex.closed, ex.finished = true, true
	ex.cancel()
	if c.abort && !first {
		ex.log.Warn("nethttp: mounted handler aborted a response already started", "uri", ex.target)
	}
	if err := ex.out.Finish(); err != nil {
		ex.log.Error("nethttp: mounted handler's response", "method", ex.method, "uri", ex.target, "error", err)
	}
	ex.sent(piece, inMem)
	ex.app.LogAccess(ex.status, ex.method, ex.target, ex.remoteIP, ex.loop.Time().Sub(ex.start))
	ex.release()
}
