package ioloop

import (
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/internal/logattr"
)

// DefaultExecutorWorkers is the size of a loop's default executor when
// Config.ExecutorWorkers is zero (Waitress's default is 4 threads).
const DefaultExecutorWorkers = 4

// ExecutorConfig configures an Executor. The zero value works.
type ExecutorConfig struct {
	// Workers is the number of worker goroutines; zero means
	// DefaultExecutorWorkers.
	Workers int
	// Logger receives task panics and queue warnings; nil means
	// slog.Default().
	Logger *slog.Logger
	// WarnInterval is the least time between two "tasks are waiting"
	// warnings; zero means 5s, negative turns the warning off.
	WarnInterval time.Duration
}

// task is one unit of work. fail, if set, runs instead of the rest of run
// when the task cannot finish: with ErrExecutorShutdown when Shutdown drops
// it, with future.ErrGoexit when run calls runtime.Goexit.
type task struct {
	run  func()
	fail func(error)
}

// Executor runs blocking functions on a fixed number of worker goroutines
// pulling from one FIFO queue, after Waitress's ThreadedTaskDispatcher.
// Workers never touch the loop's sockets: they compute and hand results
// back to the loop (RunInExecutor). All methods are safe from any goroutine.
type Executor struct {
	log          *slog.Logger
	warnInterval time.Duration

	mu        sync.Mutex
	wake      *sync.Cond // a task arrived or workers must stop
	exited    *sync.Cond // a worker exited
	queue     []task
	head      int
	threads   int // live workers
	stopCount int // workers asked to stop
	busy      int // workers running a task
	draining  bool
	shutdown  bool
	lastWarn  time.Time
}

// NewExecutor starts an executor with cfg.Workers workers.
func NewExecutor(cfg ExecutorConfig) *Executor {
	e := &Executor{log: cfg.Logger, warnInterval: cfg.WarnInterval}
	if e.log == nil {
		e.log = slog.Default()
	}
	if e.warnInterval == 0 {
		e.warnInterval = 5 * time.Second
	}
	e.wake = sync.NewCond(&e.mu)
	e.exited = sync.NewCond(&e.mu)
	n := cfg.Workers
	if n <= 0 {
		n = DefaultExecutorWorkers
	}
	e.SetThreadCount(n)
	return e
}

// Executor returns the loop's default executor, starting it on first use
// with Config.ExecutorWorkers workers. Close shuts it down. Loop-only (it
// creates the executor on first use): from another goroutine it panics
// while the loop sleeps (or with Config.Debug) and otherwise races; call it
// once on the loop and keep the *Executor, whose methods are safe anywhere.
func (l *IOLoop) Executor() *Executor {
	l.checkGoroutine("Executor")
	if l.executor == nil {
		l.executor = NewExecutor(ExecutorConfig{Workers: l.execSize, Logger: l.log})
	}
	return l.executor
}

// Submit queues fn to run on a worker. A panic in fn is recovered and
// logged. It returns ErrExecutorShutdown after Shutdown.
func (e *Executor) Submit(fn func()) error {
	return e.submit(task{run: fn})
}

func (e *Executor) submit(t task) error {
	e.mu.Lock()
	if e.shutdown {
		e.mu.Unlock()
		return ErrExecutorShutdown
	}
	e.queue = append(e.queue, t)
	e.wake.Signal()
	waiting := e.depth() - (e.threads - e.stopCount - e.busy)
	warn := waiting > 0 && e.warnInterval > 0 && time.Since(e.lastWarn) >= e.warnInterval
	if warn {
		e.lastWarn = time.Now()
	}
	e.mu.Unlock()
	if warn {
		e.log.Warn("ioloop: executor tasks are waiting for a worker", "queue_depth", waiting)
	}
	return nil
}

func (e *Executor) depth() int { return len(e.queue) - e.head }

// QueueDepth returns the number of tasks waiting for a worker.
func (e *Executor) QueueDepth() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.depth()
}

// ThreadCount returns the number of workers, not counting those asked to
// stop that are finishing a task.
func (e *Executor) ThreadCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.threads - e.stopCount
}

