package iostream_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// staticResolver resolves every name to addrs, without a lookup.
func staticResolver(addrs ...string) *iostream.Resolver {
	return &iostream.Resolver{Lookup: func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		var out []netip.Addr
		for _, a := range addrs {
			out = append(out, netip.MustParseAddr(a))
		}
		return out, nil
	}}
}

// freePort returns a TCP port on 127.0.0.1 that nothing listens on.
func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// listenEcho starts an echo server on addr and returns its port.
func listenEcho(t testing.TB, l *ioloop.IOLoop, addr string) (*echo, int) {
	h := &echo{}
	srv := iostream.NewTCPServer(l, h, iostream.ServerConfig{})
	require.NoError(t, srv.Listen(addr))
	t.Cleanup(srv.Stop)
	return h, srv.Addrs()[0].(*net.TCPAddr).Port
}

// recordDials wraps the real dialer, recording the addresses tried.
func recordDials(c *iostream.TCPClient, tried *[]string) {
	c.SetDial(func(l *ioloop.IOLoop, ip netip.Addr, port int, src netip.Addr, srcPort int, cfg iostream.Config) (*iostream.IOStream, *future.Future[*iostream.IOStream]) {
		*tried = append(*tried, ip.String())
		return iostream.Dial(l, ip, port, src, srcPort, cfg)
	})
}

func TestConnectRefused(t *testing.T) {
	checkFDs(t)
	l := newLoop(t)
	port := freePort(t)
	run(t, l, func(co *gen.Co) error {
		_, err := connect(co, "127.0.0.1:"+strconv.Itoa(port), iostream.ConnectConfig{})
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.ErrorIs(t, err, unix.ECONNREFUSED)
		var oe *net.OpError
		if assert.ErrorAs(t, err, &oe) {
			assert.Equal(t, "127.0.0.1:"+strconv.Itoa(port), oe.Addr.String())
		}
		return nil
	})
}

func TestConnectFamiliesAndNames(t *testing.T) {
	ipv6 := hasIPv6(t)
	cases := []struct {
		name, listen, host string
		family             int
		needIPv6           bool
		wantErr            error
	}{
		{"IPv4 literal", "127.0.0.1:0", "127.0.0.1", iostream.FamilyAny, false, nil},
		{"IPv6 literal", "[::1]:0", "::1", iostream.FamilyAny, true, nil},
		{"IPv6 literal in brackets", "[::1]:0", "[::1]", iostream.FamilyAny, true, nil},
		{"localhost", "127.0.0.1:0", "localhost", iostream.FamilyAny, false, nil},
		{"localhost, IPv4 only", "127.0.0.1:0", "localhost", iostream.FamilyIPv4, false, nil},
		{"IPv4 literal, IPv6 asked", "127.0.0.1:0", "127.0.0.1", iostream.FamilyIPv6, false, iostream.ErrNoAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needIPv6 && !ipv6 {
				t.Skip("the kernel has no IPv6")
			}
			l := newLoop(t)
			_, port := listenEcho(t, l, tc.listen)
			run(t, l, func(co *gen.Co) error {
				c, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect(tc.host, port, iostream.ConnectConfig{Family: tc.family}))
				if tc.wantErr != nil {
					assert.ErrorIs(t, err, tc.wantErr)
					return nil
				}
				if err != nil {
					return err
				}
				defer c.Close()
				got, err := roundTrip(co, c, tc.name)
				assert.Equal(t, tc.name+"\n", got)
				return err
			})
		})
	}
}

func TestConnectSourceAddress(t *testing.T) {
	l := newLoop(t)
	h, port := listenEcho(t, l, "127.0.0.1:0")
	src := freePort(t)
	run(t, l, func(co *gen.Co) error {
		c, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect("127.0.0.1", port, iostream.ConnectConfig{
			SourceIP: netip.MustParseAddr("127.0.0.1"), SourcePort: src,
		}))
		if err != nil {
			return err
		}
		defer c.Close()
		assert.Equal(t, "127.0.0.1:"+strconv.Itoa(src), c.LocalAddr().String())
		if _, err := roundTrip(co, c, "from"); err != nil {
			return err
		}
		assert.Equal(t, "127.0.0.1:"+strconv.Itoa(src), h.streams[0].RemoteAddr().String())
		return nil
	})
}

