// Package interop holds Gornado's interoperability tests: each test starts a
// Gornado server in-process (or one of the examples as a program) and drives
// it with a real peer that no one here wrote, run through os/exec: curl,
// Python's requests and http.client, and ApacheBench.
//
// The peers are Debian packages; interop/run.sh installs the missing ones
// and runs the tests:
//
//	bash interop/run.sh
//
// This directory is a Go module of its own, so the library's go.mod and
// its `go test ./...` stay unaware of it.
package interop
