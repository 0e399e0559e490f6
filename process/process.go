// Package process runs child processes on an ioloop.IOLoop, Tornado's
// tornado.process.Subprocess: the child's stdin, stdout and stderr are
// non-blocking streams on the loop (iostream.IOStream), its exit is a
// future, and no goroutine waits for it while it runs (on Linux the loop
// watches a pidfd; elsewhere one goroutine per child waits, the one
// exception, said in Start's doc).
//
//	p, err := process.Start(loop, exec.Command("ls", "-l"), process.Config{Stdout: true})
//	...
//	// in a coroutine: read its output line by line, then its exit
//	for {
//		line, err := gen.Await(co, p.Stdout.ReadUntil([]byte("\n"), 64<<10))
//		if err != nil {
//			break // iostream.ErrStreamClosed at the end of the output
//		}
//		fmt.Print(string(line))
//	}
//	code, err := gen.Await(co, p.WaitForExit(true)) // *ExitError if code != 0
//
// The child's stdio are Unix-domain socket pairs, not pipes (the loop's
// streams speak sockets): a program sees the same reads, writes and EOF.
//
// The rest of Tornado's tornado.process lives elsewhere: signal handlers
// on the loop are ioloop.IOLoop.AddSignalHandler, and fork_processes with
// a shared port is httpserver.Group (one loop per core, in one process).
package process

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// Config says which of the child's stdio become streams on the loop
// (Tornado's Subprocess.STREAM); the others are left as the exec.Cmd has
// them (nil: /dev/null).
type Config struct {
	// Stdin, Stdout and Stderr, when true, make that stdio a stream
	// (Subprocess.Stdin, ...), replacing the exec.Cmd's own setting for
	// it.
	Stdin, Stdout, Stderr bool
	// Stream sets the streams' limits.
	Stream iostream.Config
}

// ExitError is WaitForExit's error for a child that exited with a
// non-zero status (Tornado's CalledProcessError). Code is the exit
// status, or -1 when a signal ended the child (Signal says which).
type ExitError struct {
	Code   int
	Signal unix.Signal
}

// Error says the exit status, or the signal that ended the child.
func (e *ExitError) Error() string {
	if e.Code < 0 {
		return fmt.Sprintf("process: killed by %v", e.Signal)
	}
	return fmt.Sprintf("process: exit status %d", e.Code)
}

// Subprocess is a child process started by Start. Loop-only, but for Pid.
type Subprocess struct {
	// Stdin, Stdout and Stderr are the streams Config asked for, nil
	// otherwise. Close Stdin to give the child an end of file.
	Stdin, Stdout, Stderr *iostream.IOStream
	// Pid is the child's process id.
	Pid int

	cmd    *exec.Cmd
	loop   *ioloop.IOLoop
	exit   *future.Future[int]
	status unix.WaitStatus
}

// Start starts cmd with the streams cfg asks for. The child is reaped by
// the loop when it exits, whatever the caller does: Exit's future
// completes then. On Linux no goroutine waits meanwhile (a pidfd is
// watched by the loop); on other systems one goroutine per child does.
// Loop-only.
func Start(loop *ioloop.IOLoop, cmd *exec.Cmd, cfg Config) (*Subprocess, error) {
	p := &Subprocess{cmd: cmd, loop: loop, exit: future.New[int](loop).SetOrigin("process exit")}
	var childEnds []*os.File
	var parent []*iostream.IOStream
	fail := func(err error) (*Subprocess, error) {
		for _, f := range childEnds {
			f.Close()
		}
		for _, s := range parent {
			s.Close()
		}
		return nil, err
	}
	pair := func(want bool, child **os.File, stream **iostream.IOStream) error {
		if !want {
			return nil
		}
		// Close-on-exec before any fork can see them: os/exec holds the
		// fork lock's write side while it forks.
		syscall.ForkLock.RLock()
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		if err == nil {
			unix.CloseOnExec(fds[0])
			unix.CloseOnExec(fds[1])
		}
		syscall.ForkLock.RUnlock()
		if err != nil {
			return fmt.Errorf("process: socketpair: %w", err)
		}
		s, err := iostream.New(loop, fds[0], cfg.Stream)
		if err != nil {
			unix.Close(fds[0])
			unix.Close(fds[1])
			return err
		}
		parent = append(parent, s)
		f := os.NewFile(uintptr(fds[1]), "child stdio")
		childEnds = append(childEnds, f)
		*child, *stream = f, s
		return nil
	}
	var in, out, errf *os.File
	if err := pair(cfg.Stdin, &in, &p.Stdin); err != nil {
		return fail(err)
	}
	if err := pair(cfg.Stdout, &out, &p.Stdout); err != nil {
		return fail(err)
	}
	if err := pair(cfg.Stderr, &errf, &p.Stderr); err != nil {
		return fail(err)
	}
	if in != nil {
		cmd.Stdin = in
	}
	if out != nil {
		cmd.Stdout = out
	}
	if errf != nil {
		cmd.Stderr = errf
	}
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	for _, f := range childEnds {
		f.Close() // the child has its copies
	}
	p.Pid = cmd.Process.Pid
	if err := p.watch(); err != nil {
		return nil, err
	}
	return p, nil
}

// Exit returns the future of the child's exit status: its code, or -1
// if a signal ended it. It never fails. Loop-only.
func (p *Subprocess) Exit() *future.Future[int] { return p.exit }

// SetExitCallback arranges for fn to run on the loop with the exit status
// when the child exits (at once, in a callback, if it has). Loop-only.
func (p *Subprocess) SetExitCallback(fn func(code int)) {
	p.exit.AddDoneCallback(func(f *future.Future[int]) {
		code, _ := f.Result()
		fn(code)
	})
}

// WaitForExit returns a future of the exit status; with raiseError, a
// non-zero status fails it with an *ExitError (Tornado's
// wait_for_exit(raise_error=True)). Loop-only.
func (p *Subprocess) WaitForExit(raiseError bool) *future.Future[int] {
	if !raiseError {
		return p.exit
	}
	return future.Then(p.exit, func(code int) (int, error) {
		if code != 0 {
			e := &ExitError{Code: code}
			if p.status.Signaled() {
				e.Signal = p.status.Signal()
			}
			return code, e
		}
		return 0, nil
	}).SetOrigin("process exit")
}

// Signal sends sig to the child. It returns os.ErrProcessDone once the
// child was reaped. Loop-only.
func (p *Subprocess) Signal(sig os.Signal) error {
	if p.exit.Done() {
		return os.ErrProcessDone
	}
	return p.cmd.Process.Signal(sig)
}

// exited records the child's wait status. Loop-only.
func (p *Subprocess) exited(ws unix.WaitStatus) {
	p.status = ws
	code := ws.ExitStatus()
	if ws.Signaled() {
		code = -1
	}
	p.cmd.Process.Release()
	p.exit.SetResult(code)
}
