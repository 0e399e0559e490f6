package iostream

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// Resolver turns host names into addresses for TCPClient (Tornado's
// netutil.Resolver with its DefaultExecutorResolver). The zero value uses
// the system's resolver on the loop's executor; a nil *Resolver is the
// zero value.
type Resolver struct {
	// Lookup resolves host to addresses; network is "ip", "ip4" or "ip6".
	// It runs on Executor, so it may block; ctx is cancelled when the
	// connect it serves is abandoned (timed out, cancelled or done). Nil
	// means net.DefaultResolver.LookupNetIP. Tests and programs with
	// their own name service (a static map, a service registry) set it.
	Lookup func(ctx context.Context, network, host string) ([]netip.Addr, error)
	// Executor runs Lookup; nil means the loop's default executor.
	Executor *ioloop.Executor
}

// Resolve returns a future of host's addresses of family (FamilyAny,
// FamilyIPv4 or FamilyIPv6), in the resolver's order (the system's
// follows RFC 6724: preferred first). An IP literal (IPv6 with or without
// brackets, with a zone or not) resolves to itself without a lookup. It
// fails with the lookup's error wrapped (errors.As finds *net.DNSError
// for the system resolver), or if no address of family is found. ctx may
// be nil. Loop-only.
func (r *Resolver) Resolve(ctx context.Context, loop *ioloop.IOLoop, host string, family int) *future.Future[[]netip.Addr] {
	if ip, err := parseIP(host); err == nil {
		f := future.New[[]netip.Addr](loop)
		f.Set(filterFamily([]netip.Addr{ip}, host, family))
		return f
	}
	if ctx == nil {
		ctx = context.Background()
	}
	var exec *ioloop.Executor
	lookup := net.DefaultResolver.LookupNetIP
	if r != nil {
		exec = r.Executor
		if r.Lookup != nil {
			lookup = r.Lookup
		}
	}
	network := "ip"
	switch family {
	case FamilyIPv4:
		network = "ip4"
	case FamilyIPv6:
		network = "ip6"
	}
	return ioloop.RunInExecutor(loop, exec, func() ([]netip.Addr, error) {
		addrs, err := lookup(ctx, network, host)
		if err != nil {
			return nil, fmt.Errorf("iostream: resolve %q: %w", host, err)
		}
		return filterFamily(addrs, host, family)
	})
}

// parseIP parses an IP literal, also in brackets.
func parseIP(host string) (netip.Addr, error) {
	if len(host) > 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	return netip.ParseAddr(host)
}

// filterFamily keeps the addresses of family, unmapped, without repeats.
func filterFamily(addrs []netip.Addr, host string, family int) ([]netip.Addr, error) {
	out := make([]netip.Addr, 0, len(addrs))
	seen := make(map[netip.Addr]bool, len(addrs))
	for _, ip := range addrs {
		ip = ip.Unmap()
		if !ip.IsValid() || seen[ip] || (family == FamilyIPv4 && !ip.Is4()) || (family == FamilyIPv6 && ip.Is4()) {
			continue
		}
		seen[ip] = true
		out = append(out, ip)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("iostream: resolve %q: %w", host, ErrNoAddress)
	}
	return out, nil
}
