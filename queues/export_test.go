package queues

// Waiter counts for the tests that check timed-out waiters are dropped,
// done ones not yet dropped included (Tornado's tests read len(q._getters)).

func (q *Queue[T]) NumGetters() int { return q.getters.Len() }
func (q *Queue[T]) NumPutters() int { return q.putters.Len() }
