package iostream_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// testCA is a certificate authority made for the tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t testing.TB, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// issue returns a certificate for names: DNS names or IP addresses.
func (ca *testCA) issue(t testing.TB, names ...string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: names[0]},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// The tests' PKI: one CA, and a certificate for localhost and 127.0.0.1.
var (
	pkiOnce    sync.Once
	pkiCA      *testCA
	pkiLocal   tls.Certificate
	pkiForeign *testCA // a CA nobody trusts
)

func testPKI(t testing.TB) (*testCA, tls.Certificate) {
	pkiOnce.Do(func() {
		pkiCA = newTestCA(t, "gornado test CA")
		pkiLocal = pkiCA.issue(t, "localhost", "127.0.0.1", "::1")
		pkiForeign = newTestCA(t, "untrusted CA")
	})
	return pkiCA, pkiLocal
}

func serverTLS(t testing.TB) *tls.Config {
	_, cert := testPKI(t)
	return &tls.Config{Certificates: []tls.Certificate{cert}}
}

func clientTLS(t testing.TB) *tls.Config {
	ca, _ := testPKI(t)
	return &tls.Config{RootCAs: ca.pool}
}

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
	s, err := connect(co, "localhost:"+portOf(ln.Addr()), iostream.ConnectOptions{TLS: clientTLS(t), Stream: cfg})
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
