package iostream

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// DefaultFallbackDelay is how long Connect waits for the first address
// family before trying the other one in parallel (Tornado's
// _INITIAL_CONNECT_TIMEOUT, RFC 6555's "happy eyeballs").
const DefaultFallbackDelay = 300 * time.Millisecond

// ClientConfig configures a TCPClient. The zero value works.
type ClientConfig struct {
	// Resolver resolves host names; nil means the system resolver on the
	// loop's executor.
	Resolver *Resolver
	// FallbackDelay is how long the addresses of the first family may try
	// before those of the other family start too; zero means
	// DefaultFallbackDelay, negative means the other family starts only
	// when an attempt of the first fails.
	FallbackDelay time.Duration
}

// ConnectConfig configures one Connect. The zero value makes a plain
// connection with no timeout.
type ConnectConfig struct {
	// Family restricts the addresses tried: FamilyAny (the default),
	// FamilyIPv4 or FamilyIPv6. With SourceIP set and Family FamilyAny,
	// only SourceIP's family is tried.
	Family int
	// SourceIP and SourcePort bind the local end before connecting; zero
	// values let the kernel choose.
	SourceIP   netip.Addr
	SourcePort int
	// Timeout, when positive, bounds the whole connect: resolving,
	// connecting and the TLS handshake. Past it, Connect fails with an
	// error matching ioloop.ErrTimeout and every attempt is closed.
	Timeout time.Duration
	// TLS, when set, makes a TLS connection with this configuration; an
	// empty ServerName is set to host, as tls.Dial does.
	TLS *tls.Config
	// Stream sets the limits of the connected stream.
	Stream Config
}

// dialFunc starts one connection attempt; tests replace it.
type dialFunc func(loop *ioloop.IOLoop, ip netip.Addr, port int, source netip.Addr, sourcePort int, cfg Config) (*IOStream, *future.Future[*IOStream])

// TCPClient opens TCP connections from a loop (Tornado's TCPClient). One
// client may make any number of connections. Loop-only.
type TCPClient struct {
	loop *ioloop.IOLoop
	cfg  ClientConfig
	dial dialFunc
}

// NewTCPClient returns a client that connects from loop.
func NewTCPClient(loop *ioloop.IOLoop, cfg ClientConfig) *TCPClient {
	if cfg.FallbackDelay == 0 {
		cfg.FallbackDelay = DefaultFallbackDelay
	}
	return &TCPClient{loop: loop, cfg: cfg, dial: dial}
}

