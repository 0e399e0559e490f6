package iostream_test

import (
	"crypto/tls"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
	"github.com/gornado/gornado/webtest"
)

// The tests' PKI is webtest's: one CA, a certificate for localhost and
// 127.0.0.1, and here a CA nobody trusts.
var (
	foreignOnce sync.Once
	pkiForeign  *webtest.CA
)

func testPKI(t testing.TB) (*webtest.CA, tls.Certificate) {
	foreignOnce.Do(func() { pkiForeign = webtest.NewCA(t, "untrusted CA") })
	return webtest.TestCA(t)
}

func serverTLS(t testing.TB) *tls.Config { return webtest.ServerTLS(t) }
func clientTLS(t testing.TB) *tls.Config { return webtest.ClientTLS(t) }

// withTLSPeer is withPeer over TLS: the stream is a TLS client (our
// TCPClient with opts.TLS) and the peer is crypto/tls's server end.
func withTLSPeer(t testing.TB, co *gen.Co, cfg iostream.Config) (*iostream.IOStream, net.Conn, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	scfg := serverTLS(t)
	acc := goFuture(co.Loop(), func() (net.Conn, error) {
		c, err := ln.Accept()
		if err != nil {
			return nil, err
		}
		tc := tls.Server(c, scfg)
		tc.SetDeadline(time.Now().Add(hangGuard))
		if err := tc.Handshake(); err != nil {
			c.Close()
			return nil, err
		}
		tc.SetDeadline(time.Time{})
		return tc, nil
	})
	s, err := connect(co, "localhost:"+portOf(ln.Addr()), iostream.ConnectConfig{TLS: clientTLS(t), Stream: cfg})
	if err != nil {
		return nil, nil, err
	}
	closeLater(t, s)
	c, err := gen.Await(co, acc)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { c.Close() })
	return s, c, nil
}

func portOf(a net.Addr) string {
	_, port, _ := net.SplitHostPort(a.String())
	return port
}

// transport is a way to get a stream with a peer: plain or TLS. Tests of
// the stream API run over both.
type transport struct {
	name string
	peer func(t testing.TB, co *gen.Co, cfg iostream.Config) (*iostream.IOStream, net.Conn, error)
}

var transports = []transport{{"plain", withPeer}, {"tls", withTLSPeer}}

// forTransports runs fn as a subtest per transport.
func forTransports(t *testing.T, fn func(t *testing.T, tr transport)) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) { fn(t, tr) })
	}
}

// forPeers runs body as a coroutine on a loop of its own, once per
// transport (a subtest each), with a stream s made with cfg and the
// blocking peer connected to it.
func forPeers(t *testing.T, cfg iostream.Config, body func(t *testing.T, l *ioloop.IOLoop, co *gen.Co, s *iostream.IOStream, peer net.Conn) error) {
	forTransports(t, func(t *testing.T, tr transport) {
		l := newLoop(t)
		run(t, l, func(co *gen.Co) error {
			s, peer, err := tr.peer(t, co, cfg)
			if err != nil {
				return err
			}
			return body(t, l, co, s, peer)
		})
	})
}
