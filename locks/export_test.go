package locks

// Waiter counts for the garbage-collection tests, done waiters not yet
// swept included (Tornado's tests read len(x._waiters)).

func (e *Event) NumWaiters() int     { return e.waiters.Len() }
func (c *Condition) NumWaiters() int { return c.waiters.Len() }
func (s *Semaphore) NumWaiters() int { return s.waiters.Len() }
