package ioloop

import (
	"log/slog"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gornado/gornado/internal/logattr"
)

// Config configures a loop. The zero value is ready to use.
type Config struct {
	// Logger receives panics, slow callbacks and executor warnings.
	// Nil means slog.Default().
	Logger *slog.Logger
	// Clock tells the loop the time. Nil means the system clock. A clock
	// that also implements ManualClock (looptest.FakeClock) moves only when
	// told to, and the loop never sleeps toward its deadlines.
	Clock Clock
	// SlowCallback, when positive, starts a watchdog that logs, with its
	// stack, any callback, timeout or handler that holds the loop longer.
	SlowCallback time.Duration
	// ExecutorWorkers is the size of the default executor (see Executor).
	// Zero means DefaultExecutorWorkers.
	ExecutorWorkers int
	// CloseHandlerFDs makes Close close the file descriptors of the
	// handlers still registered, not just unregister them (Tornado's
	// close(all_fds=True)).
	CloseHandlerFDs bool
	// ExecutorShutdownTimeout is how long Close waits for tasks running on
	// the default executor; tasks still running then are left to finish
	// on their own. Zero means DefaultExecutorShutdownTimeout; negative
	// means Close does not wait.
	ExecutorShutdownTimeout time.Duration
	// Debug makes loop-only methods panic when called from a goroutine
	// that is not running the loop. It costs a stack read per call.
	Debug bool
}

// Loop states, kept in IOLoop.state.
const (
	stateIdle int32 = iota
	stateRunning
	stateClosed
)

// Phases of one iteration. The phase and the position within it live in
// the loop, not on a stack, so whichever goroutine holds the loop role can
// carry on the iteration where the last one left it.
const (
	phaseBegin = iota
	phaseCallbacks
	phaseTimers
	phasePoll
	phaseDispatch
)

// IOLoop is an event loop. Create one with New; see the package doc for
// what runs when and which goroutine may call what.
type IOLoop struct {
	log   *slog.Logger
	clock Clock
	epoch time.Time
	debug bool
	track bool // keep curGID current (Debug or watchdog)

	poller poller

	// Callbacks: pending is filled by AddCallback under mu; each iteration
	// swaps it with batch and runs batch.
	mu          sync.Mutex
	pending     []func()
	dropped     bool // closed: AddCallback drops callbacks
	sleeping    atomic.Bool
	wakePending atomic.Bool
	stopping    atomic.Bool
	state       atomic.Int32

	// Iteration state, owned by whoever runs the loop.
	phase  int
	batch  []func()
	bi     int
	due    []*Timeout
	di     int
	events []readyEvent
	ei     int

	created  time.Time // real time at New, for lastPoll
	lastPoll int64     // monotonic() at the last poll

	timers    timerHeap
	bulk      []timerEntry // scratch for collectDueBulk
	cancelled int
	seq       uint64

	handlers []fdHandler

	// The loop role and the goroutines that can take it (runner.go).
	current  *runner
	idle     []*runner
	idleLow  int   // the fewest idle runners since lastTrim
	lastTrim int64 // monotonic() at the last trimIdle
	parked   waiterList
	returned chan struct{}
	runners  sync.WaitGroup
	closed   bool
	curGID   atomic.Int64

	// While Close releases parked coroutines (releaseParked): how often
	// the current one called Suspend since, and whether it is being ended.
	releasing      bool
	closedSuspends int
	endingStuck    bool

	wd          *watchdog
	executor    *Executor
	sigs        signals
	execSize    int
	execTimeout time.Duration
	closeFDs    bool // Config.CloseHandlerFDs
	// offloaded counts RunInExecutor tasks whose result has not come back
	// to the loop. While it is above zero the loop yields the processor
	// once per iteration (see phasePoll).
	offloaded atomic.Int64
}

