package httpclient_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/looptest"
)

func TestMaxClientsQueue(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{MaxClients: 2})
	looptest.Run(t, loop, 10*time.Second, func(co *gen.Co) error {
		var order []int
		fs := make([]*futureResponse, 5)
		for i := range fs {
			fs[i] = c.FetchURL(ts.base + "/hold")
			fs[i].AddDoneCallback(func(*futureResponse) { order = append(order, i) })
		}
		assert.Equal(t, 2, c.Active())
		assert.Equal(t, 3, c.Queued())
		// The server sees only two requests while they are held.
		for ts.heldCount() < 2 {
			gen.Sleep(co, time.Millisecond)
		}
		gen.Sleep(co, 20*time.Millisecond)
		assert.Equal(t, 2, ts.heldCount())
		// Release in rounds: the queue drains first in, first out.
		for done := 0; done < 5; {
			done += ts.release()
			gen.Sleep(co, time.Millisecond)
		}
		for i, f := range fs {
			resp, err := gen.Await(co, f)
			if assert.NoError(t, err, i) {
				_, err := strconv.Atoi(string(resp.Body))
				assert.NoError(t, err)
			}
		}
		assert.Equal(t, []int{0, 1, 2, 3, 4}, sortedPairs(order))
		assert.Equal(t, 0, c.Active())
		assert.Equal(t, 0, c.Queued())
		// The queued fetches waited, and say so.
		r4, _ := fs[4].Result()
		assert.Positive(t, r4.Timing.Queue)
		r0, _ := fs[0].Result()
		assert.Zero(t, r0.Timing.Queue)
		return nil
	})
}

// sortedPairs checks the FIFO order of completion: fetches released in the
// same round may finish in either order, but rounds keep the queue's order,
// so it sorts within pairs (MaxClients is 2).
func sortedPairs(order []int) []int {
	out := append([]int(nil), order...)
	for i := 0; i+1 < len(out); i += 2 {
		if out[i] > out[i+1] {
			out[i], out[i+1] = out[i+1], out[i]
		}
	}
	return out
}

func TestQueueTimeout(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{MaxClients: 1})
	looptest.Run(t, loop, 10*time.Second, func(co *gen.Co) error {
		first := c.Fetch(&httpclient.Request{URL: ts.base + "/hold"})
		second := c.Fetch(&httpclient.Request{URL: ts.base + "/hello", RequestTimeout: 30 * time.Millisecond})
		assert.Equal(t, 1, c.Queued())
		_, err := gen.Await(co, second)
		var he *httpclient.HTTPError
		if assert.ErrorAs(t, err, &he) {
			assert.Equal(t, 599, he.Code)
			assert.Contains(t, he.Message, "timeout in request queue")
		}
		assert.ErrorIs(t, err, httpclient.ErrTimeout)
		assert.Equal(t, 0, c.Queued())
		assert.False(t, first.Done())
		for ts.release() == 0 {
			gen.Sleep(co, time.Millisecond)
		}
		_, err = gen.Await(co, first)
		assert.NoError(t, err)
		return nil
	})
}

func TestCloseFailsFetches(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{MaxClients: 1})
	looptest.Run(t, loop, 10*time.Second, func(co *gen.Co) error {
		running := c.FetchURL(ts.base + "/hang")
		queued := c.FetchURL(ts.base + "/hang")
		for ts.heldCount() == 0 && !waitServerConns(co, ts, 1) {
		}
		c.Close()
		for _, f := range []*futureResponse{running, queued} {
			_, err := gen.Await(co, f)
			assert.ErrorIs(t, err, httpclient.ErrClosed)
		}
		_, err := gen.Await(co, c.FetchURL(ts.base+"/hello"))
		assert.ErrorIs(t, err, httpclient.ErrClosed)
		for !waitServerConns(co, ts, 0) {
		}
		return nil
	})
}

func TestIdleTimeoutClosesPooledConnections(t *testing.T) {
	ts := serve(t, httpserver.Config{})
	loop, c := newClient(t, httpclient.Config{IdleTimeout: 40 * time.Millisecond})
	_, err := fetch(t, loop, c, ts.base+"/hello")
	require.NoError(t, err)
	looptest.Run(t, loop, 10*time.Second, func(co *gen.Co) error {
		assert.Equal(t, 1, c.Idle())
		for c.Idle() > 0 {
			gen.Sleep(co, 10*time.Millisecond)
		}
		for !waitServerConns(co, ts, 0) {
		}
		return nil
	})
	resp, err := fetch(t, loop, c, ts.base+"/hello")
	require.NoError(t, err)
	assert.False(t, resp.Timing.Reused)
}
