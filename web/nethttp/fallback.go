package nethttp

import (
	"net/http"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/web"
)

// FallbackHandler is the web handler of a Container's route, Tornado's
// FallbackHandler: once the application's checks have passed (XSRF, and
// login with web.Authenticated), it takes the request's raw response
// (web.RequestHandler.RawResponse) and hands the request to the
// container's pool. Every method is served.
type FallbackHandler struct {
	web.RequestHandler
	c    *Container
	ex   *exchange
	body *requestBody

	method [1]string // SupportedMethods' answer, without an allocation
}

// DataReceived takes the request body as it arrives (after the checks):
// in memory up to Config.InbufOverflow, then in a temporary file.
func (f *FallbackHandler) DataReceived(chunk []byte) error {
	if f.body == nil {
		f.body = &requestBody{c: f.c}
	}
	return f.body.write(chunk)
}

func (f *FallbackHandler) serve(*gen.Co) error {
	w, err := f.RawResponse()
	if err != nil {
		return err
	}
	f.ex = f.c.serve(f, w)
	return nil
}

// Get hands the request to the container's pool; so do the other methods.
func (f *FallbackHandler) Get(co *gen.Co) error { return f.serve(co) }

// Head hands the request on, as Get does.
func (f *FallbackHandler) Head(co *gen.Co) error { return f.serve(co) }

// Post hands the request on, as Get does.
func (f *FallbackHandler) Post(co *gen.Co) error { return f.serve(co) }

// Put hands the request on, as Get does.
func (f *FallbackHandler) Put(co *gen.Co) error { return f.serve(co) }

// Patch hands the request on, as Get does.
func (f *FallbackHandler) Patch(co *gen.Co) error { return f.serve(co) }

// Delete hands the request on, as Get does.
func (f *FallbackHandler) Delete(co *gen.Co) error { return f.serve(co) }

// Options hands the request on, as Get does.
func (f *FallbackHandler) Options(co *gen.Co) error { return f.serve(co) }

// ServeMethod serves any other method (WebDAV's, say).
func (f *FallbackHandler) ServeMethod(co *gen.Co, _ string) error { return f.serve(co) }

// SupportedMethods accepts the request's method, whatever it is: the
// mounted handler decides.
func (f *FallbackHandler) SupportedMethods() []string {
	f.method[0] = f.Request.Method
	return f.method[:]
}

// CheckXSRFCookie is the application's check, unless Config.NoXSRF.
func (f *FallbackHandler) CheckXSRFCookie() error {
	if f.c.cfg.NoXSRF {
		return nil
	}
	return f.RequestHandler.CheckXSRFCookie()
}

// GetCurrentUser asks Config.CurrentUser.
func (f *FallbackHandler) GetCurrentUser() (any, error) {
	if f.c.cfg.CurrentUser == nil {
		return nil, nil
	}
	return f.c.cfg.CurrentUser(&f.RequestHandler)
}

// OnConnectionClose ends the request's context: the client went away.
func (f *FallbackHandler) OnConnectionClose() {
	if f.ex != nil {
		f.ex.clientGone()
	}
}

// ServeHTTP calls the mounted handler directly: the application uses it
// when net/http serves it (web.Application's ServeHTTP).
func (f *FallbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.c.h.ServeHTTP(w, r) }
