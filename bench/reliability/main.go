// Command reliability is the hostile client of bench/reliability.sh: each
// subcommand attacks a server in one way while a probe measures how a
// normal request fares, and prints one line of figures per result.
//
//	reliability slowloris -addr 127.0.0.1:18091 -n 1000 -d 30s
//	reliability slowread  -addr 127.0.0.1:18091 -n 200 -path /stream/1048576
//	reliability pipeline  -addr 127.0.0.1:18091 -n 1000 -path /bytes/1048576
//	reliability gzipbomb  -addr 127.0.0.1:18091 -c 10 -size 1073741824
//	reliability shutdown  -addr 127.0.0.1:18091 -c 50 -path /delay/20
//	reliability fds       -addr 127.0.0.1:18091 -n 400 -d 10s
//
// The probe opens a connection every -probe interval, sends GET / and reads
// the whole response; it fails past 5 s. Its line reads "probe n=… failed=…
// p50=… p99=… max=…".
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

const probeTimeout = 5 * time.Second

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: reliability slowloris|slowread|pipeline|gzipbomb|shutdown|fds [flags]")
		os.Exit(2)
	}
	benchutil.RaiseNofile(1 << 20)
	cmd, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:18091", "server address")
	probeEvery := fs.Duration("probe", 200*time.Millisecond, "interval between probe requests")
	var run func() error
	switch cmd {
	case "slowloris":
		n := fs.Int("n", 1000, "connections trickling heads")
		d := fs.Duration("d", 30*time.Second, "duration")
		every := fs.Duration("every", time.Second, "interval between header lines on each connection")
		run = func() error { return slowloris(*addr, *n, *d, *every, *probeEvery) }
	case "slowread":
		n := fs.Int("n", 200, "slow readers")
		path := fs.String("path", "/stream/1048576", "what each requests")
		d := fs.Duration("d", 20*time.Second, "duration")
		rate := fs.Int("rate", 16384, "bytes per second each reader reads")
		run = func() error { return slowread(*addr, *n, *path, *d, *rate, *probeEvery) }
	case "pipeline":
		n := fs.Int("n", 1000, "requests pipelined on one connection")
		path := fs.String("path", "/bytes/1048576", "what each requests")
		d := fs.Duration("d", 10*time.Second, "how long the client does not read")
		run = func() error { return pipeline(*addr, *n, *path, *d, *probeEvery) }
	case "gzipbomb":
		c := fs.Int("c", 10, "bombs sent at once")
		size := fs.Int64("size", 1<<30, "inflated size")
		run = func() error { return gzipbomb(*addr, *c, *size, *probeEvery) }
	case "shutdown":
		c := fs.Int("c", 50, "connections requesting in a loop")
		path := fs.String("path", "/delay/20", "what each requests")
		d := fs.Duration("d", 30*time.Second, "give up after")
		run = func() error { return shutdown(*addr, *c, *path, *d) }
	case "fds":
		n := fs.Int("n", 400, "connections held open")
		d := fs.Duration("d", 10*time.Second, "how long they are held")
		run = func() error { return fds(*addr, *n, *d, *probeEvery) }
	default:
		fmt.Fprintln(os.Stderr, "reliability: unknown subcommand", cmd)
		os.Exit(2)
	}
	fs.Parse(args)
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		os.Exit(1)
	}
}

// get sends one request with Connection: close on a new connection and
// reads the whole response; it returns the status.
func get(addr, path string, timeout time.Duration) (int, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, err
	}
	return resp.StatusCode, nil
}

// probe requests GET / every interval until stop closes, then prints its
// figures under name.
type probe struct {
	mu     sync.Mutex
	lat    []time.Duration
	failed int
	errs   map[string]int
	stop   chan struct{}
	done   chan struct{}
}

func startProbe(addr string, every time.Duration) *probe {
	p := &probe{errs: map[string]int{}, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
			start := time.Now()
			code, err := get(addr, "/", probeTimeout)
			p.mu.Lock()
			if err != nil || code != 200 {
				p.failed++
				p.errs[errClass(err, code)]++
			} else {
				p.lat = append(p.lat, time.Since(start))
			}
			p.mu.Unlock()
		}
	}()
	return p
}

