package httpclient

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/iostream"
)

// connect opens a connection for the current hop (directly, or through the
// proxy, with a CONNECT tunnel for https) and runs the exchange on it.
func (f *fetch) connect(key string) {
	c, req, t := f.c, f.req, f.t
	var tlsCfg *tls.Config
	if t.https {
		var err error
		if tlsCfg, err = c.tlsc.config(req, t.host); err != nil {
			f.fail(transportError("TLS configuration", err))
			return
		}
	}
	started := f.now()
	if d := req.connectTimeout(); d > 0 {
		f.connectTo = c.loop.CallLater(d, func() {
			f.connectTo = nil
			f.fail(transportError("timeout while connecting", ErrTimeout))
		})
	}
	opts := iostream.ConnectConfig{Stream: iostream.Config{MaxBufferSize: c.opts.MaxBufferSize}}
	host, port := t.host, t.port
	var cf *futureStream
	switch {
	case req.UnixSocket != "":
		cf = iostream.ConnectUnix(c.loop, req.UnixSocket, opts.Stream)
	case req.ProxyHost == "":
		opts.TLS = tlsCfg
		cf = c.tcp.Connect(host, port, opts)
	case !t.https:
		cf = c.tcp.Connect(req.ProxyHost, proxyPort(req), opts)
	default:
		cf = gen.Go(c.loop, func(co *gen.Co) (*iostream.IOStream, error) {
			return f.tunnelTo(co, opts, tlsCfg)
		})
	}
	f.connecting = cf
	cf.AddDoneCallback(func(cf *futureStream) {
		s, err := cf.Result()
		if f.done || f.connecting != cf {
			if s != nil {
				s.Close()
			}
			return
		}
		f.connecting = nil
		if f.connectTo != nil {
			c.loop.RemoveTimeout(f.connectTo)
			f.connectTo = nil
		}
		if err != nil {
			f.fail(transportError("connect failed", err))
			return
		}
		f.timing.Connect = f.since() - durationOf(started-f.start)
		newConn(c, key, s).exchange(f, false)
	})
}

func proxyPort(req *Request) int {
	if req.ProxyPort > 0 {
		return req.ProxyPort
	}
	return 8080
}

// tunnelTo connects to the proxy, asks it for a tunnel to the target with
// CONNECT, and starts TLS through it. It runs as a coroutine; ending the
// fetch closes f.tunnel, which fails whatever it awaits.
func (f *fetch) tunnelTo(co *gen.Co, opts iostream.ConnectConfig, tlsCfg *tls.Config) (*iostream.IOStream, error) {
	c, req, t := f.c, f.req, f.t
	cf := c.tcp.Connect(req.ProxyHost, proxyPort(req), opts)
	f.tunnelConnect = cf
	s, err := gen.Await(co, cf)
	f.tunnelConnect = nil
	if err != nil {
		return nil, err
	}
	if f.done {
		s.Close()
		return nil, ErrClosed
	}
	f.tunnel = s
	authority := net.JoinHostPort(t.host, strconv.Itoa(t.port))
	buf := httputil.AppendRequestLine(nil, "CONNECT", authority, "HTTP/1.1")
	buf = appendField(buf, "Host", authority)
	if req.ProxyUsername != "" {
		buf = appendField(buf, "Proxy-Authorization", basicAuth(req.ProxyUsername, req.ProxyPassword))
	}
	buf = append(buf, "\r\n"...)
	if _, err := gen.Await(co, s.Write(buf)); err != nil {
		return nil, err
	}
	head, err := gen.Await(co, s.ReadUntil([]byte("\r\n\r\n"), c.opts.MaxHeaderSize))
	if err != nil {
		return nil, err
	}
	line, _ := httputil.SplitStartLine(head)
	rl, err := httputil.ParseResponseLine(line)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("%w: %w", ErrBadResponse, err)
	}
	if rl.Code != 200 {
		s.Close()
		return nil, fmt.Errorf("%w: %d %s", ErrProxy, rl.Code, rl.Reason)
	}
	s2, err := gen.Await(co, s.StartTLS(false, tlsCfg))
	f.tunnel = nil
	if err != nil {
		s.Close()
		return nil, err
	}
	return s2, nil
}

// tlsCache keeps what TLS settings cost to build: CA pools and client
// certificates read from files, by path.
type tlsCache struct {
	pools map[string]*x509.CertPool
	certs map[[2]string]tls.Certificate
}

// config returns the TLS configuration of req for host.
func (tc *tlsCache) config(req *Request, host string) (*tls.Config, error) {
	var cfg *tls.Config
	if req.TLSConfig != nil {
		cfg = req.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if len(cfg.NextProtos) == 0 {
		cfg.NextProtos = []string{"http/1.1"}
	}
	if req.InsecureSkipVerify {
		cfg.InsecureSkipVerify = true
	}
	if req.RootCAs != nil {
		cfg.RootCAs = req.RootCAs
	}
	if req.CACerts != "" {
		pool, ok := tc.pools[req.CACerts]
		if !ok {
			pem, err := os.ReadFile(req.CACerts)
			if err != nil {
				return nil, fmt.Errorf("%w: CACerts: %w", ErrInvalidRequest, err)
			}
			pool = x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("%w: no certificate in CACerts %q", ErrInvalidRequest, req.CACerts)
			}
			if tc.pools == nil {
				tc.pools = map[string]*x509.CertPool{}
			}
			tc.pools[req.CACerts] = pool
		}
		cfg.RootCAs = pool
	}
	if req.ClientCert != "" {
		k := [2]string{req.ClientCert, req.ClientKey}
		cert, ok := tc.certs[k]
		if !ok {
			keyFile := req.ClientKey
			if keyFile == "" {
				keyFile = req.ClientCert
			}
			var err error
			if cert, err = tls.LoadX509KeyPair(req.ClientCert, keyFile); err != nil {
				return nil, fmt.Errorf("%w: client certificate: %w", ErrInvalidRequest, err)
			}
			if tc.certs == nil {
				tc.certs = map[[2]string]tls.Certificate{}
			}
			tc.certs[k] = cert
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}
