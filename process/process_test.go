package process_test

import (
	"os/exec"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/iostream"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/process"
)

func TestStreamsAndExit(t *testing.T) {
	// A child fed through its stdin, read line by line from its stdout,
	// its stderr apart, and its exit status awaited.
	l := looptest.New(t)
	var lines []string
	var stderr string
	var code int
	looptest.Run(t, l, 0, func(co *gen.Co) error {
		cmd := exec.Command("sh", "-c", `while read x; do echo "got $x"; done; echo oops >&2; exit 3`)
		p, err := process.Start(l, cmd, process.Config{Stdin: true, Stdout: true, Stderr: true})
		if err != nil {
			return err
		}
		exits := 0
		p.SetExitCallback(func(int) { exits++ })
		if _, err := gen.Await(co, p.Stdin.Write([]byte("a\nb\n"))); err != nil {
			return err
		}
		p.Stdin.Close() // end of file for the child
		for {
			line, err := gen.Await(co, p.Stdout.ReadUntil([]byte("\n"), 1024))
			if err != nil {
				require.ErrorIs(t, err, iostream.ErrStreamClosed)
				break
			}
			lines = append(lines, string(line))
		}
		rest, err := gen.Await(co, p.Stderr.ReadUntilClose())
		if err != nil {
			return err
		}
		stderr = string(rest)
		_, err = gen.Await(co, p.WaitForExit(true))
		var ee *process.ExitError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, 3, ee.Code)
		code, _ = gen.Await(co, p.Exit())
		if err := gen.Moment(co); err != nil { // the exit callback runs in a callback
			return err
		}
		assert.Equal(t, 1, exits)
		return nil
	})
	assert.Equal(t, []string{"got a\n", "got b\n"}, lines)
	assert.Equal(t, "oops\n", stderr)
	assert.Equal(t, 3, code)
}

func TestKilledChild(t *testing.T) {
	l := looptest.New(t)
	looptest.Run(t, l, 0, func(co *gen.Co) error {
		p, err := process.Start(l, exec.Command("sleep", "60"), process.Config{})
		if err != nil {
			return err
		}
		require.NoError(t, p.Signal(syscall.SIGTERM))
		code, err := gen.Await(co, p.WaitForExit(false))
		require.NoError(t, err, "WaitForExit(false) never fails")
		assert.Equal(t, -1, code)
		_, err = gen.Await(co, p.WaitForExit(true))
		var ee *process.ExitError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, syscall.SIGTERM, ee.Signal)
		assert.Contains(t, err.Error(), "terminated")
		assert.ErrorIs(t, p.Signal(syscall.SIGTERM), errProcessDone())
		return nil
	})
}

func TestNoGoroutinePerChild(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pidfd is Linux's; elsewhere a goroutine waits, as the doc says")
	}
	// Ten children sleeping: the loop watches them, no goroutine waits.
	l := looptest.New(t)
	looptest.Run(t, l, 0, func(co *gen.Co) error {
		before := runtime.NumGoroutine()
		var ps []*process.Subprocess
		for range 10 {
			p, err := process.Start(l, exec.Command("sleep", "0.2"), process.Config{})
			if err != nil {
				return err
			}
			ps = append(ps, p)
		}
		assert.LessOrEqual(t, runtime.NumGoroutine(), before, "no goroutine per running child")
		for _, p := range ps {
			if _, err := gen.Await(co, p.Exit()); err != nil {
				return err
			}
		}
		return nil
	})
}
