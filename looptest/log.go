package looptest

import (
	"context"
	"log/slog"
	"regexp"
	"slices"
	"sync"
	"testing"

	"github.com/gornado/gornado/ioloop"
)

// LogRecorder is a slog.Handler for tests, the Go form of Tornado's
// ExpectLog. Every record is rendered as text, the message followed by its
// attributes as key=value (group members as group.key=value):
//
//	callback panicked panic=boom stack=goroutine 7 [running]:...
//
// A record that an active Expectation matches is counted there and not
// shown. Any other record is written to the test log with t.Log, prefixed
// by its level; with SetFailUnexpected, an unexpected record at Warn or
// above fails the test instead.
//
// New installs one as the loop's logger unless the Config names a Logger;
// Logs finds it again. The loop, its executor workers and its watchdog log
// from their own goroutines: every method is safe for concurrent use.
//
// At the end of the test (t.Cleanup) the recorder stops writing to the test
// log, since t.Log panics once a test has finished; records that arrive
// later, from goroutines the test leaked, are dropped.
type LogRecorder struct {
	s      *recorderState
	prefix string // attributes added by WithAttrs, rendered
	group  string // qualifier for later keys: "a.b." after WithGroup("a").WithGroup("b")
}

// recorderState is shared by a recorder and the handlers WithAttrs and
// WithGroup derive from it.
type recorderState struct {
	mu             sync.Mutex
	t              testing.TB
	closed         bool
	failUnexpected bool
	exps           []*Expectation
}

var _ slog.Handler = (*LogRecorder)(nil)

// NewLogRecorder returns a recorder that writes to t's log until t's
// cleanup. Register it before anything that logs to it at cleanup (create
// it before the loop), so that it is still open when they run.
func NewLogRecorder(t testing.TB) *LogRecorder {
	s := &recorderState{t: t}
	t.Cleanup(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
	})
	return &LogRecorder{s: s}
}

// Logs returns the LogRecorder that loop logs to (the one New installed),
// or nil if the loop's logger is not a LogRecorder.
func Logs(loop *ioloop.IOLoop) *LogRecorder {
	r, _ := loop.Logger().Handler().(*LogRecorder)
	return r
}

// ExpectLog is Logs(loop).Expect(t, level, pattern): it expects loop's
// logger to see a record at level whose text matches pattern before the end
// of the test (or the Expectation's Check). It fails the test at once if
// loop does not log to a LogRecorder.
func ExpectLog(t testing.TB, loop *ioloop.IOLoop, level slog.Level, pattern string) *Expectation {
	t.Helper()
	r := Logs(loop)
	if r == nil {
		t.Fatalf("looptest: ExpectLog: the loop's logger is not a *looptest.LogRecorder")
		return nil
	}
	return r.Expect(t, level, pattern)
}

// Logger returns a logger that writes to r.
func (r *LogRecorder) Logger() *slog.Logger { return slog.New(r) }

// SetFailUnexpected chooses what happens to a record at Warn or above that
// no Expectation matches: written to the test log (false, the default), or
// reported with t.Errorf, failing the test (true).
func (r *LogRecorder) SetFailUnexpected(fail bool) {
	r.s.mu.Lock()
	r.s.failUnexpected = fail
	r.s.mu.Unlock()
}

// Expect starts expecting a record at exactly level whose text (message,
// then attributes as key=value) matches the regular expression pattern
// anywhere (anchor it with ^ to match from the message's start; (?s) lets
// . cross the newlines of a stack). Until the Expectation is checked, every
// record it matches is counted and kept out of the test log. Check, or t's
// cleanup if Check was not called, fails t with t.Errorf unless at least one
// record matched. An invalid pattern fails t at once.
//
// t's cleanup checks the expectation before New's loop is closed (cleanups
// run last registered first), so a record logged while the loop closes
// comes too late for it: to expect one, close the loop in the test.
func (r *LogRecorder) Expect(t testing.TB, level slog.Level, pattern string) *Expectation {
	t.Helper()
	return r.expect(t, level, pattern, true)
}

// Allow is Expect for records that may or may not come: matching records
// are counted and kept out of the test log, but none is required.
func (r *LogRecorder) Allow(t testing.TB, level slog.Level, pattern string) *Expectation {
	t.Helper()
	return r.expect(t, level, pattern, false)
}

