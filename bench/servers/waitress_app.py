"""The WSGI counterpart of bench/servers/nethttp_waitress on Waitress
(Debian's python3-waitress), for bench/nethttp.sh.

    python3 waitress_app.py --addr 127.0.0.1:18105 --threads 4

/ says "Hello, world!"; /sleep sleeps 10 ms first (a database call).
connection_limit is raised to 10000 (Waitress's 100 would cap c1000) and
the poll() loop is used (select() cannot watch descriptors past 1023).
"""
import argparse
import signal
import sys
import time

import waitress

BODY = b"Hello, world!"
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    if environ["PATH_INFO"] == "/sleep":
        time.sleep(0.01)
    start_response("200 OK", HEADERS)
    return [BODY]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", default="127.0.0.1:18105")
    p.add_argument("--threads", type=int, default=4)
    a = p.parse_args()
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    waitress.serve(app, listen=a.addr, threads=a.threads, connection_limit=10000,
                   asyncore_use_poll=True, backlog=2048, _quiet=True)


if __name__ == "__main__":
    main()
