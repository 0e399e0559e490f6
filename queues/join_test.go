package queues_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/queues"
)

// The join tests run for every kind of queue, as Tornado's QueueJoinTest
// is inherited by PriorityQueueJoinTest and LifoQueueJoinTest.

func TestQueueTaskDoneUnderflow(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				q := k.make(loop, 0)
				assert.ErrorIs(t, q.TaskDone(), queues.ErrTaskDoneTooManyTimes)

				// One item, one TaskDone; the second is one too many.
				assert.NoError(t, q.PutNowait(1))
				_, err := q.GetNowait()
				assert.NoError(t, err)
				assert.NoError(t, q.TaskDone())
				assert.ErrorIs(t, q.TaskDone(), queues.ErrTaskDoneTooManyTimes)
				assert.True(t, q.Join(0).Done(), "the failed TaskDone changed nothing")
				return nil
			})
		})
	}
}

func TestQueueTaskDone(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				q := k.make(loop, 0)
				want := 0
				for i := range 100 {
					assert.NoError(t, q.PutNowait(i))
					want += i
				}
				sum := 0
				// Two workers share the work; worker w takes w+1 loop
				// iterations per item.
				worker := func(w int) {
					gen.Go(loop, func(co *gen.Co) (struct{}, error) {
						for item := range q.Items(co) {
							sum += item
							assert.NoError(t, q.TaskDone())
							for range w + 1 {
								if err := gen.Moment(co); err != nil {
									return struct{}{}, err
								}
							}
						}
						return struct{}{}, nil
					})
				}
				worker(0)
				worker(1)
				_, err := gen.Await(co, q.Join(0))
				assert.Equal(t, want, sum)
				return err
			})
		})
	}
}

func TestQueueTaskDoneDelay(t *testing.T) {
	// It is TaskDone, not Get, that unblocks Join.
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				q := k.make(loop, 0)
				assert.NoError(t, q.PutNowait(0))
				join := q.Join(0)
				assert.False(t, join.Done())
				if _, err := gen.Await(co, q.Get(0)); err != nil {
					return err
				}
				assert.False(t, join.Done())
				if err := gen.Moment(co); err != nil {
					return err
				}
				assert.False(t, join.Done())
				assert.NoError(t, q.TaskDone())
				assert.True(t, join.Done())
				return nil
			})
		})
	}
}

func TestQueueJoinEmptyQueue(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				q := k.make(loop, 0)
				for range 2 {
					if _, err := gen.Await(co, q.Join(0)); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
}

func TestQueueJoinTimeout(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				q := k.make(loop, 0)
				q.Put(0, 0)
				_, err := gen.Await(co, q.Join(short))
				assert.ErrorIs(t, err, ioloop.ErrTimeout)
				return nil
			})
		})
	}
}

func TestQueueJoinCountsHandedOffItems(t *testing.T) {
	// An item handed straight to a waiting getter is a task too.
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				q := k.make(loop, 0)
				get := q.Get(0)
				assert.NoError(t, q.PutNowait(1))
				assert.True(t, get.Done())
				join := q.Join(0)
				assert.False(t, join.Done())
				assert.NoError(t, q.TaskDone())
				_, err := gen.Await(co, join)
				return err
			})
		})
	}
}

func TestQueueOrders(t *testing.T) {
	// Tornado's PriorityQueueJoinTest.test_order and
	// LifoQueueJoinTest.test_order, plus the FIFO equivalent: two items
	// fill the queue, two more wait in putters; each get lets one putter's
	// item in before taking the next item the kind's order gives.
	for _, tc := range []struct {
		kind string
		want []int
	}{
		{"Queue", []int{1, 0, 3, 2}},
		{"PriorityQueue", []int{0, 1, 2, 3}},
		{"LifoQueue", []int{3, 2, 0, 1}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				var q *queues.Queue[int]
				for _, k := range kinds {
					if k.name == tc.kind {
						q = k.make(loop, 2)
					}
				}
				assert.NoError(t, q.PutNowait(1))
				assert.NoError(t, q.PutNowait(0))
				assert.True(t, q.Full())
				q.Put(3, 0)
				q.Put(2, 0)
				var got []int
				for i := range 4 {
					var v int
					var err error
					if i%2 == 0 {
						v, err = q.GetNowait()
					} else {
						v, err = gen.Await(co, q.Get(0))
					}
					if !assert.NoError(t, err) {
						return err
					}
					got = append(got, v)
				}
				assert.Equal(t, tc.want, got)
				assert.True(t, q.Empty())
				return nil
			})
		})
	}
}

func TestPriorityQueueFunc(t *testing.T) {
	type job struct {
		priority int
		name     string
	}
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewPriorityQueueFunc(loop, 0, func(a, b job) int { return a.priority - b.priority })
		for _, j := range []job{{2, "c"}, {1, "a"}, {3, "e"}, {1, "b"}, {2, "d"}} {
			assert.NoError(t, q.PutNowait(j))
		}
		var got []string
		for !q.Empty() {
			j, err := q.GetNowait()
			assert.NoError(t, err)
			got = append(got, j.name)
		}
		// Smallest first; ties in the order they were put.
		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, got)
		return nil
	})
}

func TestPriorityQueueMany(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewPriorityQueue[int](loop, 0)
		const n = 500
		for i := range n {
			assert.NoError(t, q.PutNowait((i*7919)%n)) // a permutation of 0..n-1
		}
		for want := range n {
			v, err := q.GetNowait()
			assert.NoError(t, err)
			if !assert.Equal(t, want, v) {
				break
			}
		}
		return nil
	})
}

func TestQueueProducerConsumer(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 3)
		var history []int

		// The consumer does not wait between Get and TaskDone, so Get must
		// wait for the next loop iteration: otherwise TaskDone would
		// unblock Join before the producer's Put resumes.
		gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for item := range q.Items(co) {
				history = append(history, item)
				assert.NoError(t, q.TaskDone())
			}
			return struct{}{}, nil
		})
		producer := gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for item := range 10 {
				if _, err := gen.Await(co, q.Put(item, 0)); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})
		if _, err := gen.Await(co, producer); err != nil {
			return err
		}
		_, err := gen.Await(co, q.Join(0))
		assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, history)
		return err
	})
}

func TestQueueManyProducersConsumers(t *testing.T) {
	// Every item put by any producer is taken exactly once.
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 2)
		seen := map[int]int{}
		for range 3 {
			gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				for item := range q.Items(co) {
					seen[item]++
					if err := gen.Moment(co); err != nil {
						return struct{}{}, err
					}
					assert.NoError(t, q.TaskDone())
				}
				return struct{}{}, nil
			})
		}
		var producers []*future.Future[struct{}]
		for p := range 4 {
			producers = append(producers, gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				for i := range 25 {
					if _, err := gen.Await(co, q.Put(p*100+i, long)); err != nil {
						return struct{}{}, err
					}
				}
				return struct{}{}, nil
			}))
		}
		if _, err := gen.Await(co, gen.All(loop, producers...)); err != nil {
			return err
		}
		if _, err := gen.Await(co, q.Join(long)); err != nil {
			return err
		}
		assert.Len(t, seen, 100)
		for item, n := range seen {
			assert.Equal(t, 1, n, "item %d", item)
		}
		return nil
	})
}
