package iostream_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/iostream"
)

// echo is a handler that echoes lines until the peer closes, counting the
// streams it got.
type echo struct {
	streams []*iostream.IOStream
	local   []net.Addr // each stream's LocalAddr, when it came
}

func (e *echo) HandleStream(s *iostream.IOStream) {
	e.streams = append(e.streams, s)
	e.local = append(e.local, s.LocalAddr())
	gen.Go(s.Loop(), func(co *gen.Co) (struct{}, error) {
		defer s.Close()
		for {
			line, err := gen.Await(co, s.ReadUntil([]byte("\n"), 1<<16))
			if err != nil {
				return struct{}{}, nil
			}
			if _, err := gen.Await(co, s.Write(line)); err != nil {
				return struct{}{}, nil
			}
		}
	})
}

// roundTrip sends a line on s and returns the echo.
func roundTrip(co *gen.Co, s *iostream.IOStream, line string) (string, error) {
	if err := s.Send([]byte(line + "\n")); err != nil {
		return "", err
	}
	b, err := gen.Await(co, s.ReadUntil([]byte("\n"), 1<<16))
	return string(b), err
}

func hasIPv6(t testing.TB) bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Logf("no IPv6 loopback: %v", err)
		return false
	}
	ln.Close()
	return true
}

func TestListen(t *testing.T) {
	cases := []struct {
		name, listen, dial string
		ipv6               bool
	}{
		{"IPv4 loopback", "127.0.0.1:0", "127.0.0.1", false},
		{"IPv6 loopback", "[::1]:0", "::1", true},
		{"every interface, IPv4", ":0", "127.0.0.1", false},
		{"every interface, IPv6", ":0", "::1", true},
		{"a name", "localhost:0", "127.0.0.1", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.ipv6 && !hasIPv6(t) {
				t.Skip("the kernel has no IPv6")
			}
			l := newLoop(t)
			h := &echo{}
			srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{})
			require.NoError(t, srv.Listen(tc.listen))
			defer srv.Stop()
			port := srv.Addrs()[0].(*net.TCPAddr).Port
			for _, a := range srv.Addrs() {
				assert.Equal(t, port, a.(*net.TCPAddr).Port, "every socket on one port")
			}
			run(t, l, func(co *gen.Co) error {
				c, err := connect(co, net.JoinHostPort(tc.dial, strconv.Itoa(port)), iostream.ConnectConfig{})
				if err != nil {
					return err
				}
				defer c.Close()
				got, err := roundTrip(co, c, "hello")
				assert.Equal(t, "hello\n", got)
				return err
			})
			assert.Len(t, h.streams, 1)
		})
	}
}

func TestListenErrors(t *testing.T) {
	l := newLoop(t)
	srv := iostream.NewTCPServer(l, &echo{}, iostream.ServerConfig{})
	assert.Error(t, srv.Listen("no-port"))
	assert.Error(t, srv.Listen("127.0.0.1:http-ish"))
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	defer srv.Stop()
	taken := srv.Addrs()[0].(*net.TCPAddr).Port
	err := iostream.NewTCPServer(l, &echo{}, iostream.ServerConfig{}).Listen("127.0.0.1:" + strconv.Itoa(taken))
	assert.ErrorIs(t, err, syscall.EADDRINUSE)
}

func TestBindThenStart(t *testing.T) {
	l := newLoop(t)
	h := &echo{}
	srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{})
	require.NoError(t, srv.Bind("127.0.0.1:0", iostream.BindConfig{Family: iostream.FamilyIPv4}))
	addrs := srv.Addrs()
	require.Len(t, addrs, 1, "Addrs includes bound sockets")
	require.NoError(t, srv.Start())
	defer srv.Stop()
	run(t, l, func(co *gen.Co) error {
		c, err := connect(co, addrs[0].String(), iostream.ConnectConfig{})
		if err != nil {
			return err
		}
		defer c.Close()
		got, err := roundTrip(co, c, "bound")
		assert.Equal(t, "bound\n", got)
		return err
	})
}

