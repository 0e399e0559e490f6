package httpclient

import (
	"sync"

	"github.com/gornado/gornado/ioloop"
)

// Blocking is the client for code outside a loop, Tornado's HTTPClient: it
// runs an AsyncHTTPClient on a loop of its own, on its own goroutine, and
// its Fetch waits for the response. It is safe from any goroutine, and
// concurrent fetches run concurrently (up to Config.MaxClients at once).
// Close it when done: it stops the loop and closes every connection.
type Blocking struct {
	loop   *ioloop.IOLoop
	client *AsyncHTTPClient
	done   chan struct{} // closed when the loop's Start returns

	mu     sync.Mutex
	closed bool
}

// NewBlocking starts a loop on a new goroutine with a client on it. It
// fails only if the loop cannot be created.
func NewBlocking(cfg Config) (*Blocking, error) {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		return nil, err
	}
	b := &Blocking{loop: loop, client: New(loop, cfg), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		loop.Start()
	}()
	return b, nil
}

// FetchURL fetches url with a GET and waits for the response: Fetch of
// &Request{URL: url}. Safe from any goroutine.
func (b *Blocking) FetchURL(url string) (*Response, error) { return b.Fetch(&Request{URL: url}) }

// Fetch fetches req and waits for the response; the errors are
// AsyncHTTPClient.Fetch's. A Request's
// callbacks (StreamingCallback, HeaderCallback, BodyProducer) run on the
// client's loop goroutine, one at a time. After Close it fails with
// ErrClosed. Safe from any goroutine.
func (b *Blocking) Fetch(req *Request) (*Response, error) {
	type result struct {
		resp *Response
		err  error
	}
	ch := make(chan result, 1)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, ErrClosed
	}
	// Under the lock, so that Close cannot stop the loop between the check
	// and the handoff: the callback then runs before Close's.
	b.loop.AddCallback(func() {
		b.client.Fetch(req).AddDoneCallback(func(f *futureResponse) {
			resp, err := f.Result()
			ch <- result{resp, err}
		})
	})
	b.mu.Unlock()
	r := <-ch
	return r.resp, r.err
}

// Close fails the fetches in progress with ErrClosed, closes the
// connections, stops the loop and waits for it, and closes it. Closing twice
// does nothing. Safe from any goroutine.
func (b *Blocking) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.loop.AddCallback(func() {
		b.client.Close()
		// The failed fetches' done callbacks run in the next iteration;
		// stop after them.
		b.loop.AddCallback(b.loop.Stop)
	})
	b.mu.Unlock()
	<-b.done
	return b.loop.Close()
}