func (r *LogRecorder) expect(t testing.TB, level slog.Level, pattern string, required bool) *Expectation {
	t.Helper()
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("looptest: log expectation: %v", err)
		return nil
	}
	e := &Expectation{s: r.s, t: t, level: level, re: re, required: required}
	r.s.mu.Lock()
	r.s.exps = append(r.s.exps, e)
	r.s.mu.Unlock()
	t.Cleanup(func() {
		t.Helper()
		e.Check()
	})
	return e
}

// Enabled reports true: a recorder records every level.
func (r *LogRecorder) Enabled(context.Context, slog.Level) bool { return true }

// Handle matches rec against the active expectations and writes it to the
// test log if none matched.
func (r *LogRecorder) Handle(_ context.Context, rec slog.Record) error {
	buf := make([]byte, 0, 128)
	buf = append(buf, rec.Message...)
	buf = append(buf, r.prefix...)
	rec.Attrs(func(a slog.Attr) bool {
		buf = appendAttr(buf, r.group, a)
		return true
	})
	text := string(buf)

	s := r.s
	// The lock is held across t.Log so that the cleanup that closes the
	// recorder cannot slip in between the check and the call.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	matched := false
	for _, e := range s.exps {
		if e.level == rec.Level && e.re.MatchString(text) {
			e.count++
			matched = true
		}
	}
	if matched {
		return nil
	}
	line := rec.Level.String() + " " + text
	if s.failUnexpected && rec.Level >= slog.LevelWarn {
		s.t.Errorf("looptest: unexpected log record: %s", line)
	} else {
		s.t.Log(line)
	}
	return nil
}

// WithAttrs returns a handler that adds attrs to every record; it shares
// r's expectations and settings.
func (r *LogRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return r
	}
	buf := []byte(r.prefix)
	for _, a := range attrs {
		buf = appendAttr(buf, r.group, a)
	}
	return &LogRecorder{s: r.s, prefix: string(buf), group: r.group}
}

// WithGroup returns a handler that qualifies the keys of later attributes
// with name; it shares r's expectations and settings.
func (r *LogRecorder) WithGroup(name string) slog.Handler {
	if name == "" {
		return r
	}
	return &LogRecorder{s: r.s, prefix: r.prefix, group: r.group + name + "."}
}

// appendAttr renders a as " key=value", keys qualified by group, following
// the slog.Handler rules: empty attributes and empty groups are dropped, a
// group with an empty key is inlined, values are resolved.
func appendAttr(buf []byte, group string, a slog.Attr) []byte {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return buf
	}
	if a.Value.Kind() == slog.KindGroup {
		g := group
		if a.Key != "" {
			g += a.Key + "."
		}
		for _, m := range a.Value.Group() {
			buf = appendAttr(buf, g, m)
		}
		return buf
	}
	buf = append(buf, ' ')
	buf = append(buf, group...)
	buf = append(buf, a.Key...)
	buf = append(buf, '=')
	return append(buf, a.Value.String()...)
}

// Expectation is one expected kind of log record, made by
// LogRecorder.Expect or Allow (Tornado's ExpectLog block). It matches
// records from its creation until it is checked.
type Expectation struct {
	s        *recorderState
	t        testing.TB
	level    slog.Level
	re       *regexp.Regexp
	required bool
	count    int  // guarded by s.mu
	checked  bool // guarded by s.mu
	ok       bool // guarded by s.mu: the result of the first Check
}

// Count returns how many records the expectation has matched so far.
func (e *Expectation) Count() int {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return e.count
}

// Check ends the expectation, as leaving Tornado's ExpectLog block does:
// later records are no longer matched against it. It reports whether the
// expectation was met (an Allow always is), failing the test with t.Errorf
// if not. Checking again reports the first answer and fails nothing more.
// Cleanup checks every expectation not checked by then.
func (e *Expectation) Check() bool {
	e.s.mu.Lock()
	if e.checked {
		ok := e.ok
		e.s.mu.Unlock()
		return ok
	}
	e.checked = true
	e.ok = !e.required || e.count > 0
	e.s.exps = slices.DeleteFunc(e.s.exps, func(x *Expectation) bool { return x == e })
	ok := e.ok
	e.s.mu.Unlock()
	if !ok {
		e.t.Helper()
		e.t.Errorf("looptest: expected a log record at level %v matching %q; none was logged", e.level, e.re)
	}
	return ok
}
