// Package clientbench is the harness of the HTTP client benchmark: flags,
// the timed run, and the report line. Each client library has its own
// program (bench/client/NAME) so that a process holds only its library.
package clientbench

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Counters are what a client's fetch loops update.
type Counters struct {
	Stop     atomic.Bool  // set when the fetch loops must end
	Requests atomic.Int64 // fetches completed
	Errors   atomic.Int64 // fetches that failed or returned no body
}

// Main parses the flags (-url, -c, -d, -warmup, and the program's own),
// runs run(url, conc, &c) on a
// goroutine, measures after the warm-up, stops the loops and prints one
// line of key=value pairs: impl, requests, errors, seconds, rps,
// cpu_us_per_req (the process's CPU time over the measured run per request),
// rss_kb
// (resident set at the end of the measured run), hwm_kb (peak resident set),
// anon_kb (its anonymous part: the process's own pages, without the mapped
// binary), goroutines.
func Main(impl func() string, run func(url string, conc int, c *Counters)) {
	url := flag.String("url", "http://127.0.0.1:18184/", "URL to fetch")
	conc := flag.Int("c", 50, "concurrent fetch loops")
	dur := flag.Duration("d", 10*time.Second, "measured duration")
	warm := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before it")
	flag.Parse()
	if path := os.Getenv("CLIENTBENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	var c Counters
	done := make(chan struct{})
	go func() { run(*url, *conc, &c); close(done) }()
	time.Sleep(*warm)
	n0, e0, t0, cpu0 := c.Requests.Load(), c.Errors.Load(), time.Now(), cpuTime()
	time.Sleep(*dur)
	n1, e1, secs, cpu1 := c.Requests.Load(), c.Errors.Load(), time.Since(t0).Seconds(), cpuTime()
	rss, hwm, anon := memory()
	g := runtime.NumGoroutine()
	if os.Getenv("CLIENTBENCH_MEMSTATS") != "" {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(os.Stderr, "heap_inuse=%dK heap_sys=%dK heap_idle=%dK released=%dK stack_inuse=%dK sys=%dK next_gc=%dK numgc=%d mallocs/req=%.1f\n",
			ms.HeapInuse>>10, ms.HeapSys>>10, ms.HeapIdle>>10, ms.HeapReleased>>10, ms.StackInuse>>10, ms.Sys>>10, ms.NextGC>>10, ms.NumGC,
			float64(ms.Mallocs)/float64(max(n1, 1)))
	}
	c.Stop.Store(true)
	<-done
	fmt.Printf("impl=%s requests=%d errors=%d seconds=%.2f rps=%.0f cpu_us_per_req=%.2f rss_kb=%d hwm_kb=%d anon_kb=%d goroutines=%d\n",
		impl(), n1-n0, e1-e0, secs, float64(n1-n0)/secs, float64((cpu1-cpu0).Microseconds())/float64(max(n1-n0, 1)), rss, hwm, anon, g)
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memory returns the resident set, its peak, and its anonymous part (the
// process's own memory, without the mapped binary), in KiB.
func memory() (rss, hwm, anon int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var v int64
		switch {
		case strings.HasPrefix(line, "VmRSS:"):
			fmt.Sscanf(strings.TrimPrefix(line, "VmRSS:"), "%d", &v)
			rss = v
		case strings.HasPrefix(line, "VmHWM:"):
			fmt.Sscanf(strings.TrimPrefix(line, "VmHWM:"), "%d", &v)
			hwm = v
		case strings.HasPrefix(line, "RssAnon:"):
			fmt.Sscanf(strings.TrimPrefix(line, "RssAnon:"), "%d", &v)
			anon = v
		}
	}
	return rss, hwm, anon
}
