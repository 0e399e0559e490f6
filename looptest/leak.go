package looptest

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// DefaultLeakTimeout is how long a leak check waits for goroutines and file
// descriptors to come back to the baseline before it reports a leak. It is a
// deadline for a check, not a timing assertion: a clean test passes as soon
// as its goroutines have exited, usually at the first look.
const DefaultLeakTimeout = 5 * time.Second

// leakTimeout is the deadline New and CheckLeaks use; tests shorten it.
var leakTimeout = DefaultLeakTimeout

// LeakCheck is a baseline of the process's goroutines and open file
// descriptors, taken by NewLeakCheck, that Verify compares against.
//
// A goroutine is new if its id was not running at the baseline (ids are
// never reused, so baseline goroutines that exit meanwhile cannot hide a
// new one); a file descriptor is new if the number of open descriptors grew
// or a descriptor refers to something it did not at the baseline. The
// check is process-wide, so a test that takes a baseline must not run in
// parallel with others (no t.Parallel). File descriptors are checked on
// Linux only (/proc/self/fd); elsewhere only goroutines are.
type LeakCheck struct {
	goroutines int             // runtime.NumGoroutine at the baseline
	ids        map[string]bool // ids of the goroutines at the baseline
	fds        map[int]string  // nil when fds cannot be listed
}

// NewLeakCheck records the goroutines and the open file descriptors now.
func NewLeakCheck() *LeakCheck {
	warmNetpoll()
	c := &LeakCheck{goroutines: runtime.NumGoroutine()}
	c.ids = make(map[string]bool)
	for _, g := range goroutineDumps() {
		c.ids[goroutineID(g)] = true
	}
	if fds, ok := openFDs(); ok {
		c.fds = fds
	}
	return c
}

// CheckLeaks takes a baseline now and verifies at t's cleanup, within
// DefaultLeakTimeout, that every goroutine and file descriptor created
// since is gone, failing t with a report otherwise. Cleanups run last
// registered first, so call it before creating what must be released. New
// does this itself (once per test, however many loops it makes).
func CheckLeaks(t testing.TB) {
	c := NewLeakCheck()
	t.Cleanup(func() {
		if err := c.Verify(leakTimeout); err != nil {
			t.Errorf("%v", err)
		}
	})
}

// Verify polls, with short sleeps for up to timeout, until no goroutine and
// no file descriptor is new since the baseline, and returns nil; or, past
// the deadline, an error with the stacks of the new goroutines and the new
// descriptors with what they refer to (readlink).
func (c *LeakCheck) Verify(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	pause := time.Millisecond
	for {
		gs := c.newGoroutines()
		var fds map[int]string
		var newFDs []int
		if c.fds != nil {
			fds, _ = openFDs()
			newFDs = c.newFDs(fds)
		}
		if len(gs) == 0 && len(newFDs) == 0 {
			return nil
		}
		if !time.Now().Before(deadline) {
			return c.report(gs, fds, newFDs)
		}
		time.Sleep(pause)
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// newGoroutines returns the stacks of the goroutines not running at the
// baseline.
func (c *LeakCheck) newGoroutines() []string {
	var fresh []string
	for _, d := range goroutineDumps() {
		if !c.ids[goroutineID(d)] {
			fresh = append(fresh, d)
		}
	}
	return fresh
}

// newFDs returns, in order, the descriptors in fds that were not open at
// the baseline or refer to something else now. (If more are open than at
// the baseline, some number is new, so growth in the count always shows.)
func (c *LeakCheck) newFDs(fds map[int]string) []int {
	var out []int
	for fd, target := range fds {
		if old, ok := c.fds[fd]; !ok || old != target {
			out = append(out, fd)
		}
	}
	slices.Sort(out)
	return out
}

func (c *LeakCheck) report(gs []string, fds map[int]string, newFDs []int) error {
	var b strings.Builder
	if len(gs) > 0 {
		fmt.Fprintf(&b, "looptest: %s leaked (%d running, %d at the start of the test):\n",
			plural(len(gs), "goroutine"), runtime.NumGoroutine(), c.goroutines)
		for _, d := range gs {
			b.WriteString("\n")
			b.WriteString(d)
			b.WriteString("\n")
		}
	}
	if len(newFDs) > 0 {
		if len(gs) > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "looptest: %s leaked (%d open, %d at the start of the test):\n",
			plural(len(newFDs), "file descriptor"), len(fds), len(c.fds))
		for _, fd := range newFDs {
			fmt.Fprintf(&b, "\tfd %d -> %s\n", fd, fds[fd])
		}
	}
	return leakError(strings.TrimRight(b.String(), "\n"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

type leakError string

func (e leakError) Error() string { return string(e) }

// goroutineDumps returns the stack of every goroutine, one string each.
func goroutineDumps() []string {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, block := range bytes.Split(bytes.TrimSpace(buf), []byte("\n\n")) {
		out = append(out, string(block))
	}
	return out
}

// goroutineID returns the id in a dump's header "goroutine 12 [chan receive]:".
func goroutineID(dump string) string {
	s := strings.TrimPrefix(dump, "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}

// warmNetpoll makes the runtime create its network poller (an epoll or
// kqueue fd and a wakeup fd, opened once for the life of the process) before
// a baseline is taken, so that a test's first pipe or socket is not taken
// for a leak.
func warmNetpoll() {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	r.Close()
	w.Close()
}
