// Command nethttp is the client benchmark for net/http's Client: c
// goroutines, each fetching in a loop over a Transport that keeps c idle
// connections. See bench/client.sh.
package main

import (
	"io"
	"net/http"
	"sync"

	"github.com/gornado/gornado/bench/internal/clientbench"
)

func main() {
	clientbench.Main(func() string { return "nethttp" }, func(url string, conc int, c *clientbench.Counters) {
		tr := &http.Transport{MaxIdleConns: conc, MaxIdleConnsPerHost: conc}
		client := &http.Client{Transport: tr}
		defer tr.CloseIdleConnections()
		var wg sync.WaitGroup
		for range conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !c.Stop.Load() {
					resp, err := client.Get(url)
					if err == nil {
						var b []byte
						b, err = io.ReadAll(resp.Body)
						resp.Body.Close()
						if len(b) == 0 {
							err = io.ErrUnexpectedEOF
						}
					}
					if err != nil {
						c.Errors.Add(1)
					}
					c.Requests.Add(1)
				}
			}()
		}
		wg.Wait()
	})
}
