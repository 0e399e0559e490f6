"""Chat with examples/chat's application through Tornado's AsyncHTTPClient.

Usage: /usr/bin/python3 chat_tornado.py BASE_URL

GET / and take the _xsrf cookie by hand (AsyncHTTPClient keeps no
cookies), POST a message with its token, start a long-poll fetch of
/a/message/updates from that message, print "polling" and wait for a
line on stdin (read on the executor, so the loop keeps the fetch going),
then POST a second message: the poll's fetch completes with it. Prints
one JSON report.
"""

import http.cookies
import json
import sys
import urllib.parse

import tornado
from tornado.httpclient import AsyncHTTPClient
from tornado.ioloop import IOLoop

BASE = sys.argv[1]
TIMEOUT = 60


async def main():
    client = AsyncHTTPClient()
    report = {"client": "tornado AsyncHTTPClient " + tornado.version}

    page = await client.fetch(BASE + "/", request_timeout=TIMEOUT)
    report["page_has_xsrf_field"] = b'name="_xsrf"' in page.body
    jar = http.cookies.SimpleCookie()
    for h in page.headers.get_list("Set-Cookie"):
        jar.load(h)
    token = jar["_xsrf"].value
    cookie = {"Cookie": "_xsrf=" + token}

    def post(path, **fields):
        return client.fetch(BASE + path, method="POST", headers=cookie,
                            body=urllib.parse.urlencode(fields),
                            request_timeout=TIMEOUT, raise_error=False)

    r = await post("/a/message/new", body="no token")
    report["post_without_token"] = r.code

    r = await post("/a/message/new", body="hello from tornado", _xsrf=token)
    first = json.loads(r.body)
    report["posted"] = {"status": r.code, "message": first}

    polling = post("/a/message/updates", cursor=first["id"], _xsrf=token)
    print("polling", flush=True)
    await IOLoop.current().run_in_executor(None, sys.stdin.readline)

    r = await post("/a/message/new", body="second, while a poll waits", _xsrf=token)
    report["second"] = {"status": r.code, "message": json.loads(r.body)}

    r = await polling
    report["poll"] = {"status": r.code, "messages": json.loads(r.body)["messages"] if r.code == 200 else None}
    print(json.dumps(report), flush=True)


IOLoop.current().run_sync(main)
