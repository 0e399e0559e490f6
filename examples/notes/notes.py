# The notes service of main.go, in Tornado (Debian's python3-tornado), for
# comparing the two: python3 notes.py --port 8888
import asyncio
import json
import signal
import time

import tornado.httpclient
import tornado.ioloop
import tornado.options
import tornado.web
from tornado.options import define, options

define("port", default=8888)
define("quote_url", default="")


class Store:
    def __init__(self):
        self.next, self.notes = 0, {}

    def add(self, owner, text):
        self.next += 1
        note = dict(id=self.next, owner=owner, text=text, created=time.time())
        self.notes[note["id"]] = note
        return note

    def mine(self, owner):
        return [n for n in self.notes.values() if n["owner"] == owner]

    def prune(self, before):
        for nid in [i for i, n in self.notes.items() if n["created"] < before]:
            del self.notes[nid]


class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, store):
        self.store = store

    def get_current_user(self):
        user = self.get_secure_cookie("user")
        return user.decode() if user else None


class LoginHandler(BaseHandler):
    def get(self):
        self.render("login.html")

    def post(self):
        self.set_secure_cookie("user", self.get_argument("name"))
        self.redirect("/")


class IndexHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self):
        self.render("index.html", notes=self.store.mine(self.current_user))

    @tornado.web.authenticated
    def post(self):
        self.store.add(self.current_user, self.get_argument("text"))
        self.redirect("/")


class APIHandler(BaseHandler):
    def check_xsrf_cookie(self):
        pass

    @tornado.web.authenticated
    def get(self, nid):
        if not nid:
            return self.write(json.dumps(self.store.mine(self.current_user)))
        note = self.store.notes.get(int(nid))
        if not note or note["owner"] != self.current_user:
            raise tornado.web.HTTPError(404, "no note %s", nid)
        self.write(note)

    @tornado.web.authenticated
    def post(self, nid):
        try:
            text = json.loads(self.request.body)["text"]
        except (ValueError, KeyError):
            raise tornado.web.HTTPError(400, "want {'text': ...}")
        self.set_status(201)
        self.write(self.store.add(self.current_user, text))


class QuoteHandler(BaseHandler):
    async def get(self):
        try:
            resp = await tornado.httpclient.AsyncHTTPClient().fetch(options.quote_url)
        except Exception as e:
            raise tornado.web.HTTPError(502, "quote source: %s", e)
        self.write({"quote": resp.body.decode()})


class SourceHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Simple is better than complex.")


async def main():
    tornado.options.parse_command_line()
    options.quote_url = options.quote_url or "http://127.0.0.1:%d/quote-source" % options.port
    store = Store()
    app = tornado.web.Application([
        (r"/", IndexHandler, dict(store=store)),
        (r"/login", LoginHandler, dict(store=store)),
        (r"/api/notes/?([0-9]*)", APIHandler, dict(store=store)),
        (r"/api/quote", QuoteHandler, dict(store=store)),
        (r"/quote-source", SourceHandler),
    ], cookie_secret="change me", xsrf_cookies=True, login_url="/login", template_path="templates_tornado")
    server = app.listen(options.port, "127.0.0.1")
    tornado.ioloop.PeriodicCallback(lambda: store.prune(time.time() - 86400), 60000).start()
    print("Notes on http://127.0.0.1:%d/" % options.port, flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()
    await server.close_all_connections()


if __name__ == "__main__":
    asyncio.run(main())
