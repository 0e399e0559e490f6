"""Tornado benchmark server: the canonical hello world on one IOLoop.

Run with Debian's python3-tornado: /usr/bin/python3 tornado_hello.py --addr 127.0.0.1:8087
"""
import argparse
import asyncio
import resource
import signal

import tornado.httpserver
import tornado.ioloop
import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("Hello, world!")


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", default="127.0.0.1:8087")
    args = parser.parse_args()
    host, port = args.addr.rsplit(":", 1)
    raise_nofile()
    app = tornado.web.Application([(r"/", MainHandler)])
    server = tornado.httpserver.HTTPServer(app)
    server.listen(int(port), address=host, backlog=4096)
    print(f"tornado {tornado.version} serving on http://{args.addr}/", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()


if __name__ == "__main__":
    asyncio.run(main())
