package httpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httputil"
)

// Defaults of Request's zero fields, Tornado's.
const (
	DefaultConnectTimeout = 20 * time.Second
	DefaultRequestTimeout = 20 * time.Second
	DefaultMaxRedirects   = 5
	DefaultUserAgent      = "Gornado/1.0"
)

// BodyProducer streams a request body (Tornado's body_producer): it is called
// on the loop once the request head is sent (after 100 Continue when
// Expect100Continue is set) and writes the body with write, whose future
// completes when the bytes are handed to the kernel, so a producer that awaits
// each write never buffers more than one piece. It returns a future that
// completes when the body is written. Without a Content-Length header the
// body is sent chunked.
type BodyProducer func(write func(p []byte) *future.Future[struct{}]) *future.Future[struct{}]

// Request is one HTTP request, Tornado's HTTPRequest. Only URL is required;
// every zero field means Tornado's default. A Request may be fetched several
// times, and is not modified by a fetch.
type Request struct {
	// URL is the absolute http or https URL. Userinfo in it is used for
	// basic auth when AuthUsername is empty.
	URL string
	// Method is "GET" when empty. Methods other than GET, HEAD, POST,
	// PUT, DELETE, PATCH and OPTIONS need AllowNonstandardMethods.
	Method string
	// Header holds extra request headers; Host, Content-Length,
	// User-Agent and Accept-Encoding are filled in unless set here. A
	// Content-Length set here must be a decimal length and, with Body,
	// equal len(Body): otherwise Fetch fails with ErrInvalidRequest, as
	// net/http does (a wrong length would desynchronise the connection).
	// With BodyProducer it is sent as given, and the producer must write
	// exactly that many bytes. Transfer-Encoding may not be set: the
	// client frames the body itself (chunked for a BodyProducer without
	// Content-Length).
	Header httputil.Headers
	// Body is the request body; nil means none. A body with GET, HEAD,
	// OPTIONS or DELETE needs AllowNonstandardMethods, as in Tornado.
	Body []byte
	// BodyProducer streams the body instead of Body (see BodyProducer).
	// A streamed body cannot be replayed: 307 and 308 redirects are
	// then not followed.
	BodyProducer BodyProducer

	// AuthUsername and AuthPassword send HTTP basic auth.
	AuthUsername string
	AuthPassword string

	// ConnectTimeout bounds connecting (resolving, TCP, proxy tunnel and
	// TLS handshake); RequestTimeout bounds the whole fetch once it
	// leaves the queue, redirects included. Zero means 20 s each;
	// negative means none. Past either, the fetch fails with 599 and
	// ErrTimeout. Waiting in the queue is bounded by the smaller of the
	// two, as in Tornado.
	ConnectTimeout time.Duration
	RequestTimeout time.Duration

	// NoFollowRedirects returns 3xx responses instead of following them
	// (Tornado's follow_redirects=False); MaxRedirects bounds how many are
	// followed (zero means 5). 303, and 301 and 302 after POST, are
	// followed with GET and no body, as browsers do; 307 and 308 keep the
	// method and body. Authorization and Cookie headers and the request's
	// credentials (AuthUsername and AuthPassword, or the URL's userinfo) are
	// dropped, for this hop and every later one, when a redirect goes to
	// another host name (compared without case) or from https to http;
	// they are kept on a change of port or from http to https on the same
	// host, as in net/http. A Location without a fragment inherits the
	// fragment of the URL it redirects from (RFC 9110 §10.2.2), which shows
	// in Response.EffectiveURL (fragments are never sent).
	NoFollowRedirects bool
	MaxRedirects      int

	// UnixSocket, if set, is the path of a Unix-domain socket to connect
	// to instead of the URL's host and port (a Docker daemon, a local
	// Gornado server on nethttp.Config.UnixSocket): the URL still gives
	// the path and the Host header, as in http://localhost/v1/info.
	// Plain HTTP only, and no proxy.
	UnixSocket string

	// Takeover keeps the connection when the server answers 101
	// Switching Protocols (the request asked it to with Upgrade): the
	// fetch succeeds with that response, whose Stream is the connection,
	// now the caller's to read, write and close, with any bytes the
	// server sent after the head already in its buffer. It is what a
	// WebSocket client stands on (Tornado's detach). Without it a 101
	// ends the fetch as a non-2xx response and the connection is closed.
	Takeover bool

	// UserAgent is the User-Agent header; empty means DefaultUserAgent
	// (unless Header sets one).
	UserAgent string
	// NoDecompress turns off asking for and inflating gzip bodies
	// (Tornado's decompress_response=False). With decompression on, a
	// gzip body is inflated before the response is returned, the
	// Content-Encoding header moves to X-Consumed-Content-Encoding, and
	// the Content-Length header, which counted the compressed bytes, is
	// removed (len(Response.Body) is the inflated length). An empty body
	// labelled gzip is an empty body.
	NoDecompress bool

	// StreamingCallback, when set, receives the body in chunks as they
	// arrive, on the loop, and Response.Body stays empty. chunk is valid
	// only during the call. A streaming request does not ask for gzip
	// (compressed data could not be inflated as it comes); if the server
	// sends gzip anyway, it is inflated once complete and then delivered.
	StreamingCallback func(chunk []byte)
	// HeaderCallback, when set, receives each line of the response head
	// as it was received, with its CRLF: the status line, each header
	// line and the final "\r\n" (Tornado's header_callback). Not called
	// for interim responses (1xx but 101) or followed redirects.
	HeaderCallback func(line string)

	// ProxyHost and ProxyPort send the request through an HTTP proxy:
	// http URLs in absolute form, https ones through a CONNECT tunnel.
	// ProxyUsername and ProxyPassword send Proxy-Authorization (basic).
	ProxyHost     string
	ProxyPort     int
	ProxyUsername string
	ProxyPassword string

	// InsecureSkipVerify skips checking the server's certificate
	// (Tornado's validate_cert=False).
	InsecureSkipVerify bool
	// CACerts is a PEM file of the CAs to trust instead of the system's
	// (Tornado's ca_certs); RootCAs is the same as a pool.
	CACerts string
	RootCAs *x509.CertPool
	// ClientCert and ClientKey are PEM files of a client certificate.
	ClientCert string
	ClientKey  string
	// TLSConfig, when set, is the base TLS configuration (cloned; the
	// fields above override it).
	TLSConfig *tls.Config

	// Expect100Continue sends Expect: 100-continue and the body only once
	// the server answered 100 Continue (a final answer instead skips the
	// body and closes the connection).
	Expect100Continue bool
	// AllowNonstandardMethods lifts the checks on Method and Body.
	AllowNonstandardMethods bool
	// NoRaise makes a non-2xx response, and a transport failure as a 599
	// response, complete the fetch successfully with Response.Error set
	// (Tornado's raise_error=False).
	NoRaise bool

	// Context, when set, cancels the fetch when it ends: the fetch fails
	// with 599 wrapping the context's error (a Response with it, NoRaise
	// honoured), and its connection is closed. A context already done
	// when Fetch is called fails the fetch at once, in the same way,
	// before anything is sent.
	Context context.Context
}

