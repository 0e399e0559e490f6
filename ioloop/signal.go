package ioloop

import (
	"os"
	ossignal "os/signal"
	"sync"
)

// signals are the loop's signal handlers (AddSignalHandler): each has a
// goroutine that waits on os/signal's channel and hands every signal to
// the loop as a callback.
type signals struct {
	mu   sync.Mutex
	stop []func()
}

// AddSignalHandler runs fn on the loop, as a callback, each time the
// process receives one of sigs (Tornado's add_signal_handler, over
// os/signal): a SIGINT or SIGTERM handler can shut a server down
// gracefully with loop-owned state at hand. It returns a function that
// removes the handler; Close removes those still there. Signals that come
// while the loop is not running are handled when it runs again. Safe from
// any goroutine.
//
//	loop.AddSignalHandler(func(os.Signal) {
//		srv.Shutdown(ctx).OnDone(loop.Stop)
//	}, syscall.SIGINT, syscall.SIGTERM)
//
// (signal.NotifyContext with httpserver.Server.Run or web's
// Application.Serve does the same in one line, where a context suits.)
func (l *IOLoop) AddSignalHandler(fn func(os.Signal), sigs ...os.Signal) (remove func()) {
	ch := make(chan os.Signal, 4)
	quit := make(chan struct{})
	ossignal.Notify(ch, sigs...)
	go func() {
		for {
			select {
			case sig := <-ch:
				l.AddCallback(func() { fn(sig) })
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	remove = func() {
		once.Do(func() {
			ossignal.Stop(ch)
			close(quit)
		})
	}
	l.sigs.mu.Lock()
	l.sigs.stop = append(l.sigs.stop, remove)
	l.sigs.mu.Unlock()
	return remove
}

// removeSignalHandlers stops every signal handler's goroutine (Close).
func (l *IOLoop) removeSignalHandlers() {
	l.sigs.mu.Lock()
	stops := l.sigs.stop
	l.sigs.stop = nil
	l.sigs.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
}
