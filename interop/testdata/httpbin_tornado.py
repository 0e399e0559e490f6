"""Drive an httpbin with Tornado's own AsyncHTTPClient and report.

Usage: /usr/bin/python3 httpbin_tornado.py BASE_URL

Tornado's client (simple_httpclient, on asyncio) fetches many endpoints
concurrently: a batch of /get and /delay requests in flight at once, a
JSON POST, a gzip answer it inflates, a streamed /stream and /drip read
through streaming_callback, Basic auth, redirects it follows, error
statuses, random bytes. It prints one JSON object; the server's
host:port is replaced by HOST, so two servers' reports compare as they are
(httpbin_test.go).
"""

import asyncio
import hashlib
import json
import sys

import tornado
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

BASE = sys.argv[1].rstrip("/")
HOST = BASE.split("://", 1)[1]


def norm(v):
    if isinstance(v, str):
        return v.replace(HOST, "HOST")
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v


async def main():
    client = AsyncHTTPClient(max_clients=20)
    rep = {"tornado_version": tornado.version}

    def req(path, **kw):
        kw.setdefault("request_timeout", 60)
        kw.setdefault("user_agent", "httpbin-tornado")
        return client.fetch(HTTPRequest(BASE + path, **kw), raise_error=False)

    # Ten /get and five /delay in flight together.
    gets = [req("/get?i=%d" % i) for i in range(10)]
    delays = [req("/delay/0.2?n=%d" % i) for i in range(5)]
    responses = await asyncio.gather(*gets, *delays)
    rep["concurrent_get"] = [
        {"code": r.code, "i": json.loads(r.body)["args"]["i"], "url": json.loads(r.body)["url"]} for r in responses[:10]
    ]
    rep["concurrent_delay"] = [
        {"code": r.code, "n": json.loads(r.body)["args"]["n"], "timing": r.headers.get("Server-Timing")} for r in responses[10:]
    ]

    body = {"tornado": True, "list": [1, 2.5, "three"], "nested": {"k": None}}
    r = await req("/post", method="POST", body=json.dumps(body), headers={"Content-Type": "application/json"})
    rep["post_json"] = {"code": r.code, "json": json.loads(r.body)["json"]}
    r = await req("/put", method="PUT", body="a=1&b=2&a=3", headers={"Content-Type": "application/x-www-form-urlencoded"})
    rep["put_form"] = {"code": r.code, "form": json.loads(r.body)["form"]}
    r = await req("/delete", method="DELETE")
    rep["delete"] = {"code": r.code, "method": json.loads(r.body)["method"]}
    r = await req("/anything/x?y=z", method="PATCH", body="patched", headers={"Content-Type": "text/plain"})
    j = json.loads(r.body)
    rep["anything"] = {"code": r.code, "method": j["method"], "data": j["data"], "url": j["url"]}

    r = await req("/gzip")
    j = json.loads(r.body)  # decompress_response inflates it
    rep["gzip"] = {"code": r.code, "gzipped": j["gzipped"], "accept_encoding": j["headers"].get("Accept-Encoding")}

    chunks = []
    r = await req("/stream/4", streaming_callback=chunks.append)
    lines = [json.loads(l) for l in b"".join(chunks).splitlines() if l]
    rep["stream"] = {"code": r.code, "ids": [x["id"] for x in lines], "chunked": r.headers.get("Transfer-Encoding")}

    drip = []
    r = await req("/drip?duration=0.1&delay=0&numbytes=5", streaming_callback=drip.append)
    rep["drip"] = {"code": r.code, "body": b"".join(drip).decode(), "content_length": r.headers.get("Content-Length")}

    r = await req("/basic-auth/bob/pw", auth_username="bob", auth_password="pw")
    rep["auth_ok"] = {"code": r.code, "body": json.loads(r.body)}
    r = await req("/basic-auth/bob/pw", auth_username="bob", auth_password="nope")
    rep["auth_bad"] = {"code": r.code, "body": json.loads(r.body)}

    r = await req("/redirect/3")
    rep["redirect"] = {"code": r.code, "effective_url": r.effective_url}
    r = await req("/absolute-redirect/2")
    rep["absolute_redirect"] = {"code": r.code, "effective_url": r.effective_url}
    r = await req("/redirect/2", follow_redirects=False)
    rep["redirect_not_followed"] = {"code": r.code, "location": r.headers.get("Location")}

    statuses = await asyncio.gather(*[req("/status/%d" % c) for c in (200, 201, 400, 404, 418, 500, 503)])
    rep["statuses"] = [r.code for r in statuses]
    r = await req("/status/abc")
    rep["bad_status"] = {"code": r.code, "error": json.loads(r.body)["error"]}

    r = await req("/bytes/1024?seed=5")
    rep["bytes"] = {"code": r.code, "len": len(r.body), "sha256": hashlib.sha256(r.body).hexdigest()}
    r = await req("/cookies", headers={"Cookie": "t=1; u=two"})
    rep["cookies"] = json.loads(r.body)
    r = await req("/cookies/set?k=v", follow_redirects=False)
    rep["cookies_set"] = {"code": r.code, "set_cookie": r.headers.get_list("Set-Cookie"), "location": r.headers.get("Location")}
    r = await req("/response-headers?X-Tornado=yes")
    rep["response_headers"] = {"code": r.code, "x_tornado": r.headers.get("X-Tornado")}
    r = await req("/user-agent")
    rep["user_agent"] = json.loads(r.body)

    print(json.dumps(norm(rep), sort_keys=True))


if __name__ == "__main__":
    asyncio.run(main())