// report stops the probe and prints its line.
func (p *probe) report(name string) {
	close(p.stop)
	<-p.done
	fmt.Println(name + " " + p.line())
}

func (p *probe) line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lat := slices.Clone(p.lat)
	slices.Sort(lat)
	q := func(f float64) string {
		if len(lat) == 0 {
			return "-"
		}
		return lat[min(len(lat)-1, int(f*float64(len(lat))))].Round(10 * time.Microsecond).String()
	}
	s := fmt.Sprintf("n=%d failed=%d p50=%s p99=%s max=%s", len(lat)+p.failed, p.failed, q(0.5), q(0.99), q(1))
	if len(p.errs) > 0 {
		s += fmt.Sprintf(" errors=%v", p.errs)
	}
	return s
}

// errClass names an error briefly, for counting.
func errClass(err error, code int) string {
	switch {
	case err == nil:
		return fmt.Sprintf("status %d", code)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	case os.IsTimeout(err):
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "refused"
	case strings.Contains(err.Error(), "connection reset"):
		return "reset"
	}
	return err.Error()
}

// slowloris keeps n connections trickling one request head each: a
// request line, then one header line every interval, never the blank
// line. A connection the server closes is opened again at once.
func slowloris(addr string, n int, d, every, probeEvery time.Duration) error {
	var opened, closed, failed atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	p := startProbe(addr, probeEvery)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Spread the first lines over one interval.
			time.Sleep(every * time.Duration(i) / time.Duration(n))
			for time.Now().Before(deadline) {
				c, err := net.DialTimeout("tcp", addr, probeTimeout)
				if err != nil {
					failed.Add(1)
					time.Sleep(every)
					continue
				}
				opened.Add(1)
				_, err = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
				for k := 0; err == nil && time.Now().Before(deadline); k++ {
					time.Sleep(every)
					_, err = fmt.Fprintf(c, "X-%d: y\r\n", k)
				}
				if err != nil {
					closed.Add(1)
				}
				c.Close()
			}
		}()
	}
	wg.Wait()
	p.report("probe")
	fmt.Printf("slowloris connections=%d opened=%d closed_by_server=%d dial_failed=%d\n", n, opened.Load(), closed.Load(), failed.Load())
	return nil
}

// slowread has n clients with a 4 KiB receive buffer request path and read
// the response at rate bytes per second each, for d.
func slowread(addr string, n int, path string, d time.Duration, rate int, probeEvery time.Duration) error {
	var got, complete, errs atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dialSmall(addr)
			if err != nil {
				errs.Add(1)
				return
			}
			defer c.Close()
			if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path); err != nil {
				errs.Add(1)
				return
			}
			buf := make([]byte, rate/10)
			for time.Now().Before(deadline) {
				c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
				k, err := io.ReadFull(c, buf)
				got.Add(int64(k))
				if err != nil && !os.IsTimeout(err) {
					if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
						complete.Add(1)
					} else {
						errs.Add(1)
					}
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	time.Sleep(time.Second) // every reader has its response under way
	p := startProbe(addr, probeEvery)
	wg.Wait()
	p.report("probe")
	fmt.Printf("slowread readers=%d read=%dMiB errors=%d closed_early=%d\n", n, got.Load()>>20, errs.Load(), complete.Load())
	return nil
}

// dialSmall dials with SO_RCVBUF set to 4096 before connecting, so the
// window stays small.
func dialSmall(addr string) (*net.TCPConn, error) {
	raddr, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: probeTimeout, Control: setSmallRcvbuf}
	c, err := d.Dial("tcp", raddr.String())
	if err != nil {
		return nil, err
	}
	return c.(*net.TCPConn), nil
}

// pipeline writes n requests for path on one connection with a small
// receive buffer, reads nothing for d, then reads every response.
func pipeline(addr string, n int, path string, d, probeEvery time.Duration) error {
	c, err := dialSmall(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	var reqs bytes.Buffer
	for range n {
		fmt.Fprintf(&reqs, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path)
	}
	werr := make(chan error, 1)
	go func() { _, err := c.Write(reqs.Bytes()); werr <- err }()
	p := startProbe(addr, probeEvery)
	time.Sleep(d)
	p.report("probe")
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(120 * time.Second))
	br := bufio.NewReaderSize(c, 64<<10)
	answered := 0
	var rerr error
	for answered < n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			rerr = err
			break
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			rerr = err
			break
		}
		answered++
	}
	fmt.Printf("pipeline requests=%d bytes_sent=%d answered=%d read_in=%s read_error=%v write_error=%v\n",
		n, reqs.Len(), answered, time.Since(start).Round(time.Millisecond), rerr, <-werr)
	return nil
}

