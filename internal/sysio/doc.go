// Package sysio is read, write and writev for the loop's non-blocking
// sockets, made so that the Go scheduler leaves the loop's thread alone.
//
// An ordinary system call (syscall.Syscall, which x/sys/unix.Read uses)
// tells the scheduler that the goroutine may block: while it runs, the
// runtime's monitor thread (sysmon) may take the goroutine's P away and
// hand it to another thread, and it wakes every 20 µs to check. A loop
// goroutine is nearly always in a system call, so with GOMAXPROCS=1 (or
// every P busy) sysmon keeps retaking and handing back the loop's P: a
// thread switch and some microseconds of CPU on the loop's core per
// request. A call on a non-blocking socket never blocks, so it can be a raw
// system call (syscall.RawSyscall), which the scheduler does not see.
//
// Under the race detector (and the memory and address sanitizers) the
// functions are x/sys/unix's, whose annotations tell the detector that
// what one goroutine writes to a socket happens before another reads it;
// tests of code that hands data between goroutines through sockets rely
// on that.
package sysio