// Connect connects to host:port and returns a future of the stream. host
// is a name or an IP literal; a name is resolved first, on the executor.
// The addresses are tried as Tornado's _Connector (and RFC 6555) does:
// split into the family of the first address and the other family, the
// first family's are tried one after another; if none has connected
// within FallbackDelay, or one fails, the other family's start too, in
// parallel. The first to connect wins and every other attempt is closed.
// With cfg.TLS, the winner then does the client side of the handshake.
//
// If every attempt fails, the future fails with the last attempt's error,
// a *net.OpError naming the address (errors.Is finds the errno, such as
// syscall.ECONNREFUSED); resolution, timeout (ioloop.ErrTimeout) and
// handshake errors (see StartTLS) fail it likewise. Cancelling the future
// abandons the connect and closes what it opened. Loop-only.
func (c *TCPClient) Connect(host string, port int, cfg ConnectConfig) *future.Future[*IOStream] {
	out := future.New[*IOStream](c.loop).SetOrigin("connect")
	if port < 0 || port > 0xFFFF {
		out.SetError(&net.AddrError{Err: "invalid port", Addr: strconv.Itoa(port)})
		return out
	}
	family := cfg.Family
	if family == FamilyAny && cfg.SourceIP.IsValid() {
		family = FamilyIPv6
		if cfg.SourceIP.Unmap().Is4() {
			family = FamilyIPv4
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cn := &connector{c: c, host: host, port: port, opts: cfg, out: out, cancel: cancel}
	if cfg.Timeout > 0 {
		cn.deadline = c.loop.CallLater(cfg.Timeout, cn.timedOut)
	}
	out.OnDone(cn.cleanup)
	c.cfg.Resolver.Resolve(ctx, c.loop, host, family).AddDoneCallback(cn.resolved)
	return out
}

// connector is one Connect in flight: Tornado's _Connector.
type connector struct {
	c      *TCPClient
	host   string
	port   int
	opts   ConnectConfig
	out    *future.Future[*IOStream]
	cancel context.CancelFunc

	primary, secondary []netip.Addr // not tried yet
	secondaryStarted   bool
	remaining          int // attempts not finished, tried or not
	lastErr            error
	attempts           []*IOStream // in flight
	winner             *IOStream   // connected, maybe in its TLS handshake
	fallback, deadline *ioloop.Timeout
}

func (cn *connector) resolved(f *future.Future[[]netip.Addr]) {
	addrs, err := f.Result()
	if cn.out.Done() {
		return
	}
	if err != nil {
		cn.out.SetError(err)
		return
	}
	first := addrs[0].Is4()
	for _, ip := range addrs {
		if ip.Is4() == first {
			cn.primary = append(cn.primary, ip)
		} else {
			cn.secondary = append(cn.secondary, ip)
		}
	}
	cn.remaining = len(addrs)
	cn.tryNext(&cn.primary)
	if d := cn.c.cfg.FallbackDelay; d > 0 && len(cn.secondary) > 0 && !cn.out.Done() {
		cn.fallback = cn.c.loop.CallLater(d, cn.startSecondary)
	}
}

// tryNext starts an attempt on the next address of list; when list is
// exhausted and no attempt is left, the connect fails with the last error.
func (cn *connector) tryNext(list *[]netip.Addr) {
	if len(*list) == 0 {
		if cn.remaining == 0 && !cn.out.Done() {
			err := cn.lastErr
			if err == nil {
				err = fmt.Errorf("iostream: connect to %s: %w", cn.hostPort(), ErrNoAddress)
			}
			cn.out.SetError(err)
		}
		return
	}
	ip := (*list)[0]
	*list = (*list)[1:]
	s, f := cn.c.dial(cn.c.loop, ip, cn.port, cn.opts.SourceIP, cn.opts.SourcePort, cn.opts.Stream)
	if s != nil {
		cn.attempts = append(cn.attempts, s)
	}
	f.AddDoneCallback(func(f *future.Future[*IOStream]) { cn.attemptDone(list, ip, s, f) })
}

func (cn *connector) startSecondary() {
	cn.fallback = nil
	if cn.secondaryStarted || cn.out.Done() || cn.winner != nil {
		return
	}
	cn.secondaryStarted = true
	cn.tryNext(&cn.secondary)
}

func (cn *connector) attemptDone(list *[]netip.Addr, ip netip.Addr, s *IOStream, f *future.Future[*IOStream]) {
	cn.remaining--
	cn.drop(s)
	if _, err := f.Result(); err != nil {
		if cn.out.Done() || cn.winner != nil {
			return
		}
		cn.lastErr = connectError(err, ip, cn.port)
		cn.tryNext(list)
		if cn.fallback != nil {
			cn.c.loop.RemoveTimeout(cn.fallback)
		}
		cn.startSecondary()
		return
	}
	if cn.out.Done() || cn.winner != nil {
		s.Close() // a late arrival
		return
	}
	cn.winner = s
	if cn.fallback != nil {
		cn.c.loop.RemoveTimeout(cn.fallback)
		cn.fallback = nil
	}
	cn.closeAttempts()
	if cn.opts.TLS == nil {
		cn.out.SetResult(s)
		return
	}
	cfg := cn.opts.TLS
	if cfg.ServerName == "" {
		cfg = cfg.Clone()
		cfg.ServerName = cn.host
		if ip, err := parseIP(cn.host); err == nil {
			cfg.ServerName = ip.String()
		}
	}
	s.StartTLS(false, cfg).AddDoneCallback(func(f *future.Future[*IOStream]) {
		cn.out.Set(f.Result())
	})
}

func (cn *connector) timedOut() {
	cn.deadline = nil
	cn.out.SetError(fmt.Errorf("iostream: connect to %s: %w", cn.hostPort(), ioloop.ErrTimeout))
}

// cleanup runs once the connect is decided: it stops the timers and the
// resolver and closes every attempt but the winner (the winner too if the
// connect failed, timed out or was cancelled).
func (cn *connector) cleanup() {
	cn.cancel()
	for _, t := range []*ioloop.Timeout{cn.fallback, cn.deadline} {
		if t != nil {
			cn.c.loop.RemoveTimeout(t)
		}
	}
	cn.fallback, cn.deadline = nil, nil
	cn.closeAttempts()
	if cn.out.Err() != nil && cn.winner != nil {
		cn.winner.Close()
	}
}

func (cn *connector) closeAttempts() {
	attempts := cn.attempts
	cn.attempts = nil
	for _, s := range attempts {
		s.Close()
	}
}

func (cn *connector) drop(s *IOStream) {
	for i, a := range cn.attempts {
		if a == s {
			cn.attempts = append(cn.attempts[:i], cn.attempts[i+1:]...)
			return
		}
	}
}

func (cn *connector) hostPort() string { return net.JoinHostPort(cn.host, strconv.Itoa(cn.port)) }

// connectError turns an attempt's error into a *net.OpError naming the
// address: the stream's close error carries the connect error as cause.
func connectError(err error, ip netip.Addr, port int) error {
	var sce *StreamClosedError
	if errors.As(err, &sce) && sce.Cause != nil {
		err = sce.Cause
	}
	addr := net.TCPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(port)))
	var oe *net.OpError
	if errors.As(err, &oe) {
		if oe.Addr == nil {
			oe.Addr = addr
		}
		return oe
	}
	return &net.OpError{Op: "connect", Net: "tcp", Addr: addr, Err: err}
}
