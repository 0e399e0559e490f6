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
// did not take, and queued data goes out in one writev. (Inside a read
// handler, writes after the first are held and leave together when the
// delivery ends: see SetReadHandler.) Protocols that
// parse what they get use push mode instead (SetReadHandler with a
// ReadHandler, or SetReadHandlerFunc), and Send with OnFlush to write
// without a future per write.
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
// TCPClient connects, resolving names on the loop's executor and racing
// IPv6 against IPv4 ("happy eyeballs") as Tornado does:
//
//	client := iostream.NewTCPClient(loop, iostream.ClientConfig{})
//	stream, err := gen.Await(co, client.Connect("example.com", 443, iostream.ConnectConfig{
//		TLS:     &tls.Config{NextProtos: []string{"http/1.1"}},
//		Timeout: 10 * time.Second,
//	}))
//
// TLS uses crypto/tls: ServerConfig.TLS makes a TCPServer hand over each
// stream once its handshake is done, ConnectConfig.TLS makes Connect
// return one, and StartTLS upgrades an open stream (STARTTLS). A TLS
// stream has the same API as a plain one, and ConnectionState reports the
// negotiated protocol and peer certificates.
//
// Streams own no goroutine, and one with nothing buffered holds no read
// buffer: an idle connection costs its socket and about half a kilobyte of
// heap (a TLS one, some 8 KB more: crypto/tls's state and the buffers it
// keeps after the handshake). A TLS handshake in progress parks a
// coroutine, and so a goroutine, while it waits for the peer.
//
// Errors are values: ErrStreamClosed (in a *StreamClosedError saying
// why), ErrBufferFull, ErrUnsatisfiableRead, ErrAlreadyReading; socket
// errors are *net.OpError wrapping the errno, so errors.Is(err,
// syscall.ECONNREFUSED) works; a timeout matches ioloop.ErrTimeout.
//
// Every method is loop-only.
package iostream
