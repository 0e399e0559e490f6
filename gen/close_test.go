package gen_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// logLines is a slog.Handler that keeps messages and attributes as text.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (h *logLines) Enabled(context.Context, slog.Level) bool { return true }
func (h *logLines) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logLines) WithGroup(string) slog.Handler            { return h }
func (h *logLines) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.Key + "=" + a.Value.String())
		return true
	})
	h.mu.Lock()
	h.lines = append(h.lines, b.String())
	h.mu.Unlock()
	return nil
}

func (h *logLines) text() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.lines, "\n")
}

func stubbornCoroutine(co *gen.Co, never *future.Future[int], retries *int) (int, error) {
	for {
		_, err := gen.Await(co, never)
		if !errors.Is(err, gen.ErrLoopClosed) {
			return 0, err
		}
		*retries++ // and try again, for ever
	}
}

// A coroutine that retries on ErrLoopClosed kept Close spinning (for ever
// if it never gave up). Close now ends it after a bounded number of waits,
// runs its deferred calls, and logs it with its stack.
func TestCloseEndsACoroutineThatKeepsWaiting(t *testing.T) {
	logs := &logLines{}
	l, err := ioloop.New(ioloop.Config{Logger: slog.New(logs)})
	require.NoError(t, err)
	never := future.New[int](l)
	retries, unwound := 0, false
	co := gen.Go(l, func(co *gen.Co) (int, error) {
		defer func() { unwound = true }()
		return stubbornCoroutine(co, never, &retries)
	})
	_, err = gen.RunSync(l, func(co *gen.Co) (int, error) { return 0, gen.Moment(co) }, 0)
	require.NoError(t, err)

	closed := make(chan error, 1)
	go func() { closed <- l.Close() }()
	select {
	case err = <-closed:
	case <-time.After(20 * time.Second): // a hang guard, not a timing check
		t.Fatal("Close did not return")
	}
	assert.NoError(t, err)
	assert.True(t, unwound, "the coroutine's deferred calls ran")
	assert.Positive(t, retries)
	assert.ErrorIs(t, co.Err(), future.ErrGoexit)
	text := logs.text()
	assert.Contains(t, text, "keeps waiting after Close")
	assert.Contains(t, text, "stubbornCoroutine", "the log names the coroutine by its stack")
	assert.NotContains(t, text, "callback called runtime.Goexit", "logged once, not twice")
}