// With reusePort two sets of sockets share one port (one per loop, in a
// program that scales out); each connection reaches one of them.
func TestBindSocketsReusePort(t *testing.T) {
	l := newLoop(t)
	first, err := iostream.BindSockets("127.0.0.1:0", iostream.BindConfig{Family: iostream.FamilyIPv4, ReusePort: true})
	require.NoError(t, err)
	h1, h2 := &echo{}, &echo{}
	s1 := iostream.NewTCPServer(l, h1, iostream.ServerConfig{})
	require.NoError(t, s1.AddSockets(first))
	defer s1.Stop()
	port := s1.Addrs()[0].(*net.TCPAddr).Port

	_, err = iostream.BindSockets(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), iostream.BindConfig{Family: iostream.FamilyIPv4})
	assert.ErrorIs(t, err, syscall.EADDRINUSE, "without SO_REUSEPORT the port is taken")
	second, err := iostream.BindSockets(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), iostream.BindConfig{Family: iostream.FamilyIPv4, ReusePort: true})
	require.NoError(t, err)
	s2 := iostream.NewTCPServer(l, h2, iostream.ServerConfig{})
	require.NoError(t, s2.AddSockets(second))
	defer s2.Stop()
	assert.Equal(t, port, s2.Addrs()[0].(*net.TCPAddr).Port)

	const n = 20
	run(t, l, func(co *gen.Co) error {
		for i := range n {
			c, err := connect(co, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), iostream.ConnectConfig{})
			if err != nil {
				return err
			}
			if _, err := roundTrip(co, c, strconv.Itoa(i)); err != nil {
				return err
			}
			c.Close()
		}
		return nil
	})
	assert.Equal(t, n, len(h1.streams)+len(h2.streams))
	t.Logf("SO_REUSEPORT spread %d connections as %d + %d", n, len(h1.streams), len(h2.streams))
}

func TestBindUnixSocket(t *testing.T) {
	checkFDs(t)
	l := newLoop(t)
	path := filepath.Join(t.TempDir(), "s.sock")
	fd, err := iostream.BindUnixSocket(path, 0o600, 0)
	require.NoError(t, err)
	st, err := os.Lstat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	h := &echo{}
	srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{})
	require.NoError(t, srv.AddSockets([]int{fd}))
	assert.Equal(t, &net.UnixAddr{Name: path, Net: "unix"}, srv.Addrs()[0])
	run(t, l, func(co *gen.Co) error {
		reply := goFuture(l, func() (string, error) {
			c, err := net.Dial("unix", path)
			if err != nil {
				return "", err
			}
			defer c.Close()
			c.Write([]byte("over unix\n"))
			buf := make([]byte, 64)
			n, err := c.Read(buf)
			return string(buf[:n]), err
		})
		got, err := gen.Await(co, reply)
		assert.Equal(t, "over unix\n", got)
		if assert.Len(t, h.local, 1) {
			assert.Equal(t, &net.UnixAddr{Name: path, Net: "unix"}, h.local[0])
		}
		return err
	})
	srv.Stop()

	// The socket file outlives the server; binding again replaces it.
	fd, err = iostream.BindUnixSocket(path, 0, 0)
	require.NoError(t, err)
	syscall.Close(fd)

	// Any other file is left alone.
	plain := filepath.Join(t.TempDir(), "plain")
	require.NoError(t, os.WriteFile(plain, []byte("keep me"), 0o600))
	_, err = iostream.BindUnixSocket(plain, 0, 0)
	assert.Error(t, err)
	b, _ := os.ReadFile(plain)
	assert.Equal(t, "keep me", string(b))
}

// Stop closes the listening sockets: connecting is refused afterwards.
func TestStopClosesListeners(t *testing.T) {
	checkFDs(t)
	l := newLoop(t)
	srv := iostream.NewTCPServer(l, &echo{}, iostream.ServerConfig{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	addr := srv.Addrs()[0].String()
	srv.Stop()
	assert.Empty(t, srv.Addrs())
	run(t, l, func(co *gen.Co) error {
		_, err := connect(co, addr, iostream.ConnectConfig{})
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		return nil
	})
	srv.Stop() // twice is fine
}
