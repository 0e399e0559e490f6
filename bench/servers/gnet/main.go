// Command gnet is a raw gnet v2 HTTP/1.1 responder, gnet's best case: it
// parses only enough to find each request's end ("\r\n\r\n"; requests
// with bodies are not supported), answers every request, pipelined ones
// included, with the same bytes Gornado sends, and batches the answers to
// one read into one write.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"

	"github.com/gornado/gornado/bench/internal/benchutil"
)

var headEnd = []byte("\r\n\r\n")

// response holds the whole response, rebuilt when the Date second changes.
var response atomic.Pointer[[]byte]

func buildResponse(now time.Time) {
	b := []byte("HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(benchutil.Body)) +
		"\r\nDate: " + now.UTC().Format(http.TimeFormat) +
		"\r\nContent-Type: text/plain\r\n\r\n" + benchutil.Body)
	response.Store(&b)
}

var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

type server struct {
	gnet.BuiltinEventEngine
	eng  gnet.Engine
	addr string
}

func (s *server) OnBoot(eng gnet.Engine) gnet.Action {
	s.eng = eng
	benchutil.Ready("gnet", s.addr)
	return gnet.None
}

func (s *server) OnTraffic(c gnet.Conn) gnet.Action {
	buf, _ := c.Peek(-1)
	resp := *response.Load()
	outp := scratch.Get().(*[]byte)
	out := (*outp)[:0]
	n := 0
	for {
		i := bytes.Index(buf[n:], headEnd)
		if i < 0 {
			break
		}
		n += i + len(headEnd)
		out = append(out, resp...)
	}
	if n > 0 {
		c.Discard(n)
		c.Write(out)
	}
	*outp = out[:0]
	scratch.Put(outp)
	if c.InboundBuffered() > 64<<10 {
		return gnet.Close // a head that never ends
	}
	return gnet.None
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8086", "address to listen on")
	flag.Parse()
	benchutil.RaiseNofile(1 << 20)
	buildResponse(time.Now())
	go func() {
		for now := range time.Tick(time.Second) {
			buildResponse(now)
		}
	}()
	s := &server{addr: *addr}
	ctx, stop := benchutil.SignalContext()
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.eng.Stop(sctx)
	}()
	if err := gnet.Run(s, "tcp://"+*addr, gnet.WithMulticore(true), gnet.WithReusePort(true)); err != nil {
		fmt.Fprintln(os.Stderr, "gnet:", err)
		os.Exit(1)
	}
}
