package webtest

import (
	"bufio"
	"encoding/base64"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Proxy is an HTTP proxy for tests, on loopback until the end of the
// test: a request in absolute form ("GET http://host/path HTTP/1.1") is
// forwarded to its host as it came, and CONNECT opens a tunnel (what a
// client does for https:// and wss://). It records the heads it read, so
// a test can check that a request went through it and with what.
//
//	p := webtest.NewProxy(t, "user:secret") // "" for no authentication
//	req := &httpclient.Request{URL: s.URL + "/", ProxyHost: p.Host, ProxyPort: p.Port,
//		ProxyUsername: "user", ProxyPassword: "secret"}
//
// Each connection carries one request (or one tunnel) and has a 30-second
// hang guard; every connection and goroutine is gone when the test ends
// (it is a RawServer).
type Proxy struct {
	Addr string // "127.0.0.1:port"
	Host string // "127.0.0.1"
	Port int

	rs    *RawServer
	auth  string // the Proxy-Authorization it wants, or ""
	mu    sync.Mutex
	heads [][]string // request line first
}

// NewProxy starts a proxy. With userPass ("user:password") set, a request
// without that Basic Proxy-Authorization gets a 407.
func NewProxy(t testing.TB, userPass string) *Proxy {
	t.Helper()
	p := &Proxy{Host: "127.0.0.1"}
	if userPass != "" {
		p.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(userPass))
	}
	p.rs = listenRaw(t)
	p.Addr = p.rs.Addr
	_, port, _ := net.SplitHostPort(p.Addr)
	p.Port, _ = strconv.Atoi(port)
	p.rs.start(p.serve)
	return p
}

// RequestLines returns the request line of each request the proxy read,
// in order: "CONNECT 127.0.0.1:8443 HTTP/1.1", say.
func (p *Proxy) RequestLines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := make([]string, len(p.heads))
	for i, h := range p.heads {
		lines[i] = h[0]
	}
	return lines
}

// Heads returns the request heads the proxy read, each as its lines,
// request line first.
func (p *Proxy) Heads() [][]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][]string(nil), p.heads...)
}

func (p *Proxy) serve(c net.Conn, br *bufio.Reader) {
	lines := ReadHead(br)
	if len(lines) == 0 {
		return
	}
	p.mu.Lock()
	p.heads = append(p.heads, lines)
	p.mu.Unlock()
	if p.auth != "" && !hasLine(lines, "Proxy-Authorization: "+p.auth) {
		io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
		return
	}
	f := strings.Fields(lines[0])
	if len(f) != 3 {
		io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
		return
	}
	target := f[1]
	if f[0] != "CONNECT" {
		u, err := url.Parse(f[1])
		if err != nil || u.Host == "" {
			io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
			return
		}
		target = u.Host
		if u.Port() == "" {
			target = net.JoinHostPort(u.Hostname(), strconv.Itoa(80))
		}
	}
	up, err := net.Dial("tcp", target)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	p.rs.Track(up)
	defer up.Close()
	if f[0] == "CONNECT" {
		io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	} else {
		io.WriteString(up, strings.Join(lines, "\r\n")+"\r\n\r\n")
	}
	// Copy through plain interfaces: a TCP-to-TCP io.Copy splices through
	// pipes that a sync.Pool keeps until a GC, which looptest's leak check
	// would count.
	p.rs.Go(func() {
		io.Copy(struct{ io.Writer }{up}, struct{ io.Reader }{br})
		up.Close()
	})
	io.Copy(struct{ io.Writer }{c}, struct{ io.Reader }{up})
}

func hasLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
