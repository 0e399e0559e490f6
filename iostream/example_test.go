package iostream_test

import (
	"fmt"
	"net"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// An echo server and a client of it, on one loop.
func Example() {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		panic(err)
	}
	defer loop.Close()

	server := iostream.NewTCPServer(loop, iostream.HandlerFunc(func(s *iostream.IOStream) {
		gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			defer s.Close()
			for {
				line, err := gen.Await(co, s.ReadUntil([]byte("\n"), 1024))
				if err != nil {
					return struct{}{}, nil // the client closed
				}
				if _, err := gen.Await(co, s.Write(line)); err != nil {
					return struct{}{}, err
				}
			}
		})
	}), iostream.ServerConfig{})
	if err := server.Listen("127.0.0.1:0"); err != nil {
		panic(err)
	}
	defer server.Stop()
	port := server.Addrs()[0].(*net.TCPAddr).Port

	reply, err := gen.RunSync(loop, func(co *gen.Co) (string, error) {
		client := iostream.NewTCPClient(loop, iostream.ClientConfig{})
		s, err := gen.Await(co, client.Connect("127.0.0.1", port, iostream.ConnectConfig{}))
		if err != nil {
			return "", err
		}
		defer s.Close()
		s.Write([]byte("hello\n"))
		line, err := gen.Await(co, s.ReadUntil([]byte("\n"), 1024))
		return string(line), err
	}, 0)
	fmt.Printf("%q %v\n", reply, err)
	// Output: "hello\n" <nil>
}

// Push mode: a read handler parses what arrives and says how much it
// consumed; the rest is offered again with what follows.
func ExampleIOStream_SetReadHandlerFunc() {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		panic(err)
	}
	defer loop.Close()
	lines := make(chan string, 3)
	server := iostream.NewTCPServer(loop, iostream.HandlerFunc(func(s *iostream.IOStream) {
		s.SetReadHandlerFunc(func(data []byte) int {
			for i, b := range data {
				if b == '\n' {
					lines <- string(data[:i])
					return i + 1
				}
			}
			return 0 // an incomplete line: wait for more
		})
	}), iostream.ServerConfig{})
	if err := server.Listen("127.0.0.1:0"); err != nil {
		panic(err)
	}
	defer server.Stop()

	gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		c := iostream.NewTCPClient(loop, iostream.ClientConfig{})
		port := server.Addrs()[0].(*net.TCPAddr).Port
		s, err := gen.Await(co, c.Connect("127.0.0.1", port, iostream.ConnectConfig{}))
		if err != nil {
			return struct{}{}, err
		}
		defer s.Close()
		s.Send([]byte("one\ntw"))
		s.Send([]byte("o\nthree\n"))
		for len(lines) < 3 {
			gen.Moment(co)
		}
		return struct{}{}, nil
	}, 0)
	server.CloseConnections()
	close(lines)
	for l := range lines {
		fmt.Println(l)
	}
	// Output:
	// one
	// two
	// three
}
