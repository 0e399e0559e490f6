package httpclient_test

import (
	"net"
	"os"
	"testing"
)

// TestMain opens the Go runtime's network poller (an epoll fd and an
// eventfd, kept for the life of the process) before any test takes its
// leak baseline, so the first test with a net.Listener is not charged
// with them.
func TestMain(m *testing.M) {
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	os.Exit(m.Run())
}
