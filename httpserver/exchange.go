package httpserver

import "github.com/gornado/gornado/httputil"

// exchange is one request and its response: everything a connection needs
// only while a request is in progress. The server keeps finished exchanges
// in a free list (loop-only, so no locking), so a connection between
// requests holds none, and a request reuses the buffers of an earlier one.
type exchange struct {
	req      Request
	resp     Response
	bodyLeft int64
	chunked  bool
	dec      httputil.ChunkedDecoder
	body     []byte
	recv     BodyReceiver
	gzipRecv BodyReceiver // a streamed body that arrives gzipped
}

// maxFreeExchanges bounds the free list; maxKeptBody bounds the body
// buffer an exchange keeps for reuse.
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
	ex.resp.reset(c, &ex.req)
	return ex
}

// releaseExchange takes back an exchange whose response is finished.
func (s *Server) releaseExchange(ex *exchange) {
	ex.req.reset()
	ex.resp.c, ex.resp.r, ex.resp.onClose = nil, nil, nil
	ex.recv, ex.gzipRecv = nil, nil
	if cap(ex.body) > maxKeptBody {
		ex.body = nil
	} else {
		ex.body = ex.body[:0]
	}
	if cap(ex.resp.body) > maxKeptBody {
		ex.resp.body = nil
	}
	if len(s.free) < maxFreeExchanges {
		s.free = append(s.free, ex)
	}
}
