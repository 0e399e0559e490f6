package iostream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// DefaultBacklog is the listen backlog when none is given (Tornado's
// _DEFAULT_BACKLOG).
const DefaultBacklog = 128

// Address families, for BindSockets, Resolver.Resolve and
// ConnectConfig.Family.
const (
	FamilyAny  = unix.AF_UNSPEC
	FamilyIPv4 = unix.AF_INET
	FamilyIPv6 = unix.AF_INET6
)

// BindConfig says how BindSockets binds. The zero value binds every
// address family with the default backlog.
type BindConfig struct {
	// Family narrows to FamilyIPv4 or FamilyIPv6 (FamilyAny: both).
	Family int
	// Backlog is the listen backlog; zero means DefaultBacklog.
	Backlog int
	// ReusePort sets SO_REUSEPORT, so several loops (or processes) can
	// share the port.
	ReusePort bool
}

// BindSockets creates listening sockets bound to addr ("host:port"), one
// per address the host resolves to (Tornado's bind_sockets): host ""
// means every interface, IPv4 and IPv6; port 0 picks a free port, and the
// sockets after the first reuse the first one's. The
// sockets are non-blocking with SO_REUSEADDR; IPv6 sockets are IPv6-only.
// On failure it returns the error (errors.Is finds the errno, such as
// syscall.EADDRINUSE) and leaves nothing open. It touches no loop, so any
// goroutine may call it; a name is resolved with a blocking lookup.
func BindSockets(addr string, cfg BindConfig) ([]int, error) {
	address, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, &net.AddrError{Err: "invalid port", Addr: addr}
	}
	family, backlog, reusePort := cfg.Family, cfg.Backlog, cfg.ReusePort
	if backlog <= 0 {
		backlog = DefaultBacklog
	}
	ips, err := bindAddresses(address, family)
	if err != nil {
		return nil, err
	}
	var fds []int
	fail := func(err error) ([]int, error) {
		for _, fd := range fds {
			unix.Close(fd)
		}
		return nil, err
	}
	for _, ip := range ips {
		sa, fam := tcpSockaddr(ip, port)
		fd, err := socket(fam, unix.SOCK_STREAM)
		if err != nil {
			return fail(wrap("socket", err))
		}
		fds = append(fds, fd)
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
			return fail(wrap("setsockopt SO_REUSEADDR", err))
		}
		if reusePort {
			if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
				return fail(wrap("setsockopt SO_REUSEPORT", err))
			}
		}
		if fam == unix.AF_INET6 {
			unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 1)
		}
		if err := unix.Bind(fd, sa); err != nil {
			return fail(fmt.Errorf("iostream: bind %s: %w", net.JoinHostPort(ip.String(), strconv.Itoa(port)), err))
		}
		if err := unix.Listen(fd, backlog); err != nil {
			return fail(wrap("listen", err))
		}
		if port == 0 {
			// Bind the other families to the same port.
			if a, ok := sockaddrToAddr(mustSockname(fd)).(*net.TCPAddr); ok {
				port = a.Port
			}
		}
	}
	return fds, nil
}

func mustSockname(fd int) unix.Sockaddr {
	sa, _ := unix.Getsockname(fd)
	return sa
}

// bindAddresses resolves a bind address: "" is every interface.
func bindAddresses(address string, family int) ([]netip.Addr, error) {
	var ips []netip.Addr
	if address == "" {
		ips = []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}
		if !ipv6Available() {
			ips = ips[:1]
		}
	} else if ip, err := netip.ParseAddr(address); err == nil {
		ips = []netip.Addr{ip}
	} else {
		addrs, err := net.DefaultResolver.LookupNetIP(context.Background(), "ip", address)
		if err != nil {
			return nil, fmt.Errorf("iostream: resolve %q: %w", address, err)
		}
		ips = addrs
	}
	var out []netip.Addr
	seen := map[netip.Addr]bool{}
	for _, ip := range ips {
		ip = ip.Unmap()
		if seen[ip] || (family == FamilyIPv4 && !ip.Is4()) || (family == FamilyIPv6 && ip.Is4()) {
			continue
		}
		seen[ip] = true
		out = append(out, ip)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("iostream: bind %q: %w", address, ErrNoAddress)
	}
	return out, nil
}

func ipv6Available() bool {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_STREAM, 0)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

// BindUnixSocket creates a listening Unix socket at path (Tornado's
// bind_unix_socket), replacing a stale socket file but refusing to replace
// any other file. mode sets the file's permissions (0 leaves the umask's).
// On failure it returns the error and leaves no socket open. It touches no
// loop, so any goroutine may call it.
func BindUnixSocket(path string, mode os.FileMode, backlog int) (int, error) {
	if backlog <= 0 {
		backlog = DefaultBacklog
	}
	if st, err := os.Lstat(path); err == nil {
		if st.Mode()&os.ModeSocket == 0 {
			return -1, fmt.Errorf("iostream: %s exists and is not a socket", path)
		}
		os.Remove(path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return -1, err
	}
	fd, err := socket(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		return -1, wrap("socket", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("iostream: bind %s: %w", path, err)
	}
	if mode != 0 {
		if err := os.Chmod(path, mode); err != nil {
			unix.Close(fd)
			return -1, err
		}
	}
	if err := unix.Listen(fd, backlog); err != nil {
		unix.Close(fd)
		return -1, wrap("listen", err)
	}
	return fd, nil
}
