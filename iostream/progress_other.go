//go:build !linux

package iostream

// peerAcked is Linux's; elsewhere the write queue tells progress.
func peerAcked(int) (int64, bool) { return 0, false }
