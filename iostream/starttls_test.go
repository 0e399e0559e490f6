package iostream_test

import (
	"bufio"
	"crypto/tls"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// StartTLS upgrades an open plain stream, as STARTTLS protocols do. The
// client starts its handshake right after the command, so the server may
// have read the ClientHello with it; the client writes before its
// handshake is done, and the write goes out encrypted after it.
func TestStartTLS(t *testing.T) {
	l := newLoop(t)
	run(t, l, func(co *gen.Co) error {
		c, s, err := pair(t, co, iostream.Config{})
		if err != nil {
			return err
		}
		c.Send([]byte("STARTTLS\n"))
		ccfg := clientTLS(t).Clone()
		ccfg.ServerName = "localhost"
		clientDone := c.StartTLS(false, ccfg)
		early := c.Write([]byte("secret\n"))
		assert.True(t, c.Writing(), "held until the handshake is done")
		reply := c.ReadUntil([]byte("\n"), 100)

		cmd, err := gen.Await(co, s.ReadUntil([]byte("\n"), 100))
		if err != nil {
			return err
		}
		assert.Equal(t, "STARTTLS\n", string(cmd))
		serverDone := s.StartTLS(true, serverTLS(t))
		if _, err := gen.Await(co, serverDone); err != nil {
			return err
		}
		got, err := gen.Await(co, s.ReadUntil([]byte("\n"), 100))
		if err != nil {
			return err
		}
		assert.Equal(t, "secret\n", string(got))
		s.Send([]byte("ok\n"))
		back, err := gen.Await(co, reply)
		assert.Equal(t, "ok\n", string(back))
		assert.True(t, clientDone.Done())
		assert.NoError(t, early.Err())
		_, ok := s.ConnectionState()
		assert.True(t, ok)

		// Misuse.
		_, err = gen.Await(co, c.StartTLS(false, ccfg))
		assert.ErrorIs(t, err, iostream.ErrTLSActive)
		c2, s2, err := pair(t, co, iostream.Config{})
		if err != nil {
			return err
		}
		_, err = gen.Await(co, c2.StartTLS(false, nil))
		assert.ErrorIs(t, err, iostream.ErrNoTLSConfig)
		s2.Close()
		_, err = gen.Await(co, s2.StartTLS(true, serverTLS(t)))
		assert.ErrorIs(t, err, iostream.ErrStreamClosed)
		return nil
	})
}

// Our TLS server against crypto/tls's client.
func TestTLSInteropGoClient(t *testing.T) {
	l := newLoop(t)
	scfg := serverTLS(t).Clone()
	scfg.NextProtos = []string{"h2", "http/1.1"}
	_, _, port := listenTLS(t, l, iostream.ServerConfig{TLS: scfg})
	run(t, l, func(co *gen.Co) error {
		type result struct {
			line, proto string
		}
		r := goFuture(l, func() (result, error) {
			ccfg := clientTLS(t).Clone()
			ccfg.NextProtos = []string{"h2"}
			c, err := tls.Dial("tcp", "localhost:"+strconv.Itoa(port), ccfg)
			if err != nil {
				return result{}, err
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(hangGuard))
			if _, err := c.Write([]byte("from crypto/tls\n")); err != nil {
				return result{}, err
			}
			line, err := bufio.NewReader(c).ReadString('\n')
			return result{line, c.ConnectionState().NegotiatedProtocol}, err
		})
		got, err := gen.Await(co, r)
		assert.Equal(t, result{"from crypto/tls\n", "h2"}, got)
		return err
	})
}

// Our TLS client against crypto/tls's server.
func TestTLSInteropGoServer(t *testing.T) {
	l := newLoop(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", serverTLS(t))
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(hangGuard))
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					c.Write([]byte(line))
				}
			}()
		}
	}()
	run(t, l, func(co *gen.Co) error {
		c, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect("127.0.0.1", ln.Addr().(*net.TCPAddr).Port, iostream.ConnectConfig{TLS: clientTLS(t)}))
		if err != nil {
			return err
		}
		defer c.Close()
		for i := range 3 {
			got, err := roundTrip(co, c, "line "+strconv.Itoa(i))
			if err != nil {
				return err
			}
			assert.Equal(t, "line "+strconv.Itoa(i)+"\n", got)
		}
		return nil
	})
}

// Records that crypto/tls read ahead of the reader are delivered when the
// reader asks, though the socket has nothing more to announce.
func TestTLSDataBufferedInTLSLayer(t *testing.T) {
	l := newLoop(t)
	run(t, l, func(co *gen.Co) error {
		s, peer, err := withTLSPeer(t, co, iostream.Config{})
		if err != nil {
			return err
		}
		// Two records, most likely in one segment.
		peer.Write([]byte("abcdef"))
		peer.Write([]byte("ghij"))
		first, err := gen.Await(co, s.ReadBytes(2, false))
		if err != nil {
			return err
		}
		assert.Equal(t, "ab", string(first))
		if err := gen.Sleep(co, 10*time.Millisecond); err != nil {
			return err
		}
		rest, err := gen.Await(co, s.ReadBytes(8, false))
		assert.Equal(t, "cdefghij", string(rest))
		return err
	})
}

