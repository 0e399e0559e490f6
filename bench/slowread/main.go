// Command slowread is bench/nethttp.sh's slow-reader test: -n clients each
// request a large response (GET -path) and read it very slowly (a small
// SO_RCVBUF, -chunk bytes every -every), and while they are all connected
// and reading, a probe times ordinary requests (GET /) and reads the
// server's goroutine count (GET /debug, which answers "goroutines N") and
// its RSS and threads (/proc/-pid/status).
//
//	slowread -addr 127.0.0.1:18101 -pid 1234 -n 1000
//
// It prints one line, "RESULT key=value ...", and progress to stderr.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18101", "server address")
	pid := flag.Int("pid", 0, "the server's process id, for /proc/PID/status")
	n := flag.Int("n", 1000, "slow readers")
	path := flag.String("path", "/bytes", "what each slow reader requests")
	rcvbuf := flag.Int("rcvbuf", 4096, "SO_RCVBUF of each slow reader (set before connecting)")
	chunk := flag.Int("chunk", 4096, "bytes each slow reader reads at a time")
	every := flag.Duration("every", 300*time.Millisecond, "how often each slow reader reads")
	settle := flag.Duration("settle", 3*time.Second, "wait after every reader has its first bytes, before probing")
	probes := flag.Int("probes", 20, "probe requests (GET /), one after another")
	flag.Parse()
	benchutil.RaiseNofile(uint64(*n) + 1024)

	var started, failed, eof atomic.Int64
	var received atomic.Int64
	var firstErr atomic.Pointer[error]
	stop := make(chan struct{})
	var wg sync.WaitGroup
	ready := make(chan struct{}, *n)
	dialer := net.Dialer{Timeout: 10 * time.Second, Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, *rcvbuf)
		})
		return errors.Join(err, serr)
	}}
	req := []byte("GET " + *path + " HTTP/1.1\r\nHost: " + *addr + "\r\n\r\n")
	t0 := time.Now()
	sem := make(chan struct{}, 32) // connections set up at once
	for i := 0; i < *n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dialer.Dial("tcp", *addr)
			if err == nil {
				_, err = c.Write(req)
			}
			buf := make([]byte, *chunk)
			if err == nil {
				var k int
				k, err = c.Read(buf)
				received.Add(int64(k))
			}
			<-sem
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, &err)
				ready <- struct{}{}
				if c != nil {
					c.Close()
				}
				return
			}
			started.Add(1)
			ready <- struct{}{}
			defer c.Close()
			t := time.NewTicker(*every)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
				}
				k, err := c.Read(buf)
				received.Add(int64(k))
				if err != nil {
					eof.Add(1)
					return
				}
			}
		}()
	}
	for i := 0; i < *n; i++ {
		<-ready
	}
	setup := time.Since(t0)
	fmt.Fprintf(os.Stderr, "slowread: %d readers have their first bytes after %v (%d failed)\n", started.Load(), setup.Round(time.Millisecond), failed.Load())
	if p := firstErr.Load(); p != nil {
		fmt.Fprintln(os.Stderr, "slowread: first error:", *p)
	}
	time.Sleep(*settle)

	// While the readers hold their connections: the server's state, then
	// the probe.
	goroutines, dbgLat, dbgErr := debug(*addr)
	rss, threads := procStatus(*pid)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var lat []time.Duration
	probeErrs := 0
	for i := 0; i < *probes; i++ {
		t := time.Now()
		resp, err := client.Get("http://" + *addr + "/")
		if err == nil {
			var b []byte
			b, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil && (resp.StatusCode != 200 || string(b) != benchutil.Body) {
				err = fmt.Errorf("status %d, body %q", resp.StatusCode, b)
			}
		}
		if err != nil {
			probeErrs++
			fmt.Fprintln(os.Stderr, "slowread: probe:", err)
			continue
		}
		lat = append(lat, time.Since(t))
	}
	open := started.Load() - eof.Load()
	got := received.Load()
	close(stop)
	wg.Wait()
	time.Sleep(time.Second)
	after, _, _ := debug(*addr)
	rssAfter, _ := procStatus(*pid)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) }
	p50, pmax := "-", "-"
	if len(lat) > 0 {
		p50, pmax = ms(lat[len(lat)/2]), ms(lat[len(lat)-1])
	}
	if dbgErr != nil {
		fmt.Fprintln(os.Stderr, "slowread: /debug:", dbgErr)
	}
	fmt.Printf("RESULT readers=%d failed=%d open=%d setup_ms=%s received_mib=%.1f goroutines=%s debug_ms=%s rss_mib=%s threads=%s probe_p50_ms=%s probe_max_ms=%s probe_errors=%d goroutines_after=%s rss_after_mib=%s\n",
		started.Load(), failed.Load(), open, ms(setup), float64(got)/(1<<20), goroutines, ms(dbgLat), rss, threads, p50, pmax, probeErrs, after, rssAfter)
}

// debug asks the server for its goroutine count.
func debug(addr string) (string, time.Duration, error) {
	t := time.Now()
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get("http://" + addr + "/debug")
	if err != nil {
		return "-", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "-", 0, err
	}
	f := strings.Fields(string(b))
	if len(f) != 2 || f[0] != "goroutines" {
		return "-", 0, fmt.Errorf("/debug answered %q", b)
	}
	return f[1], time.Since(t), nil
}

// procStatus reads VmRSS (MiB) and Threads from /proc/PID/status.
func procStatus(pid int) (rss, threads string) {
	rss, threads = "-", "-"
	if pid == 0 {
		return
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return
	}
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			kib, _ := strconv.ParseFloat(f[1], 64)
			rss = strconv.FormatFloat(kib/1024, 'f', 1, 64)
		case "Threads:":
			threads = f[1]
		}
	}
	return
}
