package chatdemo_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/chat/chatdemo"
	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/looptest"
)

// The room keeps the newest CacheSize messages; a cursor that fell out
// of it catches up with the whole cache.
func TestMessageBufferKeepsRecentMessages(t *testing.T) {
	l := looptest.New(t)
	looptest.Run(t, l, 0, func(co *gen.Co) error {
		b := chatdemo.NewMessageBuffer(l)
		n := chatdemo.CacheSize + 50
		for i := range n {
			b.Add(chatdemo.Message{ID: fmt.Sprint(i)})
		}
		msgs := b.Messages()
		require.Len(t, msgs, chatdemo.CacheSize)
		assert.Equal(t, "50", msgs[0].ID)
		assert.Equal(t, fmt.Sprint(n-1), msgs[len(msgs)-1].ID)
		assert.Len(t, b.MessagesSince("10"), chatdemo.CacheSize, "an evicted cursor")
		assert.Equal(t, []chatdemo.Message{{ID: fmt.Sprint(n - 1)}}, b.MessagesSince(fmt.Sprint(n-2)))
		assert.Empty(t, b.MessagesSince(fmt.Sprint(n-1)))
		return nil
	})
}

// Each wait is a future of its own: Add completes them all, CancelWait
// forgets one (twice, or after Add, is harmless), Close fails the rest
// and every later wait with ErrClosed.
func TestMessageBufferWaits(t *testing.T) {
	l := looptest.New(t)
	looptest.Run(t, l, 0, func(co *gen.Co) error {
		b := chatdemo.NewMessageBuffer(l)
		w1, w2, w3 := b.Wait(), b.Wait(), b.Wait()
		assert.Equal(t, 3, b.Waiters())
		b.CancelWait(w2)
		b.CancelWait(w2)
		b.CancelWait(nil)
		assert.Equal(t, 2, b.Waiters())
		b.Add(chatdemo.Message{ID: "a"})
		assert.Equal(t, 0, b.Waiters())
		for _, f := range []*future.Future[struct{}]{w1, w3} {
			_, err := gen.Await(co, f)
			assert.NoError(t, err)
		}
		_, err := gen.Await(co, w2)
		assert.True(t, errors.Is(err, future.ErrCancelled), "%v", err)
		b.CancelWait(w1) // completed already

		w4 := b.Wait()
		b.Close()
		_, err = gen.Await(co, w4)
		assert.ErrorIs(t, err, chatdemo.ErrClosed)
		_, err = gen.Await(co, b.Wait())
		assert.ErrorIs(t, err, chatdemo.ErrClosed)
		assert.Equal(t, 0, b.Waiters())
		return nil
	})
}

func TestLinkify(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{`<script>alert("x")</script>`, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`},
		{"see http://a.example/p.", `see <a href="http://a.example/p">http://a.example/p</a>.`},
		{"(https://b.example/?q=1&r=2)", `(<a href="https://b.example/?q=1&amp;r=2">https://b.example/?q=1&amp;r=2</a>)`},
		{`https://c.example/"onmouseover="x`, `<a href="https://c.example/">https://c.example/</a>&#34;onmouseover=&#34;x`},
		{"javascript:alert(1) ftp://x.example", "javascript:alert(1) ftp://x.example"},
	} {
		assert.Equal(t, tc.want, string(chatdemo.Linkify(tc.in)), "%q", tc.in)
	}
}
