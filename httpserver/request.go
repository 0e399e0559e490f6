package httpserver

import (
	"net"
	"net/netip"
	"strings"

	"github.com/gornado/gornado/httputil"
)

// Request is an HTTP request as the server received it. The server reuses
// it for the connection's next request once the response is finished, so
// a handler must not keep it (or slices of it) after Finish.
type Request struct {
	// Method, Target and Version come from the request line; Target is
	// the raw request-target, Path and Query its two halves (for an
	// absolute-form target, the halves after its host; for OPTIONS *,
	// Path is "*"; for CONNECT, both are empty). Version is "HTTP/1.0" or
	// "HTTP/1.1" (a later HTTP/1 minor version reads as 1.1).
	Method  string
	Target  string
	Version string
	Path    string
	Query   string
	// Header holds the request's headers.
	Header httputil.Headers
	// Host is the Host header, or the target's host when the target is
	// in absolute-form (or authority-form, for CONNECT). The server
	// refuses a request whose Host is not a valid host[:port] (400).
	Host string
	// Body is the whole body, for handlers that do not stream it.
	Body []byte
	// Trailer holds a chunked body's trailers.
	Trailer httputil.Headers
	// RemoteIP is the client's address: the peer's, or with
	// Config.XHeaders the one the proxy reports.
	RemoteIP string
	// Protocol is "http" or "https" (from TLS, or with XHeaders the
	// proxy's report).
	Protocol string

	keepOpen bool // the client allows keep-alive
}

// ProtoAtLeast reports whether the request's HTTP version is at least
// major.minor (only 1.0 and 1.1 reach handlers).
func (r *Request) ProtoAtLeast(major, minor int) bool {
	if major != 1 {
		return major < 1
	}
	return minor == 0 || r.Version == "HTTP/1.1"
}

// Cookies parses the Cookie headers into a name to value map, leniently
// as browsers send them (httputil.ParseCookie; Tornado's
// HTTPServerRequest.cookies). It parses anew at each call.
func (r *Request) Cookies() map[string]string {
	return httputil.ParseCookie(strings.Join(r.Header.Values("Cookie"), "; "))
}

func (r *Request) reset() {
	r.Method, r.Target, r.Version, r.Path, r.Query, r.Host = "", "", "", "", "", ""
	r.Header.Reset()
	r.Trailer.Reset()
	if cap(r.Body) > maxKeptBody {
		r.Body = nil
	} else {
		r.Body = r.Body[:0]
	}
}

// applyXHeaders overrides RemoteIP and Protocol from proxy headers, as
// Tornado's _HTTPRequestContext._apply_xheaders does.
func (r *Request) applyXHeaders(trusted []netip.Prefix) {
	ip := r.Header.Get("X-Forwarded-For")
	if ip != "" {
		// The client is the last hop that is not a trusted proxy.
		hops := strings.Split(ip, ",")
		ip = ""
		for i := len(hops) - 1; i >= 0; i-- {
			h := strings.TrimSpace(hops[i])
			ip = h
			if a, err := netip.ParseAddr(h); err != nil || !inPrefixes(a, trusted) {
				break
			}
		}
	}
	if real := r.Header.Get("X-Real-Ip"); real != "" {
		ip = real
	}
	proto := r.Header.Get("X-Scheme")
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		// The proto of the last proxy hop.
		parts := strings.Split(p, ",")
		proto = strings.TrimSpace(parts[len(parts)-1])
	}
	if fwd := r.Header.Get("Forwarded"); fwd != "" {
		fip, fproto := parseForwarded(fwd, trusted)
		if fip != "" {
			ip = fip
		}
		if fproto != "" {
			proto = fproto
		}
	}
	if a, err := netip.ParseAddr(strings.Trim(ip, "[]")); err == nil {
		r.RemoteIP = a.String()
	}
	if proto == "http" || proto == "https" {
		r.Protocol = proto
	}
}

// parseForwarded reads RFC 7239's Forwarded header: the for= and proto= of
// the last element whose for= is not a trusted proxy.
func parseForwarded(v string, trusted []netip.Prefix) (ip, proto string) {
	elems := strings.Split(v, ",")
	for i := len(elems) - 1; i >= 0; i-- {
		var forIP, forProto string
		for _, pair := range strings.Split(elems[i], ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok {
				continue
			}
			val = strings.Trim(val, `"`)
			switch strings.ToLower(k) {
			case "for":
				host := val
				if h, _, err := net.SplitHostPort(val); err == nil {
					host = h
				}
				forIP = strings.Trim(host, "[]")
			case "proto":
				forProto = strings.ToLower(val)
			}
		}
		ip, proto = forIP, forProto
		if a, err := netip.ParseAddr(forIP); err != nil || !inPrefixes(a, trusted) {
			break
		}
	}
	return ip, proto
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