var standardMethods = map[string]bool{
	"GET": true, "HEAD": true, "POST": true, "PUT": true,
	"DELETE": true, "PATCH": true, "OPTIONS": true,
}

// urlInfo is a parsed request URL; the client caches them by URL, as most
// programs fetch the same URLs again and again.
type urlInfo struct {
	u        *url.URL
	https    bool
	host     string // without brackets
	port     int
	hostPort string // for the Host header: host[:port]
	key      string // the pool key, without proxy or TLS settings
	user     string // userinfo, if any
	pass     string
	hasUser  bool
}

// parseURL parses and checks an http or https URL.
func parseURL(rawURL string) (*urlInfo, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	ui := &urlInfo{u: u}
	switch strings.ToLower(u.Scheme) {
	case "http":
	case "https":
		ui.https = true
	default:
		return nil, fmt.Errorf("%w: unsupported URL scheme %q in %q", ErrInvalidRequest, u.Scheme, rawURL)
	}
	ui.host = u.Hostname()
	if ui.host == "" {
		return nil, fmt.Errorf("%w: no host in %q", ErrInvalidRequest, rawURL)
	}
	ui.port = 80
	if ui.https {
		ui.port = 443
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return nil, fmt.Errorf("%w: bad port in %q", ErrInvalidRequest, rawURL)
		}
		ui.port = n
	}
	ui.hostPort = u.Host
	scheme := "http://"
	if ui.https {
		scheme = "https://"
	}
	ui.key = scheme + ui.host + ":" + strconv.Itoa(ui.port)
	if u.User != nil {
		ui.user = u.User.Username()
		ui.pass, _ = u.User.Password()
		ui.hasUser = true
	}
	return ui, nil
}

