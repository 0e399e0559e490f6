"""Drive a Gornado test server with python-requests and report what happened.

Usage: /usr/bin/python3 requests_client.py BASE_URL

Prints one JSON object: for each step, what requests saw (status, headers
that matter, the server's echo, hashes). The Go test (requests_test.go)
asserts on it; this script only fails on its own errors (connection
refused, a non-JSON echo...), with a traceback on stderr and exit 1.
"""

import hashlib
import json
import sys

import requests

BASE = sys.argv[1]


def pool_connections(session):
    """How many TCP connections urllib3 opened for BASE so far."""
    pool = session.get_adapter(BASE).poolmanager.connection_from_url(BASE)
    return pool.num_connections


def echo_of(resp):
    resp.raise_for_status()
    return resp.json()


def main():
    out = {"requests_version": requests.__version__}
    s = requests.Session()
    s.trust_env = False  # no proxy from the environment

    # GET with params, twice: one kept-alive connection.
    r = s.get(BASE + "/echo", params={"a": "1", "b": "two words", "c": ["x", "y"], "u": "é&="})
    out["get_params"] = {
        "status": r.status_code,
        "content_type": r.headers.get("Content-Type"),
        "echo": echo_of(r),
    }
    r = s.get(BASE + "/hello")
    out["hello"] = {"status": r.status_code, "text": r.text, "connection": r.headers.get("Connection")}

    # POST form.
    form = {"name": "gornado", "tricky": "a&b=c d+e", "empty": ""}
    r = s.post(BASE + "/echo", data=form)
    out["post_form"] = {"status": r.status_code, "echo": echo_of(r), "sent": r.request.body}

    # POST JSON.
    doc = {"list": [1, 2, 3], "nested": {"k": "v", "unicode": "\u2603"}, "none": None}
    r = s.post(BASE + "/echo", json=doc)
    e = echo_of(r)
    out["post_json"] = {
        "status": r.status_code,
        "echo": e,
        "roundtrip_equal": json.loads(e["body"]) == doc,
    }

    # Chunked upload from a generator body, buffered and streamed.
    def gen_body(n_chunks, size):
        for i in range(n_chunks):
            yield bytes([(i * 7 + j) % 251 for j in range(size)])

    expected = hashlib.sha256(b"".join(gen_body(50, 10000))).hexdigest()
    out["chunked_expected_sha256"] = expected
    out["chunked_expected_len"] = 50 * 10000
    for path in ("/echo", "/stream"):
        r = s.post(BASE + path, data=gen_body(50, 10000), headers={"Content-Type": "application/octet-stream"})
        out["chunked_upload" + path.replace("/", "_")] = {
            "status": r.status_code,
            "sent_transfer_encoding": r.request.headers.get("Transfer-Encoding"),
            "echo": echo_of(r),
        }

    # HEAD, 204, 304 on the same connection, then a large chunked
    # response read as a stream.
    r = s.head(BASE + "/hello")
    out["head"] = {"status": r.status_code, "content_length": r.headers.get("Content-Length"), "body_len": len(r.content)}
    r = s.get(BASE + "/status/204")
    out["status_204"] = {"status": r.status_code, "body_len": len(r.content)}
    r = s.get(BASE + "/status/304")
    out["status_304"] = {"status": r.status_code, "body_len": len(r.content), "etag": r.headers.get("ETag")}

    size = 3 * 1024 * 1024 + 5
    r = s.get(BASE + "/big", params={"size": size, "chunk": 65536}, stream=True)
    h = hashlib.sha256()
    n = 0
    for part in r.iter_content(chunk_size=100000):
        h.update(part)
        n += len(part)
    out["big"] = {
        "status": r.status_code,
        "transfer_encoding": r.headers.get("Transfer-Encoding"),
        "len": n,
        "sha256": h.hexdigest(),
        "size": size,
    }

    # A last echo: still the first connection?
    out["last"] = {"echo": echo_of(s.get(BASE + "/echo"))}
    out["pool_connections"] = pool_connections(s)
    s.close()
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
