// Package iostream is non-blocking byte streams on the loop, and the TCP
// servers and clients built from them: Tornado's iostream, tcpserver,
// tcpclient and netutil.
//
// An IOStream wraps a non-blocking socket registered with an
// ioloop.IOLoop. Reads and writes return futures: ReadUntil, ReadBytes,
// ReadUntilRegex, ReadUntilClose and ReadInto complete when enough data has
// arrived; Write completes when its bytes have been handed to the kernel.
// A read that the buffered data already satisfies completes without a
// syscall; a write tries the socket at once and queues only what the socket
// did not take, and queued data goes out in one writev.
//
//	server := iostream.NewTCPServer(loop, iostream.HandlerFunc(func(s *iostream.IOStream) {
//		gen.Go(loop, func(co *gen.Co) (struct{}, error) {
//			defer s.Close()
//			line, err := gen.Await(co, s.ReadUntil([]byte("\n"), 1024))
//			if err != nil {
//				return struct{}{}, err
//			}
//			_, err = gen.Await(co, s.Write(line)) // echo
//			return struct{}{}, err
//		})
//	}), iostream.ServerConfig{})
//	err := server.Listen("127.0.0.1:8888")
//
// A stream keeps no read buffer while it has nothing buffered, and owns no
// goroutine: an idle connection costs its socket and a small struct.
//
// Every method is loop-only.
package iostream
