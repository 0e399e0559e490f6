package ioloop_test

import (
	"bytes"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
	"github.com/gornado/gornado/locks"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/queues"
)

func TestCoroutinesNameWhatTheyWaitFor(t *testing.T) {
	// One coroutine parked on each kind of wait: the list names each, with
	// the stack where it parked.
	l := looptest.New(t)
	release := make(chan struct{})
	defer close(release)
	lock, ev, cond := locks.NewLock(l), locks.NewEvent(l), locks.NewCondition(l)
	q := queues.NewQueue[int](l, 0)
	client := httpclient.New(l, httpclient.Config{})
	defer client.Close()
	// A server that never answers, for a fetch and a read that wait.
	srv := httpserver.New(l, httpserver.HandlerFunc(func(*httpserver.Response, *httpserver.Request) {}), httpserver.Config{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	defer srv.Close()
	addr := srv.Addrs()[0].(*net.TCPAddr)

	waits := map[string]func(co *gen.Co) error{
		"sleep": func(co *gen.Co) error { return gen.Sleep(co, time.Hour) },
		"lock":  func(co *gen.Co) error { _, err := gen.Await(co, lock.Acquire(0)); return err },
		"event": func(co *gen.Co) error { _, err := gen.Await(co, ev.Wait(0)); return err },
		"condition": func(co *gen.Co) error {
			_, err := gen.Await(co, cond.Wait(0))
			return err
		},
		"queue get": func(co *gen.Co) error { _, err := gen.Await(co, q.Get(0)); return err },
		"fetch": func(co *gen.Co) error {
			_, err := gen.Await(co, client.FetchURL("http://"+addr.String()+"/"))
			return err
		},
		"executor task": func(co *gen.Co) error {
			_, err := gen.Await(co, ioloop.RunInExecutor(l, nil, func() (int, error) { <-release; return 0, nil }))
			return err
		},
		"stream read": func(co *gen.Co) error {
			s, err := gen.Await(co, iostream.NewTCPClient(l, iostream.ClientConfig{}).Connect("127.0.0.1", addr.Port, iostream.ConnectConfig{}))
			if err != nil {
				return err
			}
			defer s.Close()
			_, err = gen.Await(co, s.ReadBytes(1, false))
			return err
		},
	}
	var list []ioloop.Coroutine
	var dump bytes.Buffer
	looptest.Run(t, l, 0, func(co *gen.Co) error {
		if _, err := gen.Await(co, lock.Acquire(0)); err != nil { // held: the next Acquire waits
			return err
		}
		for _, fn := range waits {
			gen.Go(l, func(co *gen.Co) (struct{}, error) { return struct{}{}, fn(co) })
		}
		// Until each is parked on its own wait (this one runs: it is not
		// listed): the stream read parks on its connect first.
		for {
			list = l.Coroutines()
			parked := map[string]bool{}
			for _, c := range list {
				parked[c.What] = true
			}
			all := true
			for what := range waits {
				all = all && parked[what]
			}
			if all {
				break
			}
			if err := gen.Sleep(co, time.Millisecond); err != nil {
				return err
			}
		}
		return l.DumpCoroutines(&dump)
	})
	seen := map[string]bool{}
	for _, c := range list {
		seen[c.What] = true
		assert.Contains(t, string(c.Stack), "coroutines_test.go", "%s: the stack where it parked", c.What)
	}
	for what := range waits {
		assert.True(t, seen[what], "%q is named in %v", what, seen)
	}
	assert.Contains(t, dump.String(), strconv.Itoa(len(list))+" coroutine(s) parked")
	assert.Contains(t, dump.String(), "waiting for fetch, for ")
}
