package httpbin

import (
	"bytes"
	"fmt"
	"math"
	mathrand "math/rand"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gornado/gornado/gen"
)

// parseDuration parses a Go duration ("1.5s", "300ms") or seconds as a
// number ("1.5"), within [0, max].
func parseDuration(s string, max time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, badRequest("invalid duration: %q", s)
		}
		if secs < 0 || secs > max.Seconds() {
			return 0, badRequest("invalid duration: %gs not in range [0, %v]", secs, max)
		}
		d = time.Duration(secs*1000) * time.Millisecond
	}
	if d < 0 || d > max {
		return 0, badRequest("invalid duration: %v not in range [0, %v]", d, max)
	}
	return d, nil
}

// serverTiming formats one Server-Timing entry, as go-httpbin's.
func serverTiming(name string, d time.Duration, desc string) string {
	return fmt.Sprintf("%s;dur=%0.2f;desc=%q", name, d.Seconds()*1e3, desc)
}

// delayHandler serves /delay/{d}: after sleeping d (at most
// Config.MaxDuration), the /anything answer. The sleep is a coroutine
// parked on a timer; the loop serves others meanwhile.
type delayHandler struct{ anyMethod }

func (h *delayHandler) Serve(co *gen.Co) error {
	d, err := parseDuration(h.PathArgs[0], h.opts.MaxDuration)
	if err != nil {
		return err
	}
	if ok, err := h.pause(co, d); !ok {
		return err
	}
	h.SetHeader("Server-Timing", serverTiming("initial_delay", d, "initial delay"))
	return h.echoBody()
}

// bytesHandler serves /bytes/{n}: n random bytes (at most
// Config.MaxBodySize). With ?seed=S the bytes are those of math/rand's
// source seeded with S, the same as go-httpbin's for the same seed.
type bytesHandler struct{ anyMethod }

func (h *bytesHandler) Serve(*gen.Co) error {
	n, err := strconv.Atoi(h.PathArgs[0])
	if err != nil {
		return badRequest("invalid byte count: %q", h.PathArgs[0])
	}
	seed := time.Now().UnixNano()
	if s, _ := h.GetQueryArgument("seed", ""); s != "" {
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			return badRequest("invalid seed: %q", s)
		}
	}
	switch {
	case n < 0:
		return badRequest("invalid byte count: %d must be greater than 0", n)
	case n == 0:
		h.ClearHeader("Content-Type")
		return nil
	case int64(n) > h.opts.MaxBodySize:
		return badRequest("invalid byte count: %d not in range [1, %d]", n, h.opts.MaxBodySize)
	}
	rng := mathrand.New(mathrand.NewSource(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Intn(256))
	}
	h.SetHeader("Content-Type", binaryType)
	return h.Write(b)
}

// streamLine is one line of /stream/{n}.
type streamLine struct {
	ID      int                 `json:"id"`
	Args    map[string][]string `json:"args"`
	Headers map[string][]string `json:"headers"`
	Origin  string              `json:"origin"`
	URL     string              `json:"url"`
}

// streamHandler serves /stream/{n}: n JSON lines (clamped to [1, 100]),
// each flushed on its own (a chunk each in HTTP/1.1). It awaits each
// Flush, so a slow reader slows the handler instead of filling memory.
type streamHandler struct{ anyMethod }

func (h *streamHandler) Serve(co *gen.Co) error {
	n, err := strconv.Atoi(h.PathArgs[0])
	if err != nil {
		return badRequest("invalid count: %q", h.PathArgs[0])
	}
	n = min(max(n, 1), MaxStreamLines)
	line := streamLine{Args: h.args(), Headers: h.headers(), Origin: h.origin(), URL: h.url()}
	h.SetHeader("Content-Type", "application/json")
	for i := range n {
		line.ID = i
		h.Write(jsonLine(line))
		if _, err := gen.Await(co, h.Flush()); err != nil {
			return nil // Flush fails only when the client went away: no one to answer
		}
	}
	return nil
}

// pause parks the coroutine for d on the loop's clock. ok is false if
// the handler must stop instead of answering: the client went away
// meanwhile (err is nil, there is no one to answer), or the loop closed
// (err says so).
func (b *base) pause(co *gen.Co, d time.Duration) (ok bool, err error) {
	err = gen.Sleep(co, d)
	if b.gone {
		return false, nil
	}
	return err == nil, err
}

