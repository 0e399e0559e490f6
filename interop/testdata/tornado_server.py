"""A Tornado server for the interop tests of Gornado's HTTP client.

Prints "PORT <n>" once listening on 127.0.0.1, then serves until killed:

  /hello            "Hello, world!"
  /echo             the request as JSON (method, uri, headers, body)
  /chunked?n=N      N chunks, each flushed on its own
  /text             a long text, which compress_response gzips
  /redirect/N       N 302 hops to /echo
  /auth             basic auth alice:s3cret, else 401
  /slow             answers after 30 s
  /conns            how many connections the server has accepted
  /upload           a @stream_request_body handler: bytes and chunks seen
"""
import asyncio
import base64
import hashlib
import json
import sys

import tornado.httpserver
import tornado.netutil
import tornado.web

streams = []  # every connection's stream, kept so none is counted twice


class Base(tornado.web.RequestHandler):
    def prepare(self):
        s = self.request.connection.stream
        if all(s is not x for x in streams):
            streams.append(s)


class Hello(Base):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("Hello, world!")


class Echo(Base):
    def handle(self):
        self.write(json.dumps({
            "method": self.request.method,
            "uri": self.request.uri,
            "headers": {k: v for k, v in self.request.headers.get_all()},
            "body": self.request.body.decode("utf-8", "replace"),
        }))

    get = post = put = patch = delete = options = handle


class Chunked(Base):
    async def get(self):
        for i in range(int(self.get_argument("n", "3"))):
            self.write("chunk %d\n" % i)
            await self.flush()


class Text(Base):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("Tornado gzips this for clients that ask. " * 200)


class Redirect(Base):
    def get(self, n):
        n = int(n)
        self.redirect("/echo" if n <= 1 else "/redirect/%d" % (n - 1))


class Auth(Base):
    def get(self):
        want = "Basic " + base64.b64encode(b"alice:s3cret").decode()
        if self.request.headers.get("Authorization") != want:
            self.set_status(401)
            self.set_header("WWW-Authenticate", 'Basic realm="tornado"')
            return
        self.write("welcome alice")


class Slow(Base):
    async def get(self):
        await asyncio.sleep(30)
        self.write("too late")


class Conns(Base):
    def get(self):
        self.write(str(len(streams)))


@tornado.web.stream_request_body
class Upload(Base):
    def prepare(self):
        super().prepare()
        self.n = 0
        self.chunks = 0
        self.h = hashlib.sha256()

    def data_received(self, chunk):
        self.n += len(chunk)
        self.chunks += 1
        self.h.update(chunk)

    def post(self):
        self.write({"bytes": self.n, "chunks": self.chunks, "sha256": self.h.hexdigest()})

    put = post


async def main():
    app = tornado.web.Application([
        (r"/hello", Hello), (r"/echo", Echo), (r"/chunked", Chunked),
        (r"/text", Text), (r"/redirect/(\d+)", Redirect), (r"/auth", Auth),
        (r"/slow", Slow), (r"/conns", Conns), (r"/upload", Upload),
    ], compress_response=True)
    server = tornado.httpserver.HTTPServer(app)
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    print("PORT %d" % sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
