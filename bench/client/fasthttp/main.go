// Command fasthttp is the client benchmark for fasthttp.Client: c
// goroutines, each fetching in a loop with a reused request and response,
// MaxConnsPerHost = c. See bench/client.sh.
package main

import (
	"sync"

	"github.com/valyala/fasthttp"

	"github.com/gornado/gornado/bench/internal/clientbench"
)

func main() {
	clientbench.Main(func() string { return "fasthttp" }, func(url string, conc int, c *clientbench.Counters) {
		client := &fasthttp.Client{MaxConnsPerHost: conc}
		var wg sync.WaitGroup
		for range conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
				defer fasthttp.ReleaseRequest(req)
				defer fasthttp.ReleaseResponse(resp)
				req.SetRequestURI(url)
				for !c.Stop.Load() {
					if err := client.Do(req, resp); err != nil || len(resp.Body()) == 0 {
						c.Errors.Add(1)
					}
					c.Requests.Add(1)
				}
			}()
		}
		wg.Wait()
		client.CloseIdleConnections()
	})
}
