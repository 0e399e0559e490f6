package ioloop

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"time"
)

// Coroutine is a coroutine parked on the loop, as Coroutines reports it:
// what it waits for (its future's origin: "sleep 1s", "read 4 bytes",
// "lock", "queue get", "fetch http://..."), since when (the loop's
// clock), and the stack of the goroutine it is parked on.
type Coroutine struct {
	What  string
	Since time.Time
	Stack []byte
}

// Coroutines lists the coroutines parked on the loop, oldest first: what
// asyncio's all_tasks and Go's goroutine dump tell together, and what
// neither says alone, each one's wait. Reading the stacks costs a dump of
// every goroutine, so it is for debugging. Loop-only.
func (l *IOLoop) Coroutines() []Coroutine {
	l.checkGoroutine("Coroutines")
	var out []Coroutine
	var gids []int64
	for w := l.parked.head; w != nil; w = w.next {
		out = append(out, Coroutine{What: w.What, Since: w.Since})
		var gid int64
		if w.r != nil {
			gid = w.r.gid
		}
		gids = append(gids, gid)
	}
	if len(out) == 0 {
		return nil
	}
	stacks := allStacks()
	for i := range out {
		out[i].Stack = stacks[gids[i]]
	}
	return out
}

// DumpCoroutines writes Coroutines as text: one paragraph per coroutine,
// its wait and how long it has lasted, then its stack. Handy in a signal
// handler:
//
//	loop.AddSignalHandler(func(os.Signal) { loop.DumpCoroutines(os.Stderr) }, syscall.SIGUSR1)
//
// Loop-only.
func (l *IOLoop) DumpCoroutines(w io.Writer) error {
	cs := l.Coroutines()
	now := l.Time()
	if _, err := fmt.Fprintf(w, "%d coroutine(s) parked\n", len(cs)); err != nil {
		return err
	}
	for _, c := range cs {
		what := c.What
		if what == "" {
			what = "a future"
		}
		if _, err := fmt.Fprintf(w, "\nwaiting for %s, for %v\n%s\n", what, now.Sub(c.Since).Round(time.Millisecond), c.Stack); err != nil {
			return err
		}
	}
	return nil
}

// allStacks returns every goroutine's stack by goroutine id.
func allStacks() map[int64][]byte {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[int64][]byte{}
	for _, block := range bytes.Split(buf, []byte("\n\n")) {
		rest, ok := bytes.CutPrefix(block, []byte("goroutine "))
		if !ok {
			continue
		}
		if i := bytes.IndexByte(rest, ' '); i > 0 {
			if id, err := strconv.ParseInt(string(rest[:i]), 10, 64); err == nil {
				out[id] = block
			}
		}
	}
	return out
}
