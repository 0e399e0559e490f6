package interop

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Gornado's websocket package against Node's ws (npm), both ways, with
// and without permessage-deflate, text and binary, 0 B to 16 MiB, whole
// or fragmented by both sides: testdata/ws_node.js. ws reports what it
// agreed (WebSocket.extensions) on either side, and its server the close
// frame it received.

// nodeModulesEnv is the variable interop/run.sh sets to the directory it
// installs ws into; a test run outside run.sh looks in the same place.
const nodeModulesEnv = "GORNADO_INTEROP_NODE_MODULES"

// needNodeWS returns the node program, with NODE_PATH set for the test's
// processes so that it finds ws. Under run.sh, which installs ws, a
// missing one fails the test; outside it, the test is skipped.
func needNodeWS(t *testing.T) string {
	t.Helper()
	dir, underRunSh := os.LookupEnv(nodeModulesEnv)
	if !underRunSh { // where run.sh puts it
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			cache = filepath.Join(os.Getenv("HOME"), ".cache")
		}
		dir = filepath.Join(cache, "gornado-interop", "node_modules")
	}
	missing := func(format string, args ...any) {
		t.Helper()
		if underRunSh {
			t.Fatalf(format+" (interop/run.sh should have installed it)", args...)
		}
		t.Skipf(format+": run interop/run.sh, which installs it", args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is missing (%v)", err)
	}
	t.Setenv("NODE_PATH", dir)
	if out, err := exec.Command(node, "-e", "require('ws')").CombinedOutput(); err != nil {
		why := err.Error()
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "Error") {
				why = l // "Error: Cannot find module 'ws'"
			}
		}
		missing("node cannot load ws from %s (%s)", dir, why)
	}
	return node
}

func TestWebSocketNodeClient(t *testing.T) {
	node := needNodeWS(t)
	for _, c := range wsCases {
		t.Run(c.String(), func(t *testing.T) {
			s := serveWS(t, c.config())
			r := mustRun(t, node, append([]string{"testdata/ws_node.js", "client", s.url}, wsNodeArgs(c)...)...)
			assert.Equal(t, fmt.Sprintf("OK %d\n", 2*len(c.sizes())), r.stdout)
			assert.Equal(t, wsClosed{c.deflate, wsByeCode, wsByeReason}, s.nextClosed(t),
				"Gornado's side: compressed, close code and reason")
		})
	}
}

func TestWebSocketNodeServer(t *testing.T) {
	node := needNodeWS(t)
	for _, c := range wsCases {
		t.Run(c.String(), func(t *testing.T) {
			p := servePeer(t, node, append([]string{"testdata/ws_node.js", "server"}, wsNodeArgs(c)...)...)
			dialWS(t, p.url, c, wsByeCode, wsByeReason)
			ext := p.line(t, "OPEN ")
			assert.Equal(t, c.deflate, strings.Contains(ext, "permessage-deflate"), "ws's extensions: %q", ext)
			pings, pongs, _ := strings.Cut(p.line(t, "PINGS "), " PONGS ")
			assert.Equal(t, pings, pongs, "Gornado's pongs to the pings between fragments")
			assert.Equal(t, fmt.Sprintf("%d %s", wsByeCode, wsByeReason), p.line(t, "CLOSE "),
				"ws's close code and reason")
		})
	}
}

// The server closes first: its close frame reaches the client as sent,
// Gornado's at ws's client and ws's at Gornado's.
func TestWebSocketNodeServerCloses(t *testing.T) {
	node := needNodeWS(t)
	t.Run("client", func(t *testing.T) {
		s := serveWS(t, wsCase{}.config())
		r := mustRun(t, node, "testdata/ws_node.js", "bye", s.url)
		assert.Equal(t, "OK bye\n", r.stdout)
		assert.Equal(t, wsByeCode, s.nextClosed(t).code, "the close code ws echoed")
	})
	t.Run("server", func(t *testing.T) {
		p := servePeer(t, node, "testdata/ws_node.js", "server", "plain", "whole")
		dialWSBye(t, p.url)
		code, _, _ := strings.Cut(p.line(t, "CLOSE "), " ") // Gornado echoes the code alone
		assert.Equal(t, strconv.Itoa(wsByeCode), code, "the close code Gornado echoed")
	})
}

// wsNodeArgs are ws_node.js's arguments for c.
func wsNodeArgs(c wsCase) []string {
	args := []string{"plain", "whole"}
	if c.deflate {
		args[0] = "deflate"
	}
	if c.fragment {
		args[1] = "fragmented"
	}
	return args
}
