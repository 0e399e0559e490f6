package iostream_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// tlsEcho is an echo server over TLS that records each stream's TLS state
// as HandleStream saw it.
type tlsEcho struct {
	echo
	states []tls.ConnectionState
}

func (e *tlsEcho) HandleStream(s *iostream.IOStream) {
	cs, _ := s.ConnectionState()
	e.states = append(e.states, cs)
	e.echo.HandleStream(s)
}

func listenTLS(t testing.TB, l *ioloop.IOLoop, cfg iostream.ServerConfig) (*tlsEcho, *iostream.TCPServer, int) {
	h := &tlsEcho{}
	srv := iostream.NewTCPServer(l, h, cfg)
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	t.Cleanup(srv.Stop)
	return h, srv, srv.Addrs()[0].(*net.TCPAddr).Port
}

func TestTLSServerAndClient(t *testing.T) {
	checkFDs(t)
	l := newLoop(t)
	h, _, port := listenTLS(t, l, iostream.ServerConfig{TLS: serverTLS(t)})
	run(t, l, func(co *gen.Co) error {
		c, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect("localhost", port, iostream.ConnectConfig{TLS: clientTLS(t)}))
		if err != nil {
			return err
		}
		defer c.Close()
		got, err := roundTrip(co, c, "over TLS")
		assert.Equal(t, "over TLS\n", got)
		cs, ok := c.ConnectionState()
		assert.True(t, ok)
		assert.True(t, c.TLS())
		assert.True(t, cs.HandshakeComplete)
		assert.Equal(t, "localhost", cs.ServerName)
		assert.Equal(t, uint16(tls.VersionTLS13), cs.Version)
		if assert.Len(t, h.states, 1) {
			assert.True(t, h.states[0].HandshakeComplete, "HandleStream runs after the handshake")
			assert.Equal(t, "localhost", h.states[0].ServerName)
		}
		return err
	})
}

func TestTLSConnectionStateOfPlainStream(t *testing.T) {
	l := newLoop(t)
	run(t, l, func(co *gen.Co) error {
		c, _, err := pair(t, co, iostream.Config{})
		if err != nil {
			return err
		}
		_, ok := c.ConnectionState()
		assert.False(t, ok)
		assert.False(t, c.TLS())
		return nil
	})
}

// Verification failures fail the connect with crypto/x509's error, and
// the server never hands the connection to its handler.
func TestTLSVerificationFailures(t *testing.T) {
	pkiCA, _ := testPKI(t)
	other := pkiCA.Issue(t, "other.example")
	cases := []struct {
		name   string
		server *tls.Config // nil: the localhost certificate
		host   string
		client *tls.Config
		check  func(t *testing.T, err error)
	}{
		{"unknown CA", nil, "localhost", &tls.Config{RootCAs: pkiForeign.Pool}, func(t *testing.T, err error) {
			var uae x509.UnknownAuthorityError
			assert.ErrorAs(t, err, &uae)
			var cve *tls.CertificateVerificationError
			assert.ErrorAs(t, err, &cve)
		}},
		{"asked for another name", nil, "127.0.0.1", &tls.Config{RootCAs: pkiCA.Pool, ServerName: "other.example"}, func(t *testing.T, err error) {
			var he x509.HostnameError
			if assert.ErrorAs(t, err, &he) {
				assert.Equal(t, "other.example", he.Host)
			}
		}},
		{"certificate for another name", &tls.Config{Certificates: []tls.Certificate{other}}, "localhost", &tls.Config{RootCAs: pkiCA.Pool}, func(t *testing.T, err error) {
			var he x509.HostnameError
			if assert.ErrorAs(t, err, &he) {
				assert.Equal(t, "localhost", he.Host)
			}
		}},
		{"IP not in the certificate", &tls.Config{Certificates: []tls.Certificate{other}}, "127.0.0.1", &tls.Config{RootCAs: pkiCA.Pool}, func(t *testing.T, err error) {
			var he x509.HostnameError
			if assert.ErrorAs(t, err, &he) {
				assert.Equal(t, "127.0.0.1", he.Host)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newLoop(t)
			scfg := tc.server
			if scfg == nil {
				scfg = serverTLS(t)
			}
			h, srv, port := listenTLS(t, l, iostream.ServerConfig{TLS: scfg})
			run(t, l, func(co *gen.Co) error {
				c := iostream.NewTCPClient(l, iostream.ClientConfig{Resolver: staticResolver("127.0.0.1")})
				_, err := gen.Await(co, c.Connect(tc.host, port, iostream.ConnectConfig{TLS: tc.client}))
				assert.ErrorIs(t, err, iostream.ErrStreamClosed)
				tc.check(t, err)
				return waitFor(co, "server side closed", func() bool { return srv.Connections() == 0 })
			})
			assert.Empty(t, h.streams)
		})
	}
}

// Mutual TLS: the server verifies the client's certificate.
func TestTLSClientCertificate(t *testing.T) {
	ca, _ := testPKI(t)
	clientCert := ca.Issue(t, "client.example")
	l := newLoop(t)
	scfg := serverTLS(t).Clone()
	scfg.ClientAuth = tls.RequireAndVerifyClientCert
	scfg.ClientCAs = ca.Pool
	h, _, port := listenTLS(t, l, iostream.ServerConfig{TLS: scfg})
	ccfg := clientTLS(t).Clone()
	ccfg.Certificates = []tls.Certificate{clientCert}
	run(t, l, func(co *gen.Co) error {
		c, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect("localhost", port, iostream.ConnectConfig{TLS: ccfg}))
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = roundTrip(co, c, "mutual")
		if assert.Len(t, h.states, 1) && assert.Len(t, h.states[0].PeerCertificates, 1) {
			assert.Equal(t, "client.example", h.states[0].PeerCertificates[0].Subject.CommonName)
		}
		return err
	})
}

