package iostream_test

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

func TestEchoSmoke(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{})
	require.NoError(t, err)
	defer l.Close()
	srv := iostream.NewTCPServer(l, iostream.HandlerFunc(func(s *iostream.IOStream) {
		gen.Go(l, func(co *gen.Co) (struct{}, error) {
			defer s.Close()
			for {
				line, err := gen.Await(co, s.ReadUntil([]byte("\n"), 1024))
				if err != nil {
					return struct{}{}, nil
				}
				if _, err := gen.Await(co, s.Write(line)); err != nil {
					return struct{}{}, err
				}
			}
		})
	}), iostream.ServerConfig{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	addr := srv.Addrs()[0].String()
	done := make(chan string)
	go func() {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			done <- err.Error()
			return
		}
		defer c.Close()
		c.Write([]byte("hello\nworld\n"))
		buf := make([]byte, 12)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n := 0
		for n < 12 {
			m, err := c.Read(buf[n:])
			if err != nil {
				break
			}
			n += m
		}
		done <- string(buf[:n])
	}()
	var got string
	l.AddCallback(func() {
		go func() { got = <-done; l.AddCallback(l.Stop) }()
	})
	require.NoError(t, l.Start())
	require.Equal(t, "hello\nworld\n", got)
	_ = netip.Addr{}
	srv.Stop()
}
