// Command idle opens many keep-alive connections to an HTTP server, sends
// one GET / on each and reads its response, then holds them all idle, so
// a script can read the server's memory per idle connection.
//
//	idle -addr 127.0.0.1:8081 -n 10000 -src 10
//
// Connections come from 127.0.0.1 ... 127.0.0.<src> in turn (each source
// address has its own ephemeral ports, so 10,000 connections never run
// out). When every connection has its response, it prints "READY <n>" and
// holds them until SIGINT or SIGTERM, then prints "ALIVE <n>", the
// connections the server still kept open; with -hold=false it closes them
// at once and exits (a warm-up).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "server address")
	n := flag.Int("n", 10000, "connections")
	src := flag.Int("src", 10, "source addresses 127.0.0.1 ... 127.0.0.<src>")
	workers := flag.Int("c", 32, "connections set up concurrently")
	hold := flag.Bool("hold", true, "hold the connections until SIGINT or SIGTERM")
	flag.Parse()
	benchutil.RaiseNofile(uint64(*n) + 1024)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	conns := make([]net.Conn, *n)
	var next atomic.Int64
	var firstErr atomic.Pointer[error]
	var wg sync.WaitGroup
	start := time.Now()
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 4096)
			for {
				i := int(next.Add(1) - 1)
				if i >= *n || firstErr.Load() != nil {
					return
				}
				c, err := open(*addr, i%*src+1, buf)
				if err != nil {
					err = fmt.Errorf("connection %d: %w", i, err)
					firstErr.CompareAndSwap(nil, &err)
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	if p := firstErr.Load(); p != nil {
		fmt.Fprintln(os.Stderr, "idle:", *p)
		os.Exit(1)
	}
	fmt.Printf("READY %d connections in %v\n", *n, time.Since(start).Round(time.Millisecond))
	if *hold {
		<-sig
		// Every connection must still be open: the server did not drop
		// idle ones while the script measured.
		alive := 0
		probe := make([]byte, 1)
		for _, c := range conns {
			c.SetReadDeadline(time.Now().Add(time.Millisecond))
			if _, err := c.Read(probe); errors.Is(err, os.ErrDeadlineExceeded) {
				alive++
			}
		}
		fmt.Printf("ALIVE %d\n", alive)
	}
	for _, c := range conns {
		c.Close()
	}
}

// open connects from 127.0.0.<host>, sends one request and reads the
// response.
func open(addr string, host int, buf []byte) (net.Conn, error) {
	d := net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(host))},
		Timeout:   10 * time.Second,
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
		c.Close()
		return nil, err
	}
	if err := readResponse(c, buf); err != nil {
		c.Close()
		return nil, err
	}
	c.SetDeadline(time.Time{})
	return c, nil
}

// readResponse reads one response with a Content-Length body.
func readResponse(c net.Conn, buf []byte) error {
	have := 0
	for {
		m, err := c.Read(buf[have:])
		have += m
		if err != nil {
			return err
		}
		head, body, ok := bytes.Cut(buf[:have], []byte("\r\n\r\n"))
		if !ok {
			if have == len(buf) {
				return errors.New("response head too long")
			}
			continue
		}
		if !bytes.HasPrefix(head, []byte("HTTP/1.1 200")) {
			return fmt.Errorf("unexpected response %q", head)
		}
		length := -1
		sc := bufio.NewScanner(bytes.NewReader(head))
		for sc.Scan() {
			k, v, _ := bytes.Cut(sc.Bytes(), []byte(":"))
			if bytes.EqualFold(bytes.TrimSpace(k), []byte("Content-Length")) {
				length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
			}
		}
		if length < 0 {
			return fmt.Errorf("no Content-Length in %q", head)
		}
		if len(body) >= length {
			if len(body) > length {
				return errors.New("more bytes than one response")
			}
			return nil
		}
	}
}
