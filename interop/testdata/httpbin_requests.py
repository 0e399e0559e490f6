"""Drive an httpbin with Python's requests and report what it saw.

Usage: /usr/bin/python3 httpbin_requests.py BASE_URL

One requests.Session does what a user of httpbin does: GET with params,
POST a form, JSON and a file upload, follow redirects (relative and
absolute), keep cookies across requests, Basic auth, a gzip answer
decoded, streamed JSON lines, random bytes, a drip, a delay. It prints
one JSON object; the server's host:port is replaced by HOST, so the
reports of two servers compare as they are (httpbin_test.go).
"""

import hashlib
import json
import sys

import requests

BASE = sys.argv[1].rstrip("/")
HOST = BASE.split("://", 1)[1]


def norm(v):
    """Replace the server's address in every string of v."""
    if isinstance(v, str):
        return v.replace(HOST, "HOST")
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v


def main():
    s = requests.Session()
    s.headers["User-Agent"] = "httpbin-interop"
    rep = {"requests_version": requests.__version__}

    r = s.get(BASE + "/get", params={"a": "1", "b": ["x", "y"], "u": "é&="}, timeout=60)
    j = r.json()
    rep["get"] = {"status": r.status_code, "args": j["args"], "url": j["url"], "method": j["method"],
                  "user_agent": j["headers"]["User-Agent"], "content_type": r.headers["Content-Type"]}

    r = s.post(BASE + "/post", data={"name": "gornado", "tricky": "a&b=c d+e", "empty": ""}, timeout=60)
    j = r.json()
    rep["post_form"] = {"status": r.status_code, "form": j["form"], "data": j["data"], "json": j["json"]}

    body = {"n": 1, "f": 2.5, "s": "é", "l": [True, None, {"k": "v"}]}
    r = s.post(BASE + "/post", json=body, timeout=60)
    j = r.json()
    rep["post_json"] = {"status": r.status_code, "json": j["json"], "roundtrip": j["json"] == body}

    files = {"upload": ("hello.txt", b"hello, file\n", "text/plain"), "other": ("b.bin", b"\x00\x01", "application/octet-stream")}
    r = s.post(BASE + "/post", data={"field": "v"}, files=files, timeout=60)
    j = r.json()
    rep["post_files"] = {"status": r.status_code, "files": j["files"], "form": j["form"]}

    r = s.put(BASE + "/put", data="raw text", headers={"Content-Type": "text/plain"}, timeout=60)
    rep["put_text"] = {"status": r.status_code, "data": r.json()["data"]}
    r = s.delete(BASE + "/delete", timeout=60)
    rep["delete"] = {"status": r.status_code, "method": r.json()["method"]}
    r = s.patch(BASE + "/get", timeout=60)
    rep["patch_get"] = {"status": r.status_code}

    for path in ["/redirect/3", "/absolute-redirect/2", "/redirect/2?absolute=true", "/relative-redirect/2"]:
        r = s.get(BASE + path, timeout=60)
        rep["follow " + path] = {"status": r.status_code, "final": r.url, "history": [h.status_code for h in r.history],
                                 "locations": [h.headers["Location"] for h in r.history]}
    r = s.get(BASE + "/redirect/2", allow_redirects=False, timeout=60)
    rep["no_follow"] = {"status": r.status_code, "location": r.headers["Location"], "is_redirect": r.is_redirect}

    r = s.get(BASE + "/cookies/set", params={"session": "abc123", "theme": "dark"}, timeout=60)
    rep["cookies_set"] = {"status": r.status_code, "cookies": r.json()["cookies"], "jar": dict(sorted(s.cookies.items())),
                          "history": [h.status_code for h in r.history]}
    r = s.get(BASE + "/cookies", timeout=60)
    rep["cookies_sent"] = r.json()
    r = s.get(BASE + "/cookies/delete?theme", timeout=60)
    rep["cookies_deleted"] = {"cookies": r.json()["cookies"], "jar": dict(sorted(s.cookies.items()))}

    r = s.get(BASE + "/basic-auth/alice/s3cret", auth=("alice", "s3cret"), timeout=60)
    rep["auth_ok"] = {"status": r.status_code, "body": r.json()}
    r = s.get(BASE + "/basic-auth/alice/s3cret", auth=("alice", "wrong"), timeout=60)
    rep["auth_bad"] = {"status": r.status_code, "body": r.json(), "challenge": r.headers.get("WWW-Authenticate")}

    r = s.get(BASE + "/gzip", timeout=60)
    j = r.json()  # requests inflates it
    rep["gzip"] = {"status": r.status_code, "encoding": r.headers.get("Content-Encoding"), "gzipped": j["gzipped"],
                   "accept_encoding": j["headers"]["Accept-Encoding"]}

    with s.get(BASE + "/stream/5?x=1", stream=True, timeout=60) as r:
        lines = [json.loads(line) for line in r.iter_lines() if line]
    rep["stream"] = {"status": r.status_code, "ids": [x["id"] for x in lines], "urls": sorted({x["url"] for x in lines}),
                     "transfer_encoding": r.headers.get("Transfer-Encoding")}

    r = s.get(BASE + "/bytes/4096", params={"seed": "99"}, timeout=60)
    rep["bytes"] = {"status": r.status_code, "len": len(r.content), "sha256": hashlib.sha256(r.content).hexdigest(),
                    "content_type": r.headers["Content-Type"]}

    with s.get(BASE + "/drip", params={"duration": "0.2", "delay": "0.05", "numbytes": "4", "code": "200"}, stream=True, timeout=60) as r:
        parts = [c for c in r.iter_content(chunk_size=1)]
    rep["drip"] = {"status": r.status_code, "body": b"".join(parts).decode(), "content_length": r.headers.get("Content-Length"),
                   "server_timing": r.headers.get("Server-Timing")}

    r = s.get(BASE + "/delay/0.1", params={"d": "1"}, timeout=60)
    rep["delay"] = {"status": r.status_code, "server_timing": r.headers.get("Server-Timing"), "args": r.json()["args"]}
    r = s.get(BASE + "/delay/20", timeout=60)
    rep["delay_too_long"] = {"status": r.status_code, "error": r.json()["error"]}

    r = s.get(BASE + "/status/418", timeout=60)
    # The reason phrase is case-folded: net/http says "I'm a teapot",
    # Python's http module (and Gornado, after it) "I'm a Teapot".
    rep["teapot"] = {"status": r.status_code, "text": r.text, "reason": r.reason.lower()}
    r = s.get(BASE + "/response-headers", params={"X-Test": ["1", "2"]}, timeout=60)
    rep["response_headers"] = {"status": r.status_code, "x_test": r.headers.get("X-Test"), "body": r.json()}
    r = s.get(BASE + "/headers", headers={"X-Extra": "e"}, timeout=60)
    rep["headers"] = {k: v for k, v in r.json()["headers"].items() if k in ("X-Extra", "User-Agent", "Host", "Connection")}
    r = s.get(BASE + "/ip", timeout=60)
    rep["ip"] = r.json()
    r = s.get(BASE + "/user-agent", timeout=60)
    rep["user_agent"] = r.json()

    print(json.dumps(norm(rep), sort_keys=True))


if __name__ == "__main__":
    main()
