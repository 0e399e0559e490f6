package web

// PLACEHOLDER: net/http mounts and ServeHTTP are being written.

import (
	"net/http"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

type bridgeState struct{}

func (a *Application) serveMounted(loop *ioloop.IOLoop, h http.Handler, out responder, sr *httpserver.Request) {
	out.SetStatus(501)
	out.Finish()
}