// A client that stalls before or during its handshake is closed after
// HandshakeTimeout, and never reaches the handler.
func TestTLSHandshakeTimeout(t *testing.T) {
	cases := []struct {
		name string
		send []byte
	}{
		{"silent client", nil},
		{"partial ClientHello", []byte{0x16, 0x03, 0x01}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkFDs(t)
			l := newLoop(t)
			h, srv, port := listenTLS(t, l, iostream.ServerConfig{TLS: serverTLS(t), HandshakeTimeout: 20 * time.Millisecond})
			run(t, l, func(co *gen.Co) error {
				c, err := connect(co, "127.0.0.1:"+strconv.Itoa(port), iostream.ConnectConfig{})
				if err != nil {
					return err
				}
				defer c.Close()
				c.Send(tc.send)
				_, err = gen.Await(co, c.ReadUntilClose())
				assert.NoError(t, err, "the server closes the connection")
				return waitFor(co, "server side closed", func() bool { return srv.Connections() == 0 })
			})
			assert.Empty(t, h.streams)
		})
	}
}

// A plain client talking to a TLS server fails its handshake cleanly.
func TestTLSServerGetsPlaintext(t *testing.T) {
	l := newLoop(t)
	h, srv, port := listenTLS(t, l, iostream.ServerConfig{TLS: serverTLS(t)})
	run(t, l, func(co *gen.Co) error {
		c, err := connect(co, "127.0.0.1:"+strconv.Itoa(port), iostream.ConnectConfig{})
		if err != nil {
			return err
		}
		defer c.Close()
		c.Send([]byte("GET / HTTP/1.0\r\n\r\n"))
		_, err = gen.Await(co, c.ReadUntilClose())
		assert.NoError(t, err)
		return waitFor(co, "server side closed", func() bool { return srv.Connections() == 0 })
	})
	assert.Empty(t, h.streams)
}

// A client whose server accepts but never answers the ClientHello gives up
// at the connect timeout; the parked handshake ends and the socket closes.
func TestTLSConnectTimeoutDuringHandshake(t *testing.T) {
	checkFDs(t)
	l := newLoop(t)
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer silent.Close()
	held := make(chan net.Conn, 1)
	go func() {
		c, err := silent.Accept()
		if err == nil {
			held <- c
		}
	}()
	t.Cleanup(func() {
		select {
		case c := <-held:
			c.Close()
		default:
		}
	})
	run(t, l, func(co *gen.Co) error {
		_, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect("127.0.0.1", silent.Addr().(*net.TCPAddr).Port,
			iostream.ConnectConfig{TLS: clientTLS(t), Timeout: 50 * time.Millisecond}))
		assert.ErrorIs(t, err, ioloop.ErrTimeout)
		return gen.Sleep(co, 10*time.Millisecond) // the handshake coroutine ends
	})
}

// Closing the loop under a handshake parked for the peer releases it and
// closes the socket: no goroutine or descriptor is left behind.
func TestTLSLoopClosedDuringHandshake(t *testing.T) {
	checkFDs(t)
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer silent.Close()
	conns := make(chan net.Conn, 1)
	go func() {
		c, err := silent.Accept()
		if err == nil {
			conns <- c
		}
	}()
	l, err := ioloop.New(ioloop.Config{})
	require.NoError(t, err)
	var s *iostream.IOStream
	_, err = gen.RunSync(l, func(co *gen.Co) (struct{}, error) {
		client := iostream.NewTCPClient(l, iostream.ClientConfig{})
		client.SetDial(func(l *ioloop.IOLoop, ip netip.Addr, port int, src netip.Addr, srcPort int, cfg iostream.Config) (*iostream.IOStream, *future.Future[*iostream.IOStream]) {
			st, f := iostream.Dial(l, ip, port, src, srcPort, cfg)
			s = st
			return st, f
		})
		f := client.Connect("127.0.0.1", silent.Addr().(*net.TCPAddr).Port, iostream.ConnectConfig{TLS: clientTLS(t)})
		// Let it connect and park in the handshake, then stop the loop.
		return struct{}{}, waitFor(co, "parked handshake", func() bool {
			return s != nil && s.RemoteAddr() != nil && len(conns) > 0 && !f.Done()
		})
	}, hangGuard)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	assert.True(t, s.Closed())
	(<-conns).Close()
}

// A peer that does not speak TLS fails the handshake with crypto/tls's
// record header error.
func TestStartTLSPlaintextPeer(t *testing.T) {
	l := newLoop(t)
	run(t, l, func(co *gen.Co) error {
		c, s, err := pair(t, co, iostream.Config{})
		if err != nil {
			return err
		}
		c.Send([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
		_, err = gen.Await(co, s.StartTLS(true, serverTLS(t)))
		var rhe tls.RecordHeaderError
		assert.ErrorAs(t, err, &rhe)
		assert.ErrorIs(t, err, iostream.ErrStreamClosed)
		assert.True(t, s.Closed())
		assert.Equal(t, err.Error(), (&iostream.StreamClosedError{Cause: s.Error()}).Error())
		return nil
	})
}