// A slow resolver runs into the connect timeout; its context is cancelled.
func TestConnectTimeoutWhileResolving(t *testing.T) {
	l := newLoop(t)
	gaveUp := make(chan struct{})
	res := &iostream.Resolver{Lookup: func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		<-ctx.Done()
		close(gaveUp)
		return nil, ctx.Err()
	}}
	run(t, l, func(co *gen.Co) error {
		c := iostream.NewTCPClient(l, iostream.ClientConfig{Resolver: res})
		_, err := gen.Await(co, c.Connect("slow.example", 80, iostream.ConnectConfig{Timeout: 20 * time.Millisecond}))
		assert.ErrorIs(t, err, ioloop.ErrTimeout)
		_, err = gen.Await(co, goFuture(l, func() (struct{}, error) {
			<-gaveUp
			return struct{}{}, nil
		}))
		return err
	})
}

// A connect that the peer never answers (SYNs dropped by a listener whose
// backlog is full) runs into the timeout.
func TestConnectTimeoutFullBacklog(t *testing.T) {
	checkFDs(t)
	l := newLoop(t)
	fds, err := iostream.BindSockets("127.0.0.1:0", iostream.BindConfig{Family: iostream.FamilyIPv4, Backlog: 1})
	require.NoError(t, err)
	defer syscall.Close(fds[0])
	sa, err := unix.Getsockname(fds[0])
	require.NoError(t, err)
	port := sa.(*unix.SockaddrInet4).Port
	timedOut := false
	run(t, l, func(co *gen.Co) error {
		client := iostream.NewTCPClient(l, iostream.ClientConfig{})
		for range 16 {
			c, err := gen.Await(co, client.Connect("127.0.0.1", port, iostream.ConnectConfig{Timeout: 100 * time.Millisecond}))
			if err != nil {
				assert.ErrorIs(t, err, ioloop.ErrTimeout)
				timedOut = true
				return nil
			}
			closeLater(t, c) // stays in the listener's queue, never accepted
		}
		return nil
	})
	if !timedOut {
		t.Skip("this kernel completes connections past a full backlog")
	}
}

// Happy eyeballs: an address that refuses at once gives way to the next
// family without waiting for the fallback delay.
func TestConnectHappyEyeballsRefusedPrimary(t *testing.T) {
	if !hasIPv6(t) {
		t.Skip("the kernel has no IPv6")
	}
	l := newLoop(t)
	_, port := listenEcho(t, l, "127.0.0.1:0") // nothing on [::1]:port
	run(t, l, func(co *gen.Co) error {
		c := iostream.NewTCPClient(l, iostream.ClientConfig{Resolver: staticResolver("::1", "127.0.0.1"), FallbackDelay: time.Hour})
		var tried []string
		recordDials(c, &tried)
		s, err := gen.Await(co, c.Connect("dual.example", port, iostream.ConnectConfig{}))
		if err != nil {
			return err
		}
		defer s.Close()
		assert.Equal(t, []string{"::1", "127.0.0.1"}, tried)
		assert.Equal(t, "127.0.0.1:"+strconv.Itoa(port), s.RemoteAddr().String())
		return nil
	})
}

// Happy eyeballs: a primary address that hangs lets the secondary family
// start after FallbackDelay; the winner closes the hanging attempt. With
// fallback off, the hang runs into the timeout.
func TestConnectHappyEyeballsHangingPrimary(t *testing.T) {
	cases := []struct {
		name     string
		fallback time.Duration
		timeout  time.Duration
		wantErr  error
	}{
		{"fallback", 10 * time.Millisecond, hangGuard, nil},
		{"no fallback", -1, 100 * time.Millisecond, ioloop.ErrTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newLoop(t)
			_, port := listenEcho(t, l, "127.0.0.1:0")
			run(t, l, func(co *gen.Co) error {
				c := iostream.NewTCPClient(l, iostream.ClientConfig{Resolver: staticResolver("::1", "127.0.0.1"), FallbackDelay: tc.fallback})
				var hanging *iostream.IOStream
				var tried []string
				c.SetDial(func(l *ioloop.IOLoop, ip netip.Addr, port int, src netip.Addr, srcPort int, cfg iostream.Config) (*iostream.IOStream, *future.Future[*iostream.IOStream]) {
					tried = append(tried, ip.String())
					if ip.Is4() {
						return iostream.Dial(l, ip, port, src, srcPort, cfg)
					}
					// A connect that never completes: a stream over one end
					// of a socket pair, with a future only its close ends.
					fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
					if err != nil {
						return nil, future.Failed[*iostream.IOStream](l, err)
					}
					t.Cleanup(func() { unix.Close(fds[1]) })
					s, err := iostream.New(l, fds[0], cfg)
					if err != nil {
						return nil, future.Failed[*iostream.IOStream](l, err)
					}
					f := future.New[*iostream.IOStream](l)
					s.SetCloseCallback(func() { f.SetError(errors.New("closed while connecting")) })
					hanging = s
					return s, f
				})
				s, err := gen.Await(co, c.Connect("dual.example", port, iostream.ConnectConfig{Timeout: tc.timeout}))
				if tc.wantErr != nil {
					assert.ErrorIs(t, err, tc.wantErr)
					assert.Equal(t, []string{"::1"}, tried)
				} else {
					if err != nil {
						return err
					}
					s.Close()
					assert.Equal(t, []string{"::1", "127.0.0.1"}, tried)
				}
				// The losing attempt is closed once the connect is decided.
				return waitFor(co, "hanging attempt closed", func() bool { return hanging != nil && hanging.Closed() })
			})
		})
	}
}

