package webtest_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/webtest"
)

type mainHandler struct{ web.RequestHandler }

func (h *mainHandler) Get(co *gen.Co) error {
	name, err := h.GetArgument("name", "world")
	if err != nil {
		return err
	}
	return h.Write("Hello, " + name)
}

func TestServe(t *testing.T) {
	s := webtest.Serve(t, []web.Route{{Pattern: `/`, Handler: web.Make[mainHandler]()}}, web.Config{})
	resp, body := s.Get("/?name=test")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Hello, test", body)
}

func TestServeHandlerOverTLS(t *testing.T) {
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.WriteString(r.Protocol)
		w.Finish()
	})
	s := webtest.ServeHandler(t, h, httpserver.Config{TLS: webtest.ServerTLS(t)})
	_, body := s.Get("/")
	assert.Equal(t, "https", body, "the client trusts the shared test CA")
}

// The proxy forwards a request in absolute form, asks for its credentials
// first when it has some, and records what it read.
func TestProxy(t *testing.T) {
	s := webtest.Serve(t, []web.Route{{Pattern: `/`, Handler: web.Make[mainHandler]()}}, web.Config{})
	p := webtest.NewProxy(t, "ann:secret")
	for _, tc := range []struct {
		user string
		code int
	}{{"", 407}, {"ann:secret", 200}} {
		u, _ := url.Parse("http://" + p.Addr)
		if tc.user != "" {
			name, pass, _ := strings.Cut(tc.user, ":")
			u.User = url.UserPassword(name, pass)
		}
		tr := &http.Transport{Proxy: http.ProxyURL(u)}
		resp, err := (&http.Client{Transport: tr}).Get(s.URL + "/?name=proxy")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		tr.CloseIdleConnections()
		assert.Equal(t, tc.code, resp.StatusCode)
		if tc.code == 200 {
			assert.Equal(t, "Hello, proxy", string(body))
		}
	}
	assert.Equal(t, []string{"GET " + s.URL + "/?name=proxy HTTP/1.1", "GET " + s.URL + "/?name=proxy HTTP/1.1"}, p.RequestLines())
}

// A RawServer's script answers as it likes; ReadHead reads the request.
func TestRawServer(t *testing.T) {
	rs := webtest.NewRawServer(t, func(c net.Conn, br *bufio.Reader) {
		head := webtest.ReadHead(br)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: "+strconv.Itoa(len(head[0]))+"\r\nConnection: close\r\n\r\n"+head[0])
	})
	resp, err := http.Get("http://" + rs.Addr + "/x")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "GET /x HTTP/1.1", string(body))
	assert.Equal(t, 1, rs.Accepted())
}

// A connection tracked once the test has ended (accepted, or dialled by
// a script, as the listener closed) is closed at once, not left open for
// a script to wait on until its hang guard.
func TestRawServerTrackAfterEnd(t *testing.T) {
	var rs *webtest.RawServer
	t.Run("server", func(t *testing.T) {
		rs = webtest.NewRawServer(t, func(net.Conn, *bufio.Reader) {})
	})
	c, peer := net.Pipe()
	defer peer.Close()
	rs.Track(c)
	peer.SetReadDeadline(time.Now().Add(5 * time.Second)) // a hang guard
	_, err := peer.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "closed when tracked")
}
