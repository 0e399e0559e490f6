// Command webspider is Tornado's web spider demo in Go: N workers take URLs
// from a queues.Queue, fetch them with an httpclient.AsyncHTTPClient, parse
// the links, queue those on the same site, and report what was fetched and
// what was dead, all on one loop.
//
// With no URL it crawls a small site that it serves itself from embedded
// files, so it runs offline:
//
//	go run ./examples/webspider
//	go run ./examples/webspider -concurrency 4 http://127.0.0.1:8888/
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/queues"
)

func main() {
	concurrency := flag.Int("concurrency", 10, "concurrent fetches")
	timeout := flag.Duration("timeout", 300*time.Second, "give up after this long")
	flag.Parse()
	if err := run(os.Stdout, flag.Arg(0), *concurrency, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "webspider:", err)
		os.Exit(1)
	}
}

// report is the outcome of a crawl.
type report struct {
	Fetched []string // sorted
	Dead    []string // sorted
}

// run crawls base (or the embedded site) and prints the report to out.
func run(out io.Writer, base string, concurrency int, timeout time.Duration) error {
	loop, err := ioloop.New(ioloop.Config{CloseHandlerFDs: true})
	if err != nil {
		return err
	}
	defer loop.Close()
	start := time.Now()
	rep, err := gen.RunSync(loop, func(co *gen.Co) (report, error) {
		if base == "" {
			srv := httpserver.New(loop, siteHandler(), httpserver.Config{})
			if err := srv.Listen("127.0.0.1:0"); err != nil {
				return report{}, err
			}
			defer srv.Close()
			base = "http://" + srv.Addrs()[0].String() + "/"
		}
		return crawl(co, loop, out, base, concurrency, timeout)
	}, timeout+10*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Done in %.3f seconds, fetched %d URLs.\n", time.Since(start).Seconds(), len(rep.Fetched))
	fmt.Fprintf(out, "Unable to fetch %d URLs.\n", len(rep.Dead))
	for _, u := range rep.Dead {
		fmt.Fprintf(out, "  dead: %s\n", u)
	}
	return nil
}

// crawl is the demo's main coroutine: it fetches base and every page under
// it, concurrency at a time. Everything runs on loop, so the sets are plain
// maps.
func crawl(co *gen.Co, loop *ioloop.IOLoop, out io.Writer, base string, concurrency int, timeout time.Duration) (report, error) {
	client := httpclient.New(loop, httpclient.Config{MaxClients: concurrency})
	defer client.Close()
	q := queues.NewQueue[string](loop, 0)
	fetching, fetched, dead := map[string]bool{}, map[string]bool{}, map[string]bool{}

	fetchURL := func(co *gen.Co, current string) error {
		if fetching[current] {
			return nil
		}
		fmt.Fprintf(out, "fetching %s\n", current)
		fetching[current] = true
		resp, err := gen.Await(co, client.Fetch(&httpclient.Request{URL: current, UserAgent: "gornado-webspider"}))
		if err != nil {
			return err
		}
		fetched[current] = true
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			return nil
		}
		for _, u := range resolveLinks(resp.EffectiveURL, links(string(resp.Body))) {
			if under(u, base) {
				if _, err := gen.Await(co, q.Put(u, 0)); err != nil {
					return err
				}
			}
		}
		return nil
	}

	worker := func(co *gen.Co) (struct{}, error) {
		for {
			u, err := gen.Await(co, q.Get(0))
			if err != nil || u == "" {
				return struct{}{}, err
			}
			if err := fetchURL(co, u); err != nil {
				fmt.Fprintf(out, "Exception: %v %s\n", err, u)
				dead[u] = true
			}
			q.TaskDone()
		}
	}

	if _, err := gen.Await(co, q.Put(base, 0)); err != nil {
		return report{}, err
	}
	workers := make([]*futureUnit, concurrency)
	for i := range workers {
		workers[i] = gen.Go(loop, worker)
	}
	_, joinErr := gen.Await(co, q.Join(timeout))
	for range workers {
		q.PutNowait("") // stop
	}
	if _, err := gen.Await(co, gen.All(loop, workers...)); err != nil {
		return report{}, err
	}
	if joinErr != nil {
		return report{}, joinErr
	}
	rep := report{Fetched: keys(fetched), Dead: keys(dead)}
	// Every URL taken up was either fetched or found dead.
	if len(fetching) != len(fetched)+len(dead) {
		return rep, fmt.Errorf("fetching %d URLs, but %d fetched and %d dead", len(fetching), len(fetched), len(dead))
	}
	return rep, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
