"""Tornado web framework benchmark server: the three endpoints of
bench/web.sh on one IOLoop, logging off.

    /plaintext  "Hello, world!" as text/plain
    /json       self.write(dict) -> {"message": "Hello, world!"}
    /template   self.render of the same page as gornado_web and nethttp_web
                (a title and 10 items), a Tornado template

Run with Debian's python3-tornado: /usr/bin/python3 tornado_web.py --addr 127.0.0.1:18097
"""
import argparse
import asyncio
import logging
import resource
import signal

import tornado.httpserver
import tornado.template
import tornado.web

BODY = "Hello, world!"
TITLE = "Gornado benchmark"
ITEMS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten & <more>"]

# The page of bench/servers/gornado_web/templates/page.html in Tornado's
# template language (autoescaped by default), whitespace as html/template
# leaves it there.
PAGE = """<!DOCTYPE html>
<html>
<head><title>{{ title }}</title></head>
<body>
<h1>{{ title }}</h1>
<ul>{% for item in items %}
<li>{{ item }}</li>{% end %}
</ul>
</body>
</html>
"""


class PlaintextHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write(BODY)


class JSONHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"message": BODY})


class TemplateHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("page.html", title=TITLE, items=ITEMS)


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", default="127.0.0.1:18097")
    args = parser.parse_args()
    host, port = args.addr.rsplit(":", 1)
    raise_nofile()
    # Access log off, as in the Go servers (Tornado logs every request at
    # INFO on tornado.access; nothing is configured, but be explicit).
    logging.getLogger("tornado.access").disabled = True
    app = tornado.web.Application(
        [
            (r"/plaintext", PlaintextHandler),
            (r"/json", JSONHandler),
            (r"/template", TemplateHandler),
        ],
        template_loader=tornado.template.DictLoader({"page.html": PAGE}, whitespace="all"),
        log_function=lambda handler: None,
    )
    server = tornado.httpserver.HTTPServer(app)
    server.listen(int(port), address=host, backlog=4096)
    print(f"tornado {tornado.version} web serving on http://{args.addr}/", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()


if __name__ == "__main__":
    asyncio.run(main())
