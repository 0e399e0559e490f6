package httpserver

import "github.com/gornado/gornado/internal/http1"

// exchange is one request and its response: everything a connection needs
// only while a request is in progress. The server keeps finished exchanges
// in a free list (loop-only, so no locking), so a connection between
// requests holds none, and a request reuses the buffers of an earlier one.
type exchange struct {
	req      Request
	resp     Response
	body     http1.Body      // frames the request body
	delegate MessageDelegate // the request's, from Handler.StartRequest
	serve    HandlerFunc     // HandlerFunc's delegate calls it
	maxBody  int64           // the body limit (SetMaxBodySize)
	zbody    []byte          // a gzipped body, inflated once complete
	zr       http1.Inflater  // inflates zbody, a step at a time
	// inflateFn runs the next step of inflating; stepPending says it is
	// queued on the loop (perhaps from an earlier use of the exchange).
	inflateFn   func()
	stepPending bool
	inflating   bool // zbody is being inflated
	held        bool // the delegate paused reading while the body inflates
	gzipped     bool
	// wantContinue: the client waits for 100 Continue, which goes out
	// when the body is first read (after a paused HeadersReceived).
	wantContinue bool
	// charged: the bytes of this request counted in the server's
	// buffered-body total; bodyHeld and zHeld: the parts of them in
	// req.Body and zbody. Each counts its buffer's capacity, the memory
	// it holds, not its length (up to twice as much as appends grow it),
	// once it grew in this request: a buffer kept from an earlier request
	// of the exchange (bodyBase, zBase: its capacity) counts its length,
	// so a small body does not pay for a large one before it.
	charged, bodyHeld, zHeld int64
	bodyBase, zBase          int
	// done: the handler finished the response (or took the connection
	// over); OnConnectionClose is not due any more.
	done bool
}

// maxFreeExchanges bounds the free list; maxKeptBody bounds the body
// buffers an exchange keeps for reuse.
const (
	maxFreeExchanges = 1024
	maxKeptBody      = 64 << 10
)

// takeExchange returns a clean exchange for a request on c.
func (s *Server) takeExchange(c *conn) *exchange {
	var ex *exchange
	if n := len(s.free); n > 0 {
		ex = s.free[n-1]
		s.free[n-1] = nil
		s.free = s.free[:n-1]
	} else {
		ex = &exchange{}
	}
	ex.resp.reset(c, ex)
	ex.maxBody = s.cfg.MaxBodySize
	ex.bodyBase, ex.zBase = cap(ex.req.Body), cap(ex.zbody)
	return ex
}

// releaseExchange takes back an exchange whose response is finished.
func (s *Server) releaseExchange(ex *exchange) {
	s.uncharge(ex)
	ex.req.reset()
	ex.resp.c, ex.resp.ex, ex.resp.onClose = nil, nil, nil
	ex.delegate, ex.serve = nil, nil
	ex.gzipped, ex.wantContinue, ex.done = false, false, false
	ex.inflating, ex.held = false, false
	if cap(ex.zbody) > maxKeptBody {
		ex.zbody = nil
	} else {
		ex.zbody = ex.zbody[:0]
	}
	if cap(ex.resp.body) > maxKeptBody {
		ex.resp.body = nil
	}
	if len(s.free) < maxFreeExchanges {
		s.free = append(s.free, ex)
	}
}

var errBodiesOverBudget = &StatusError{Code: 503, Msg: "httpserver: request bodies held in memory over Config.MaxBufferedBodySize"}

// charge counts n more bytes of ex's body as held in memory; past the
// server's budget (Config.MaxBufferedBodySize) the request must be
// refused. Loop-only, like the total.
func (s *Server) charge(ex *exchange, n int64) error {
	ex.charged += n
	s.buffered += n
	if max := s.cfg.MaxBufferedBodySize; max > 0 && s.buffered > max {
		return errBodiesOverBudget
	}
	return nil
}

// chargeBody counts what req.Body grew by since the last look (the
// delegate appends to it): the cost of one comparison per piece of body.
func (s *Server) chargeBody(ex *exchange) error {
	n := heldBy(ex.req.Body, ex.bodyBase) - ex.bodyHeld
	if n <= 0 {
		return nil
	}
	ex.bodyHeld += n
	return s.charge(ex, n)
}

// heldBy is the memory b counts for: its capacity once it grew past base
// (the capacity it started the request with), its length before.
func heldBy(b []byte, base int) int64 {
	if cap(b) != base {
		return int64(cap(b))
	}
	return int64(len(b))
}

// chargeCompressed is chargeBody for the compressed body, zbody.
func (s *Server) chargeCompressed(ex *exchange) error {
	n := heldBy(ex.zbody, ex.zBase) - ex.zHeld
	if n <= 0 {
		return nil
	}
	ex.zHeld += n
	return s.charge(ex, n)
}

// uncharge gives back what ex counted, once its request is over.
func (s *Server) uncharge(ex *exchange) {
	s.buffered -= ex.charged
	ex.charged, ex.bodyHeld, ex.zHeld = 0, 0, 0
}