// SNI: the server picks its certificate by the name the client asks for.
func TestTLSSNI(t *testing.T) {
	ca, _ := testPKI(t)
	certs := map[string]tls.Certificate{
		"a.example": ca.Issue(t, "a.example"),
		"b.example": ca.Issue(t, "b.example"),
	}
	l := newLoop(t)
	h, _, port := listenTLS(t, l, iostream.ServerConfig{TLS: &tls.Config{
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			c, ok := certs[hello.ServerName]
			if !ok {
				return nil, nil
			}
			return &c, nil
		},
	}})
	run(t, l, func(co *gen.Co) error {
		client := iostream.NewTCPClient(l, iostream.ClientConfig{Resolver: staticResolver("127.0.0.1")})
		for _, name := range []string{"a.example", "b.example"} {
			c, err := gen.Await(co, client.Connect(name, port, iostream.ConnectConfig{TLS: clientTLS(t)}))
			if err != nil {
				return err
			}
			cs, _ := c.ConnectionState()
			assert.Equal(t, []string{name}, cs.PeerCertificates[0].DNSNames)
			c.Close()
		}
		if err := waitFor(co, "both handed over", func() bool { return len(h.states) == 2 }); err != nil {
			return err
		}
		if assert.Len(t, h.states, 2) {
			assert.Equal(t, "a.example", h.states[0].ServerName)
			assert.Equal(t, "b.example", h.states[1].ServerName)
		}
		return nil
	})
}

// ALPN: the negotiated protocol shows on both ends' ConnectionState, on
// the server's already in HandleStream.
func TestTLSALPN(t *testing.T) {
	cases := []struct {
		name           string
		server, client []string
		want           string
		fails          bool
	}{
		{"h2 preferred", []string{"h2", "http/1.1"}, []string{"h2", "http/1.1"}, "h2", false},
		{"client only speaks http/1.1", []string{"h2", "http/1.1"}, []string{"http/1.1"}, "http/1.1", false},
		{"client asks for none", []string{"h2", "http/1.1"}, nil, "", false},
		{"http/1.1 client of an h2-only server", []string{"h2"}, []string{"http/1.1"}, "", false},
		{"no overlap", []string{"h2"}, []string{"spdy/3"}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newLoop(t)
			scfg := serverTLS(t).Clone()
			scfg.NextProtos = tc.server
			h, _, port := listenTLS(t, l, iostream.ServerConfig{TLS: scfg})
			ccfg := clientTLS(t).Clone()
			ccfg.NextProtos = tc.client
			run(t, l, func(co *gen.Co) error {
				c, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect("localhost", port, iostream.ConnectConfig{TLS: ccfg}))
				if tc.fails {
					assert.ErrorIs(t, err, iostream.ErrStreamClosed)
					return nil
				}
				if err != nil {
					return err
				}
				defer c.Close()
				cs, _ := c.ConnectionState()
				assert.Equal(t, tc.want, cs.NegotiatedProtocol)
				if _, err := roundTrip(co, c, "alpn"); err != nil {
					return err
				}
				if assert.Len(t, h.states, 1) {
					assert.Equal(t, tc.want, h.states[0].NegotiatedProtocol)
				}
				return nil
			})
		})
	}
}
