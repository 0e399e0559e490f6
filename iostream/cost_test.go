package iostream_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/iostream"
)

// peerEnv makes the test binary a peer process for TestIdleConnectionCost
// (see TestMain), so that the peers' memory is not counted.
const peerEnv = "GORNADO_IOSTREAM_PEER"

func TestMain(m *testing.M) {
	if args := os.Getenv(peerEnv); args != "" {
		if err := runPeer(strings.Fields(args)); err != nil {
			fmt.Fprintln(os.Stderr, "peer:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runPeer is the peer process: "clients ADDR N tls|plain" opens N
// connections to ADDR; "server tls|plain" listens and prints its address.
// Either prints "ready" once every connection is up (and its handshake
// done) and holds them until its stdin closes.
func runPeer(args []string) error {
	useTLS := args[len(args)-1] == "tls"
	out := bufio.NewWriter(os.Stdout)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	switch args[0] {
	case "clients":
		n, _ := strconv.Atoi(args[2])
		var mu sync.Mutex
		var wg sync.WaitGroup
		var firstErr error
		sem := make(chan struct{}, 32)
		for range n {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				var c net.Conn
				var err error
				if useTLS {
					c, err = tls.Dial("tcp", args[1], &tls.Config{InsecureSkipVerify: true})
				} else {
					c, err = net.Dial("tcp", args[1])
				}
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if c != nil {
					conns = append(conns, c)
				}
			}()
		}
		wg.Wait()
		if firstErr != nil {
			return firstErr
		}
	case "server":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer ln.Close()
		cfg := &tls.Config{Certificates: []tls.Certificate{selfSigned()}}
		fmt.Fprintln(out, ln.Addr())
		out.Flush()
		var mu sync.Mutex
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				if useTLS {
					tc := tls.Server(c, cfg)
					go tc.Handshake()
					c = tc
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}()
		defer mu.Lock()
	default:
		return fmt.Errorf("unknown mode %q", args[0])
	}
	fmt.Fprintln(out, "ready")
	out.Flush()
	io.Copy(io.Discard, os.Stdin)
	return nil
}

func selfSigned() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// peerProcess is a running peer process.
type peerProcess struct {
	first string // its first line of output
	stop  func() // ends it
}

// startPeer runs the peer process and waits for its first line of output.
func startPeer(args string) (peerProcess, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), peerEnv+"="+args)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return peerProcess{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return peerProcess{}, err
	}
	if err := cmd.Start(); err != nil {
		return peerProcess{}, err
	}
	stop := func() {
		stdin.Close()
		cmd.Wait()
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		stop()
		return peerProcess{}, fmt.Errorf("peer process %q printed nothing", args)
	}
	return peerProcess{lines.Text(), stop}, nil
}

// heap returns the heap in use and allocated after collecting garbage.
func heap() (inuse, alloc uint64) {
	var ms runtime.MemStats
	for range 3 {
		runtime.GC()
	}
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse, ms.HeapAlloc
}

// idle makes s an idle keep-alive connection as an HTTP server keeps one:
// a read handler set, waiting for the next request.
func idle(s *iostream.IOStream) {
	s.SetReadHandlerFunc(func(data []byte) int { return len(data) })
}

// TestIdleConnectionCost logs (asserts nothing) the heap that one idle
// connection costs after its handshake, on the server end (streams from a
// TCPServer) and the client end (streams from a TCPClient), plain and TLS.
// The peers live in another process, so only our end is counted. Run it
// without -race for figures that mean something:
//
//	go test -run TestIdleConnectionCost -v ./iostream
func TestIdleConnectionCost(t *testing.T) {
	if testing.Short() {
		t.Skip("measures 1000 connections")
	}
	n := 1000
	if raceEnabled {
		n = 200 // the figures are the same; the race detector makes handshakes slow
	}
	_, cert := testPKI(t)
	for _, mode := range []string{"plain", "tls"} {
		var scfg *tls.Config
		if mode == "tls" {
			scfg = &tls.Config{Certificates: []tls.Certificate{cert}}
		}
		t.Run("server/"+mode, func(t *testing.T) {
			l := newLoop(t)
			var streams []*iostream.IOStream
			srv := iostream.NewTCPServer(l, iostream.HandlerFunc(func(s *iostream.IOStream) {
				idle(s)
				streams = append(streams, s)
			}), iostream.ServerConfig{TLS: scfg})
			require.NoError(t, srv.Bind("127.0.0.1:0", iostream.BindConfig{Family: iostream.FamilyIPv4, Backlog: 4096}))
			addr := srv.Addrs()[0].String()
			require.NoError(t, srv.Start())
			streams = make([]*iostream.IOStream, 0, n)
			inuse0, alloc0 := heap()
			var peer peerProcess
			run(t, l, func(co *gen.Co) error {
				var err error
				peer, err = gen.Await(co, goFuture(l, func() (peerProcess, error) {
					return startPeer(fmt.Sprintf("clients %s %d %s", addr, n, mode))
				}))
				if err != nil {
					return err
				}
				return waitFor(co, "every connection handed over", func() bool { return len(streams) == n })
			})
			inuse1, alloc1 := heap()
			t.Logf("%s server end: %d B/conn heap in use, %d B/conn allocated (%d idle connections, race detector: %v)",
				mode, (int64(inuse1)-int64(inuse0))/int64(n), (int64(alloc1)-int64(alloc0))/int64(n), n, raceEnabled)
			peer.stop()
			for _, s := range streams {
				s.Close()
			}
			srv.Stop()
		})
		t.Run("client/"+mode, func(t *testing.T) {
			l := newLoop(t)
			peer, err := startPeer("server " + mode)
			require.NoError(t, err)
			defer peer.stop()
			host, portStr, _ := net.SplitHostPort(peer.first)
			port, _ := strconv.Atoi(portStr)
			var opts iostream.ConnectConfig
			if mode == "tls" {
				opts.TLS = &tls.Config{InsecureSkipVerify: true}
			}
			streams := make([]*iostream.IOStream, 0, n)
			inuse0, alloc0 := heap()
			run(t, l, func(co *gen.Co) error {
				client := iostream.NewTCPClient(l, iostream.ClientConfig{})
				for len(streams) < n {
					batch := make([]*future.Future[*iostream.IOStream], min(32, n-len(streams)))
					for i := range batch {
						batch[i] = client.Connect(host, port, opts)
					}
					ss, err := gen.Await(co, gen.All(l, batch...))
					if err != nil {
						return err
					}
					for _, s := range ss {
						idle(s)
					}
					streams = append(streams, ss...)
				}
				return gen.Sleep(co, 100*time.Millisecond) // session tickets arrive and are read
			})
			inuse1, alloc1 := heap()
			t.Logf("%s client end: %d B/conn heap in use, %d B/conn allocated (%d idle connections, race detector: %v)",
				mode, (int64(inuse1)-int64(inuse0))/int64(n), (int64(alloc1)-int64(alloc0))/int64(n), n, raceEnabled)
			for _, s := range streams {
				s.Close()
			}
		})
	}
}
