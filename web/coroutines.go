package web

import (
	"net/netip"

	"github.com/gornado/gornado/gen"
)

// coroutinesHandler serves Config.CoroutinesURL.
type coroutinesHandler struct{ RequestHandler }

func (h *coroutinesHandler) Get(co *gen.Co) error {
	ip, err := netip.ParseAddr(h.Request.RemoteIP)
	if err != nil || !ip.IsLoopback() {
		return NewHTTPError(403, "coroutine dump asked from %s", h.Request.RemoteIP)
	}
	h.SetHeader("Content-Type", "text/plain; charset=utf-8")
	h.SetHeader("Cache-Control", "no-store")
	return h.Loop().DumpCoroutines(h.Writer())
}