// New returns a loop that is not running yet. It fails only if the
// platform's poller cannot be created (out of file descriptors, say).
func New(cfg Config) (*IOLoop, error) {
	p, err := newPoller()
	if err != nil {
		return nil, err
	}
	l := &IOLoop{
		log:      cfg.Logger,
		clock:    cfg.Clock,
		debug:    cfg.Debug,
		poller:   p,
		returned: make(chan struct{}),
		execSize: cfg.ExecutorWorkers,

		execTimeout: cfg.ExecutorShutdownTimeout,
		closeFDs:    cfg.CloseHandlerFDs,
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	l.created = time.Now()
	if l.clock == nil {
		l.epoch = time.Now()
	} else {
		l.epoch = l.clock.Now()
		if m, ok := l.clock.(ManualClock); ok {
			m.OnAdvance(func() { l.AddCallback(func() {}) })
		}
	}
	if cfg.SlowCallback > 0 {
		l.wd = newWatchdog(l, cfg.SlowCallback)
	}
	l.track = l.debug || l.wd != nil
	return l, nil
}

// Logger returns the loop's logger: Config.Logger, or slog.Default() if
// that was nil. Safe from any goroutine.
func (l *IOLoop) Logger() *slog.Logger { return l.log }

// Time returns the loop's clock reading: the system time, or the fake
// clock's. Deadlines passed to CallAt are compared with it. Safe from any
// goroutine (Tornado's IOLoop.time).
func (l *IOLoop) Time() time.Time {
	if l.clock == nil {
		return time.Now()
	}
	return l.clock.Now()
}

// now is the loop's clock as nanoseconds since New, monotonic for the
// system clock.
func (l *IOLoop) now() int64 {
	if l.clock == nil {
		return int64(time.Since(l.epoch))
	}
	return int64(l.clock.Now().Sub(l.epoch))
}

// AddCallback queues fn to run on the loop in the next iteration's callback
// phase, after every callback queued before it. It is safe from any
// goroutine and wakes the poller only if the loop is asleep. Callbacks added
// after Close are dropped.
func (l *IOLoop) AddCallback(fn func()) {
	l.mu.Lock()
	if l.dropped {
		l.mu.Unlock()
		return
	}
	l.pending = append(l.pending, fn)
	// The wake happens under mu: Close sets dropped under mu before it
	// closes the poller, so no wake can reach a closed (and perhaps
	// reused) descriptor. An awake loop costs one atomic load here.
	if l.sleeping.Load() {
		l.wakeLocked()
	}
	l.mu.Unlock()
}

// wakeLocked writes the waker unless a wake is already on its way. The
// caller holds mu and has seen dropped false.
func (l *IOLoop) wakeLocked() {
	if !l.wakePending.CompareAndSwap(false, true) {
		return
	}
	if err := l.poller.wake(); err != nil {
		l.log.Error("ioloop: wake failed", "err", err)
	}
}

// Stop asks the loop to return from Start once the current iteration ends
// (a Stop while the loop is not running makes the next Start run one
// iteration, as asyncio does). Safe from any goroutine. Coroutines parked
// in Await stay parked; they go on when the loop starts again, or get
// ErrLoopClosed from Close.
func (l *IOLoop) Stop() {
	l.stopping.Store(true)
	if !l.sleeping.Load() {
		return
	}
	l.mu.Lock()
	if !l.dropped && l.sleeping.Load() {
		l.wakeLocked()
	}
	l.mu.Unlock()
}

// Running reports whether the loop is between Start and its return. Safe
// from any goroutine.
func (l *IOLoop) Running() bool { return l.state.Load() == stateRunning }

// Start runs the loop until Stop, then returns nil. It returns ErrRunning
// if the loop is already running and ErrLoopClosed after Close. The calling
// goroutine waits while the loop runs on goroutines the loop owns (see the
// package doc): everything the caller did before Start happens before the
// first callback, and everything the loop did happens before Start returns.
func (l *IOLoop) Start() error { return l.start(nil) }

// start runs the loop, queueing first (if not nil) once the loop is
// known to be ours to run.
func (l *IOLoop) start(first func()) error {
	if !l.state.CompareAndSwap(stateIdle, stateRunning) {
		if l.state.Load() == stateClosed {
			return ErrLoopClosed
		}
		return ErrRunning
	}
	if first != nil {
		l.AddCallback(first)
	}
	if l.wd != nil {
		l.wd.start()
	}
	r := l.takeRunner()
	l.current = r
	r.ch <- sigRun
	<-l.returned
	if l.wd != nil {
		l.wd.stop()
	}
	l.state.Store(stateIdle)
	return nil
}

// runLoop runs iterations on runner r until the loop stops or closes, or r
// is retired. It keeps no iteration state in locals across a callback: the
// callback may park r's goroutine, and when r gets the loop back, another
// goroutine may have run many iterations meanwhile.
func (l *IOLoop) runLoop(r *runner) {
	for !r.exit && !l.closed {
		switch l.phase {
		case phaseBegin:
			l.mu.Lock()
			l.batch, l.pending = l.pending, l.batch[:0]
			l.mu.Unlock()
			l.bi = 0
			l.phase = phaseCallbacks
		case phaseCallbacks:
			if l.bi < len(l.batch) {
				fn := l.batch[l.bi]
				l.batch[l.bi] = nil
				l.bi++
				l.invoke(r, fn)
				continue
			}
			l.collectDue()
			l.phase = phaseTimers
		case phaseTimers:
			if l.di < len(l.due) {
				t := l.due[l.di]
				l.due[l.di] = nil
				l.di++
				if fn := t.fn; fn != nil {
					t.fn = nil
					l.invoke(r, fn)
				}
				continue
			}
			l.due = l.due[:0]
			l.di = 0
			l.phase = phasePoll
		case phasePoll:
			if l.offloaded.Load() > 0 {
				// The loop's socket calls are raw system calls, which
				// never hand the processor to the scheduler: on a busy
				// loop with GOMAXPROCS=1, workers would run only when
				// preempted in (10 ms slices). Yield once per iteration
				// while work is out, so they run between events.
				runtime.Gosched()
			}
			if len(l.idle) > minIdleRunners {
				l.trimIdle()
			}
			l.poll()
			l.ei = 0
			l.phase = phaseDispatch
		case phaseDispatch:
			if l.ei < len(l.events) {
				ev := l.events[l.ei]
				l.ei++
				l.dispatch(r, int(ev.fd), ev.events)
				continue
			}
			l.phase = phaseBegin
			if l.stopping.Swap(false) {
				return // as asyncio: a Stop ends the loop after a full iteration
			}
		}
	}
}

// pollEvery bounds how long a busy loop goes without polling: while
// callbacks keep coming, the non-blocking poll (a syscall) is skipped if
// the last one was this recent. Ready I/O waits at most this long.
const pollEvery = 50 * time.Microsecond

// poll waits for I/O: not at all if callbacks are queued or a stop is
// asked (and then not even the syscall, if the loop polled very
// recently), until the next deadline if there is one, else until woken.
func (l *IOLoop) poll() {
	timeout := l.timerTimeout()
	if len(l.idle) > minIdleRunners {
		// Wake in time to retire idle runners (trimIdle).
		limit := int(idleTrimEvery/time.Millisecond) + 1
		if timeout < 0 || timeout > limit {
			timeout = limit
		}
	}
	if timeout != 0 {
		l.sleeping.Store(true)
		l.mu.Lock()
		if len(l.pending) > 0 {
			timeout = 0
		}
		l.mu.Unlock()
		if l.stopping.Load() {
			timeout = 0
		}
		if timeout == 0 {
			l.sleeping.Store(false)
		}
	}
	if timeout == 0 {
		now := l.monotonic()
		if now-l.lastPoll < int64(pollEvery) {
			l.events = l.events[:0]
			return
		}
		l.lastPoll = now
	}
	evs, woke, err := l.poller.wait(l.events[:0], timeout)
	l.sleeping.Store(false)
	if woke {
		l.wakePending.Store(false)
	}
	if err != nil {
		l.log.Error("ioloop: poll failed", "err", err)
	}
	l.events = evs
	if timeout != 0 {
		l.lastPoll = l.monotonic()
	}
}

// monotonic is the real time since New, whatever the loop's clock.
func (l *IOLoop) monotonic() int64 { return int64(time.Since(l.created)) }

// invoke runs one callback or timeout on runner r, recovering a panic.
func (l *IOLoop) invoke(r *runner, fn func()) {
	defer l.afterCallback(r)
	if l.wd != nil {
		l.wd.begin()
	}
	fn()
}

// afterCallback is deferred by invoke and dispatch: it ends the watchdog's
// watch and logs a panic with its stack. A runner that Resume retired holds
// no role any more and leaves the watchdog alone.
func (l *IOLoop) afterCallback(r *runner) {
	if l.wd != nil && !r.exit {
		l.wd.end()
	}
	if v := recover(); v != nil {
		l.log.Error("ioloop: callback panicked", "panic", v, logattr.Stack(debug.Stack()))
	}
}