// target is a request resolved for sending: its parsed URL and effective
// method and credentials.
type target struct {
	*urlInfo
	method  string
	user    string
	pass    string
	hasUser bool
}

// resolve checks r against rawURL's parsed form (from the client's cache
// when it has it).
func (r *Request) resolve(c *AsyncHTTPClient, rawURL string) (target, error) {
	ui, err := c.parseURL(rawURL)
	if err != nil {
		return target{}, err
	}
	t := target{urlInfo: ui, method: r.Method}
	if t.method == "" {
		t.method = "GET"
	}
	if !r.AllowNonstandardMethods {
		if !standardMethods[t.method] {
			return target{}, fmt.Errorf("%w: method %q needs AllowNonstandardMethods", ErrInvalidRequest, t.method)
		}
		hasBody := r.Body != nil || r.BodyProducer != nil
		switch t.method {
		case "GET", "HEAD", "OPTIONS", "DELETE":
			if hasBody {
				return target{}, fmt.Errorf("%w: a body with %s needs AllowNonstandardMethods", ErrInvalidRequest, t.method)
			}
		}
	} else if !httputil.ValidHeaderName(t.method) {
		return target{}, fmt.Errorf("%w: invalid method %q", ErrInvalidRequest, t.method)
	}
	if r.Body != nil && r.BodyProducer != nil {
		return target{}, fmt.Errorf("%w: both Body and BodyProducer", ErrInvalidRequest)
	}
	if r.UnixSocket != "" && (t.https || r.ProxyHost != "") {
		return target{}, fmt.Errorf("%w: a UnixSocket takes plain HTTP and no proxy", ErrInvalidRequest)
	}
	if r.Header.Len() > 0 {
		if err := r.Header.Validate(); err != nil {
			return target{}, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
		}
		if err := r.checkContentLength(); err != nil {
			return target{}, err
		}
	}
	switch {
	case r.AuthUsername != "":
		t.user, t.pass, t.hasUser = r.AuthUsername, r.AuthPassword, true
	case ui.hasUser:
		t.user, t.pass, t.hasUser = ui.user, ui.pass, true
	}
	return t, nil
}

// checkContentLength checks the Content-Length headers the caller set
// against the body they frame, and refuses a Transfer-Encoding header,
// which would frame it a second way.
func (r *Request) checkContentLength() error {
	if r.Header.Has("Transfer-Encoding") {
		return fmt.Errorf("%w: Transfer-Encoding is set by the client, not in Request.Header", ErrInvalidRequest)
	}
	for _, v := range r.Header.Values("Content-Length") {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		switch {
		case err != nil || n < 0:
			return fmt.Errorf("%w: bad Content-Length header %q", ErrInvalidRequest, v)
		case r.BodyProducer == nil && n != int64(len(r.Body)):
			return fmt.Errorf("%w: Content-Length header %d, but the body is %d bytes", ErrInvalidRequest, n, len(r.Body))
		}
	}
	return nil
}

func (r *Request) connectTimeout() time.Duration {
	return orDefault(r.ConnectTimeout, DefaultConnectTimeout)
}

func (r *Request) requestTimeout() time.Duration {
	return orDefault(r.RequestTimeout, DefaultRequestTimeout)
}

func (r *Request) maxRedirects() int {
	if r.MaxRedirects <= 0 {
		return DefaultMaxRedirects
	}
	return r.MaxRedirects
}

// orDefault maps zero to def and negative to no limit (0).
func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// decompress reports whether the client asks for and inflates gzip.
func (r *Request) decompress() bool { return !r.NoDecompress }