// When every address fails, the last error is returned.
func TestConnectAllFail(t *testing.T) {
	if !hasIPv6(t) {
		t.Skip("the kernel has no IPv6")
	}
	l := newLoop(t)
	port := freePort(t)
	run(t, l, func(co *gen.Co) error {
		c := iostream.NewTCPClient(l, iostream.ClientConfig{Resolver: staticResolver("::1", "127.0.0.1")})
		var tried []string
		recordDials(c, &tried)
		_, err := gen.Await(co, c.Connect("dual.example", port, iostream.ConnectConfig{}))
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.ElementsMatch(t, []string{"::1", "127.0.0.1"}, tried)
		var oe *net.OpError
		if assert.ErrorAs(t, err, &oe) {
			assert.Contains(t, []string{"[::1]:" + strconv.Itoa(port), "127.0.0.1:" + strconv.Itoa(port)}, oe.Addr.String())
		}
		return nil
	})
}

// Cancelling a connect abandons it and cancels the lookup.
func TestConnectCancel(t *testing.T) {
	l := newLoop(t)
	gaveUp := make(chan struct{})
	res := &iostream.Resolver{Lookup: func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		<-ctx.Done()
		close(gaveUp)
		return nil, ctx.Err()
	}}
	run(t, l, func(co *gen.Co) error {
		f := iostream.NewTCPClient(l, iostream.ClientConfig{Resolver: res}).Connect("slow.example", 80, iostream.ConnectConfig{})
		assert.True(t, f.Cancel())
		_, err := gen.Await(co, goFuture(l, func() (struct{}, error) {
			<-gaveUp
			return struct{}{}, nil
		}))
		return err
	})
}

func TestResolver(t *testing.T) {
	noLookup := &iostream.Resolver{Lookup: func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		return nil, errors.New("IP literals must not be looked up")
	}}
	failing := &iostream.Resolver{Lookup: func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}}
	cases := []struct {
		name   string
		r      *iostream.Resolver
		host   string
		family int
		want   []string
		err    any // error to match with errors.Is, or a pointer for errors.As
	}{
		{"IPv4 literal", noLookup, "192.0.2.1", iostream.FamilyAny, []string{"192.0.2.1"}, nil},
		{"IPv6 literal", noLookup, "2001:db8::1", iostream.FamilyAny, []string{"2001:db8::1"}, nil},
		{"IPv6 in brackets", noLookup, "[2001:db8::1]", iostream.FamilyIPv6, []string{"2001:db8::1"}, nil},
		{"wrong family", noLookup, "192.0.2.1", iostream.FamilyIPv6, nil, iostream.ErrNoAddress},
		{"filtered and unmapped", staticResolver("::ffff:192.0.2.1", "2001:db8::1", "192.0.2.1"), "x", iostream.FamilyIPv4, []string{"192.0.2.1"}, nil},
		{"order kept", staticResolver("2001:db8::1", "192.0.2.1"), "x", iostream.FamilyAny, []string{"2001:db8::1", "192.0.2.1"}, nil},
		{"lookup error", failing, "nowhere.invalid", iostream.FamilyAny, nil, new(*net.DNSError)},
		{"system resolver", nil, "localhost", iostream.FamilyIPv4, []string{"127.0.0.1"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newLoop(t)
			run(t, l, func(co *gen.Co) error {
				addrs, err := gen.Await(co, tc.r.Resolve(context.Background(), l, tc.host, tc.family))
				switch want := tc.err.(type) {
				case nil:
					assert.NoError(t, err)
				case error:
					assert.ErrorIs(t, err, want)
				default:
					assert.ErrorAs(t, err, want)
				}
				var got []string
				for _, a := range addrs {
					got = append(got, a.String())
				}
				assert.Equal(t, tc.want, got)
				return nil
			})
		})
	}
}
