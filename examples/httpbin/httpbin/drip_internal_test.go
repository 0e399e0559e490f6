package httpbin

import (
	"testing"
	"time"
)

// A drip keeps to its duration however many bytes it spreads, even on a
// clock whose every pause lasts at least a millisecond: bytes that fell
// due during a late pause go out together. The clock here is simulated,
// as /drip's loop runs it: write what is due, pause until the next byte.
func TestDripKeepsToItsDuration(t *testing.T) {
	const late = time.Millisecond // the least a pause lasts
	for _, tc := range []struct {
		n        int64
		duration time.Duration
	}{{10000, time.Second}, {5, 50 * time.Millisecond}, {2, 10 * time.Millisecond}, {100000, 2 * time.Second}} {
		var now time.Duration
		sent, writes := int64(0), 0
		for sent < tc.n {
			due := dripDue(now, tc.duration, tc.n)
			if due < sent {
				t.Fatalf("n=%d: due went back from %d to %d", tc.n, sent, due)
			}
			sent = due
			writes++
			if sent == tc.n {
				break
			}
			now += max(dripAt(sent, tc.duration, tc.n)-now, late)
		}
		if now > tc.duration+late {
			t.Errorf("n=%d over %v: took %v", tc.n, tc.duration, now)
		}
		if now < tc.duration-late && tc.n > 1 {
			t.Errorf("n=%d over %v: done early, at %v", tc.n, tc.duration, now)
		}
		if tc.n <= 5 && writes != int(tc.n) {
			t.Errorf("n=%d: %d writes, want one a byte when the pauses allow it", tc.n, writes)
		}
	}
}
