package nethttp

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/url"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/httputil"
)

// newRequest builds the net/http request of sr, whose body is body (or,
// from net/http's bridge, sr.Body, copied).
// RemoteAddr is the client's IP with port 0 (the server knows no more);
// TLS is an empty ConnectionState when the request came over HTTPS (or a
// proxy said so, with Config.XHeaders).
func newRequest(sr *httpserver.Request, body *requestBody) *http.Request {
	u, err := url.ParseRequestURI(sr.Target)
	if err != nil {
		u = &url.URL{Path: sr.Path, RawQuery: sr.Query}
	}
	major, minor, ok := http.ParseHTTPVersion(sr.Version)
	if !ok {
		major, minor = 1, 1
	}
	hd := make(http.Header, sr.Header.Len())
	for k, v := range sr.Header.All() {
		hd.Add(k, v)
	}
	hd.Del("Host") // net/http keeps it in Request.Host only
	// The body is whole: it is no longer chunked, and its length is known.
	hd.Del("Transfer-Encoding")
	conn := hd.Get("Connection")
	r := &http.Request{
		Method:     sr.Method,
		URL:        u,
		Proto:      sr.Version,
		ProtoMajor: major,
		ProtoMinor: minor,
		Header:     hd,
		Body:       http.NoBody,
		Host:       sr.Host,
		RemoteAddr: net.JoinHostPort(sr.RemoteIP, "0"),
		RequestURI: sr.Target,
		Close: httputil.TokenListContains(conn, "close") ||
			(major == 1 && minor == 0 && !httputil.TokenListContains(conn, "keep-alive")),
	}
	switch {
	case body != nil && body.size > 0:
		r.Body = io.NopCloser(body.reader())
		r.ContentLength = body.size
	case len(sr.Body) > 0:
		r.Body = io.NopCloser(bytes.NewReader(bytes.Clone(sr.Body)))
		r.ContentLength = int64(len(sr.Body))
	}
	if sr.Trailer.Len() > 0 {
		r.Trailer = make(http.Header, sr.Trailer.Len())
		for k, v := range sr.Trailer.All() {
			r.Trailer.Add(k, v)
		}
	}
	if sr.Protocol == "https" {
		r.TLS = &tls.ConnectionState{HandshakeComplete: true}
	}
	return r
}
