package ioloop_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/ioloop"
)

// records is a slog.Handler that keeps every record, for tests that check
// what the loop logged. Safe for concurrent use.
type records struct {
	mu    sync.Mutex
	lines []string
}

func newRecords() *records { return &records{} }

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *records) WithGroup(string) slog.Handler            { return r }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	r.mu.Lock()
	r.lines = append(r.lines, b.String())
	r.mu.Unlock()
	return nil
}

// waitFor returns the first line matching pattern, waiting for it if it
// has not been logged yet; it fails the test if none comes within a
// generous deadline (a hang guard, not a timing assertion).
func (r *records) waitFor(t *testing.T, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for range 2000 {
		r.mu.Lock()
		for _, line := range r.lines {
			if re.MatchString(line) {
				r.mu.Unlock()
				return line
			}
		}
		r.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no log line matched %q", pattern)
	return ""
}

// newLoop returns a loop closed at the end of the test, logging into rec
// when given.
func newLoop(t *testing.T, cfg ioloop.Config) *ioloop.IOLoop {
	t.Helper()
	l, err := ioloop.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// run starts l and stops it when body calls done; body runs on the loop.
func run(t *testing.T, l *ioloop.IOLoop, body func(done func())) {
	t.Helper()
	l.AddCallback(func() { body(l.Stop) })
	guard := time.AfterFunc(20*time.Second, func() { panic("test loop never stopped") })
	defer guard.Stop()
	require.NoError(t, l.Start())
}

// settleGoroutines waits (bounded) for the goroutine count to fall to at
// most want and returns the count it saw last.
func settleGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 500 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}
