// Package interop holds Gornado's interoperability tests: each test starts a
// Gornado server in-process (or one of the examples as a program) and drives
// it with a real peer that no one here wrote, run through os/exec: curl,
// Python's requests and http.client, and ApacheBench; or the other way, a
// Gornado client against a peer's server. The WebSocket tests also run Go
// peers in-process (gorilla/websocket and coder/websocket, required by this
// module alone), Node's ws, and headless Chromium, which also drives the
// chat examples as a person would (a small DevTools Protocol client over a
// pipe, cdp_test.go).
//
// The peers are Debian packages, and ws from npm; interop/run.sh installs the
// missing ones (ws into a cache outside the repository) and runs the tests:
//
//	bash interop/run.sh
//
// This directory is a Go module of its own, so the library's go.mod and
// its `go test ./...` stay unaware of it.
package interop