// SetThreadCount grows or shrinks the pool to n workers. Growing starts
// workers at once; a worker asked to stop finishes its current task first.
func (e *Executor) SetThreadCount(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setThreadCount(n)
}

func (e *Executor) setThreadCount(n int) {
	running := e.threads - e.stopCount
	for ; running < n; running++ {
		e.threads++
		go e.worker()
	}
	if running > n {
		e.stopCount += running - n
		e.wake.Broadcast()
	}
}

func (e *Executor) worker() {
	e.mu.Lock()
	for {
		for e.depth() == 0 && e.stopCount == 0 && !e.draining {
			e.wake.Wait()
		}
		if e.stopCount > 0 || e.depth() == 0 {
			if e.stopCount > 0 {
				e.stopCount--
			}
			e.threads--
			e.exited.Broadcast()
			e.mu.Unlock()
			return
		}
		t := e.pop()
		e.busy++
		e.mu.Unlock()
		e.run(t)
		e.mu.Lock()
		e.busy--
	}
}

func (e *Executor) pop() task {
	t := e.queue[e.head]
	e.queue[e.head] = task{}
	e.head++
	if e.head == len(e.queue) {
		e.queue = e.queue[:0]
		e.head = 0
	} else if e.head > 1024 && e.head*2 > len(e.queue) {
		n := copy(e.queue, e.queue[e.head:])
		clear(e.queue[n:])
		e.queue = e.queue[:n]
		e.head = 0
	}
	return t
}

// run runs t, recovering a panic. If t calls runtime.Goexit (t.FailNow in
// a test, say), which no recover stops, the task fails with
// future.ErrGoexit and another worker takes the place of this one.
func (e *Executor) run(t task) {
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			e.log.Error("ioloop: executor task panicked", "panic", v, logattr.Stack(debug.Stack()))
			return
		}
		e.log.Error("ioloop: executor task called runtime.Goexit; its worker is replaced", logattr.Stack(debug.Stack()))
		if t.fail != nil {
			t.fail(future.ErrGoexit)
		}
		e.replaceWorker()
	}()
	t.run()
	returned = true
}

// replaceWorker accounts for a worker that is ending in the middle of a
// task: it starts another in its place, unless the pool was asked to
// shrink, in which case the ending worker counts as one that stopped.
func (e *Executor) replaceWorker() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.busy--
	if e.stopCount > 0 {
		e.stopCount--
		e.threads--
		e.exited.Broadcast()
		return
	}
	go e.worker()
}

// ShutdownConfig says how Shutdown stops an executor (Waitress's
// shutdown(cancel_pending, timeout)).
type ShutdownConfig struct {
	// CancelPending drops the queued tasks (RunInExecutor futures fail
	// with ErrExecutorShutdown) and each worker exits after its current
	// task; without it, workers first run every queued task.
	CancelPending bool
	// Timeout bounds the wait for the workers to exit: zero means 5 s,
	// negative means no wait.
	Timeout time.Duration
}

// Shutdown stops the executor: no task is accepted afterwards. It waits
// as cfg says for the workers to exit and reports whether some were still
// running; those go on until their task returns.
func (e *Executor) Shutdown(cfg ShutdownConfig) (stillRunning bool) {
	cancelPending, timeout := cfg.CancelPending, cfg.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	e.mu.Lock()
	e.shutdown = true
	var dropped []task
	if cancelPending {
		dropped = append(dropped, e.queue[e.head:]...)
		clear(e.queue)
		e.queue, e.head = e.queue[:0], 0
		e.setThreadCount(0)
	} else {
		e.draining = true
		e.wake.Broadcast()
	}
	e.mu.Unlock()
	for _, t := range dropped {
		if t.fail != nil {
			t.fail(ErrExecutorShutdown)
		}
	}
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		e.mu.Lock()
		e.exited.Broadcast()
		e.mu.Unlock()
	})
	defer timer.Stop()
	e.mu.Lock()
	defer e.mu.Unlock()
	for e.threads > 0 && time.Now().Before(deadline) {
		e.exited.Wait()
	}
	if e.threads > 0 {
		e.log.Warn("ioloop: executor workers still running after shutdown", "workers", e.threads)
		return true
	}
	return false
}
