"""Tornado WebSocket echo server of the benchmarks, on one IOLoop.

A WebSocketHandler with Tornado's defaults (no compression, no pings) that
writes every message back, text or binary. SIGUSR2 runs gc.collect(), the
chance to shed garbage that the Go servers get from debug.FreeOSMemory.

Run with Debian's python3-tornado: /usr/bin/python3 tornado_ws.py --addr 127.0.0.1:18186
"""
import argparse
import asyncio
import gc
import resource
import signal

import tornado.httpserver
import tornado.web
import tornado.websocket


class EchoHandler(tornado.websocket.WebSocketHandler):
    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", default="127.0.0.1:18186")
    args = parser.parse_args()
    host, port = args.addr.rsplit(":", 1)
    raise_nofile()
    app = tornado.web.Application([(r"/.*", EchoHandler)])
    server = tornado.httpserver.HTTPServer(app)
    server.listen(int(port), address=host, backlog=4096)
    print(f"tornado {tornado.version} websocket serving on ws://{args.addr}/", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGUSR2, gc.collect)
    await stop.wait()
    server.stop()


if __name__ == "__main__":
    asyncio.run(main())
