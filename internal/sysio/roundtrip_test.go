//go:build linux && !race && !msan && !asan

package sysio

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

// loopbackPairs opens n TCP connections on 127.0.0.1 and returns their
// client and server ends (blocking sockets: each benchmark step waits for
// data the previous one sent).
func loopbackPairs(b *testing.B, n int) (client, server []int) {
	ln, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer unix.Close(ln)
	if err := unix.Bind(ln, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		b.Fatal(err)
	}
	if err := unix.Listen(ln, 128); err != nil {
		b.Fatal(err)
	}
	addr, err := unix.Getsockname(ln)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, fd := range append(client, server...) {
			unix.Close(fd)
		}
	})
	for range n {
		c, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			b.Skipf("socket: %v (raise ulimit -n)", err)
		}
		client = append(client, c)
		if err := unix.Connect(c, addr); err != nil {
			b.Fatal(err)
		}
		s, _, err := unix.Accept4(ln, unix.SOCK_CLOEXEC)
		if err != nil {
			b.Fatal(err)
		}
		server = append(server, s)
		unix.SetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		unix.SetsockoptInt(s, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
	return client, server
}

// BenchmarkRoundTrip is one HTTP-sized exchange on each of conns loopback
// connections in turn: the client writes 78 bytes, the server reads them
// and writes 130 back, the client reads them. The server's end uses Read
// and Write ("sysio") or plain read(2) and write(2) ("readwrite"); the
// client's end always uses read(2) and write(2). With 1000 connections the
// kernel's per-socket state no longer stays in the CPU caches, and the
// file layer that read(2) and write(2) cross costs more; Read and Write
// skip it.
//
//	go test -run '^$' -bench RoundTrip -count 6 ./internal/sysio
func BenchmarkRoundTrip(b *testing.B) {
	rawRead := func(fd int, p []byte) (int, error) {
		n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(ptr(p)), uintptr(len(p)))
		return result(n, e)
	}
	rawWrite := func(fd int, p []byte) (int, error) {
		n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(ptr(p)), uintptr(len(p)))
		return result(n, e)
	}
	request, response, buf := make([]byte, 78), make([]byte, 130), make([]byte, 4096)
	for _, conns := range []int{50, 1000} {
		client, server := loopbackPairs(b, conns)
		for _, calls := range []struct {
			name        string
			read, write func(int, []byte) (int, error)
		}{{"readwrite", rawRead, rawWrite}, {"sysio", Read, Write}} {
			b.Run(fmt.Sprintf("%s/conns=%d", calls.name, conns), func(b *testing.B) {
				i := 0
				for b.Loop() {
					rawWrite(client[i], request)
					if n, err := calls.read(server[i], buf); n != len(request) {
						b.Fatalf("server read %d, %v", n, err)
					}
					calls.write(server[i], response)
					if n, err := rawRead(client[i], buf); n != len(response) {
						b.Fatalf("client read %d, %v", n, err)
					}
					i = (i + 1) % conns
				}
			})
		}
	}
}
