package iostream

import (
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// newStream wraps fd, already non-blocking, in a stream on loop.
func newStream(loop *ioloop.IOLoop, fd int, cfg Config) (*IOStream, error) {
	if cfg.MaxBufferSize <= 0 {
		cfg.MaxBufferSize = DefaultMaxBufferSize
	}
	s := &IOStream{loop: loop, fd: fd, cfg: cfg}
	if err := loop.AddHandler(fd, 0, (*streamEvents)(s)); err != nil {
		return nil, err
	}
	s.registered = true
	return s, nil
}

// dial starts a non-blocking connect to ip:port, from source if it is
// valid (port sourcePort, 0 for any), and returns a future of the
// connected stream. Closing the stream before it connects fails the future.
func dial(loop *ioloop.IOLoop, ip netip.Addr, port int, source netip.Addr, sourcePort int, cfg Config) (*IOStream, *future.Future[*IOStream]) {
	f := future.New[*IOStream](loop)
	sa, family := tcpSockaddr(ip, port)
	fd, err := socket(family, unix.SOCK_STREAM)
	if err != nil {
		f.SetError(wrap("socket", err))
		return nil, f
	}
	if source.IsValid() || sourcePort != 0 {
		if !source.IsValid() {
			source = netip.IPv4Unspecified()
			if family == unix.AF_INET6 {
				source = netip.IPv6Unspecified()
			}
		}
		ssa, _ := tcpSockaddr(source, sourcePort)
		if err := unix.Bind(fd, ssa); err != nil {
			unix.Close(fd)
			f.SetError(wrap("bind source address", err))
			return nil, f
		}
	}
	s, err := newStream(loop, fd, cfg)
	if err != nil {
		unix.Close(fd)
		f.SetError(err)
		return nil, f
	}
	s.connecting = f
	err = unix.Connect(fd, sa)
	switch err {
	case nil:
		s.connecting = nil
		f.SetResult(s)
	case unix.EINPROGRESS, unix.EINTR, unix.EAGAIN:
		s.updateInterest()
	default:
		s.closeWith(wrap("connect", err))
	}
	return s, f
}

// ConnectUnix connects to the Unix-domain socket at path and returns a
// future of the stream (Tornado's IOStream.connect with an AF_UNIX
// socket). Loop-only.
func ConnectUnix(loop *ioloop.IOLoop, path string, cfg Config) *future.Future[*IOStream] {
	f := future.New[*IOStream](loop)
	fd, err := socket(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		f.SetError(wrap("socket", err))
		return f
	}
	s, err := newStream(loop, fd, cfg)
	if err != nil {
		unix.Close(fd)
		f.SetError(err)
		return f
	}
	s.connecting = f
	switch err := unix.Connect(fd, &unix.SockaddrUnix{Name: path}); err {
	case nil:
		s.connecting = nil
		f.SetResult(s)
	case unix.EINPROGRESS, unix.EINTR, unix.EAGAIN:
		s.updateInterest()
	default:
		s.closeWith(wrap("connect "+path, err))
	}
	return f
}

// finishConnect runs when a connecting socket becomes writable.
func (s *IOStream) finishConnect() {
	errno, err := unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err == nil && errno != 0 {
		err = unix.Errno(errno)
	}
	if err != nil {
		s.closeWith(wrap("connect", err))
		return
	}
	f := s.connecting
	s.connecting = nil
	s.updateInterest()
	f.SetResult(s)
}
