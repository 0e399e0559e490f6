package looptest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTB records what the helpers report instead of failing the real test.
// Its Fatal methods return (they do not end the goroutine), which the
// helpers allow for. Methods it does not override go to the real test.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	logs     []string
	errors   []string
	fatals   []string
	cleanups []func()
}

func newFakeTB(t *testing.T) *fakeTB { return &fakeTB{TB: t} }

func (f *fakeTB) Helper() {}

func (f *fakeTB) Log(args ...any) { f.add(&f.logs, fmt.Sprintln(args...)) }

func (f *fakeTB) Logf(format string, args ...any) { f.add(&f.logs, fmt.Sprintf(format, args...)) }

func (f *fakeTB) Error(args ...any) { f.add(&f.errors, fmt.Sprintln(args...)) }

func (f *fakeTB) Errorf(format string, args ...any) { f.add(&f.errors, fmt.Sprintf(format, args...)) }

func (f *fakeTB) Fatal(args ...any) { f.add(&f.fatals, fmt.Sprintln(args...)) }

func (f *fakeTB) Fatalf(format string, args ...any) { f.add(&f.fatals, fmt.Sprintf(format, args...)) }

func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.errors)+len(f.fatals) > 0
}

func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

func (f *fakeTB) add(dst *[]string, s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	*dst = append(*dst, strings.TrimSuffix(s, "\n"))
}

// finish runs the cleanups, last registered first, as the end of a test does.
func (f *fakeTB) finish() {
	for {
		f.mu.Lock()
		n := len(f.cleanups)
		if n == 0 {
			f.mu.Unlock()
			return
		}
		fn := f.cleanups[n-1]
		f.cleanups = f.cleanups[:n-1]
		f.mu.Unlock()
		fn()
	}
}

func (f *fakeTB) get(src *[]string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), (*src)...)
}

func (f *fakeTB) Logs() []string   { return f.get(&f.logs) }
func (f *fakeTB) Errors() []string { return f.get(&f.errors) }
func (f *fakeTB) Fatals() []string { return f.get(&f.fatals) }

// shortLeakTimeout makes leak checks give up quickly, for tests of
// detected leaks, until t ends.
func shortLeakTimeout(t *testing.T) {
	old := leakTimeout
	leakTimeout = 100 * time.Millisecond
	t.Cleanup(func() { leakTimeout = old })
}