// gzipbomb POSTs c gzipped bodies of size zero bytes at once to /post.
func gzipbomb(addr string, c int, size int64, probeEvery time.Duration) error {
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for left := size; left > 0; left -= int64(len(zeros)) {
		zw.Write(zeros[:min(left, int64(len(zeros)))])
	}
	zw.Close()
	bomb := z.Bytes()
	p := startProbe(addr, probeEvery)
	time.Sleep(time.Second)
	var mu sync.Mutex
	results := map[string]int{}
	var slowest time.Duration
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			code, err := post(addr, bomb)
			mu.Lock()
			defer mu.Unlock()
			results[errClass(err, code)]++
			slowest = max(slowest, time.Since(start))
		}()
	}
	wg.Wait()
	time.Sleep(time.Second)
	p.report("probe")
	fmt.Printf("gzipbomb bombs=%d compressed=%dKiB inflated=%dMiB answers=%v slowest=%s\n", c, len(bomb)>>10, size>>20, results, slowest.Round(time.Millisecond))
	return nil
}

func post(addr string, body []byte) (int, error) {
	c, err := net.DialTimeout("tcp", addr, probeTimeout)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	go func() {
		fmt.Fprintf(c, "POST /post HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(body))
		c.Write(body)
	}()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// shutdown keeps c keep-alive connections requesting path in a loop and
// reading whole responses until the server stops listening (the script
// sends it SIGINT), and classifies how each request ended.
func shutdown(addr string, c int, path string, d time.Duration) error {
	var mu sync.Mutex
	out := map[string]int{}
	count := func(k string) { mu.Lock(); out[k]++; mu.Unlock() }
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				conn, err := net.DialTimeout("tcp", addr, probeTimeout)
				if err != nil {
					count("dial refused (stopped listening)")
					return
				}
				br := bufio.NewReader(conn)
				for time.Now().Before(deadline) {
					conn.SetDeadline(time.Now().Add(15 * time.Second))
					if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path); err != nil {
						count("write failed")
						break
					}
					if _, err := br.Peek(1); err != nil {
						// Closed before a byte of the answer: the race of
						// keep-alive, which a client retries (the request
						// was not processed, or idempotent).
						count("closed before the answer began")
						break
					}
					resp, err := http.ReadResponse(br, nil)
					if err != nil {
						count("PARTIAL head")
						break
					}
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err != nil {
						count("PARTIAL body")
						break
					}
					count(fmt.Sprintf("complete %d", resp.StatusCode))
					if resp.Close {
						break
					}
				}
				conn.Close()
			}
		}()
	}
	wg.Wait()
	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Print("shutdown")
	for _, k := range keys {
		fmt.Printf(" [%s]=%d", k, out[k])
	}
	fmt.Println()
	return nil
}

// fds opens n connections and holds them idle for d (the script runs the
// server with a low ulimit -n, so it runs out), probing meanwhile; then
// closes them and probes again.
func fds(addr string, n int, d, probeEvery time.Duration) error {
	conns := make([]net.Conn, 0, n)
	dialFailed := 0
	for range n {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			dialFailed++
			continue
		}
		conns = append(conns, c)
	}
	fmt.Printf("fds opened=%d dial_failed=%d (the kernel completes handshakes the server has not accepted)\n", len(conns), dialFailed)
	fmt.Println("PRESSURE") // the script reads the server's CPU time from here
	p := startProbe(addr, probeEvery)
	time.Sleep(d)
	p.report("probe_under_pressure")
	fmt.Println("RELEASE")
	for _, c := range conns {
		c.Close()
	}
	time.Sleep(2 * time.Second) // the server's accept back-off (1 s) ends
	p = startProbe(addr, probeEvery)
	time.Sleep(5 * time.Second)
	p.report("probe_after")
	return nil
}