// dripHandler serves /drip: after ?delay, ?numbytes "*" bytes spread
// over ?duration with status ?code. The body has a Content-Length (not
// chunked) and each byte is flushed on its own, a slow server as a client
// sees it. The pauses are coroutine sleeps on the loop.
type dripHandler struct{ anyMethod }

func (h *dripHandler) Serve(co *gen.Co) error {
	duration, delay, n, code := DefaultDripDuration, DefaultDripDelay, DefaultDripNumBytes, http.StatusOK
	var err error
	limit := h.opts.MaxDuration
	if v, _ := h.GetQueryArgument("duration", ""); v != "" {
		if duration, err = parseDuration(v, limit); err != nil {
			return err
		}
	}
	if v, _ := h.GetQueryArgument("delay", ""); v != "" {
		if delay, err = parseDuration(v, limit); err != nil {
			return err
		}
	}
	if v, _ := h.GetQueryArgument("numbytes", ""); v != "" {
		if n, err = strconv.ParseInt(v, 10, 64); err != nil {
			return badRequest("invalid numbytes: %q", v)
		}
		if n < 1 || n > h.opts.MaxBodySize {
			return badRequest("invalid numbytes: %d not in range [1, %d]", n, h.opts.MaxBodySize)
		}
	}
	if v, _ := h.GetQueryArgument("code", ""); v != "" {
		if code, err = parseStatus(v, 100, 599); err != nil {
			return err
		}
	}
	if duration+delay > limit {
		return badRequest("too much time: %v+%v > %v", duration, delay, limit)
	}
	pause := duration
	if n > 1 {
		pause = (duration + time.Duration(n-2)) / time.Duration(n-1) // ceiling: n-1 pauses cover duration
	}
	if delay > 0 {
		if ok, err := h.pause(co, delay); !ok {
			return err
		}
	}
	h.SetHeader("Content-Type", textType)
	h.SetHeader("Server-Timing", strings.Join([]string{
		serverTiming("total_duration", delay+duration, "total request duration"),
		serverTiming("initial_delay", delay, "initial delay"),
		serverTiming("write_duration", duration, "duration of writes after initial delay"),
		serverTiming("pause_per_write", pause, "computed pause between writes"),
	}, ", "))
	if code < 200 {
		code = http.StatusOK // as /status: an interim status cannot end a response
	}
	h.SetStatus(code)
	if code == http.StatusNoContent || code == http.StatusNotModified {
		return nil // no body allowed
	}
	h.SetHeader("Content-Length", strconv.FormatInt(n, 10))
	if pause == 0 {
		return h.Write(bytes.Repeat([]byte{'*'}, int(n)))
	}
	// Each byte goes out when it is due by the clock, not after a pause
	// of its own: a timer fires a little late (a millisecond or so), and
	// ten thousand late pauses would stretch a one-second drip to ten.
	// Bytes that fell due meanwhile go out together.
	start := time.Now()
	for sent := int64(0); sent < n; {
		due := dripDue(time.Since(start), duration, n)
		h.Write(bytes.Repeat([]byte{'*'}, int(due-sent)))
		sent = due
		if _, err := gen.Await(co, h.Flush()); err != nil {
			return nil // Flush fails only when the client went away: no one to answer
		}
		if sent == n {
			break
		}
		if ok, err := h.pause(co, max(dripAt(sent, duration, n)-time.Since(start), 0)); !ok {
			return err
		}
	}
	return nil
}

// dripAt is when byte i (from 0) of a drip of n bytes over duration is
// due: the first at once, the last at duration, evenly between.
func dripAt(i int64, duration time.Duration, n int64) time.Duration {
	if n <= 1 {
		return 0
	}
	return time.Duration(float64(duration) * float64(i) / float64(n-1))
}

// dripDue returns how many bytes of a drip are due at elapsed: at least
// the first, at most n.
func dripDue(elapsed, duration time.Duration, n int64) int64 {
	if n <= 1 || elapsed >= duration {
		return n
	}
	due := int64(float64(elapsed)/float64(duration)*float64(n-1)) + 1
	return min(max(due, 1), n)
}
