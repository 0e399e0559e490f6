"""Drive a Gornado test server with Python's http.client and report.

Usage: /usr/bin/python3 httpclient_client.py HOST PORT

http.client is close to the wire: one HTTPConnection is one TCP
connection (it reconnects only if the server closed it), it sends exactly
the requests it is asked to, and reads chunked bodies itself. The script
prints one JSON object, {"steps": [...]}, one entry per request, which
the Go test (httpclient_test.go) asserts on.
"""

import hashlib
import http.client
import json
import sys

HOST, PORT = sys.argv[1], int(sys.argv[2])


def main():
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    steps = []

    def do(name, method, path, body=None, headers=None, encode_chunked=False, read_size=None):
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=encode_chunked)
        port = conn.sock.getsockname()[1]
        r = conn.getresponse()
        h = hashlib.sha256()
        n = 0
        reads = 0
        if read_size:
            # Many small reads: http.client walks the chunks piecemeal.
            while True:
                part = r.read(read_size)
                if not part:
                    break
                h.update(part)
                n += len(part)
                reads += 1
            data = None
        else:
            data = r.read()
            h.update(data)
            n = len(data)
        step = {
            "name": name,
            "status": r.status,
            "version": r.version,
            "headers": {k.lower(): v for k, v in r.getheaders()},
            "chunked": r.chunked,
            "will_close": r.will_close,
            "len": n,
            "sha256": h.hexdigest(),
            "reads": reads,
            "local_port": port,
            "closed_after": conn.sock is None,
        }
        if data is not None and r.getheader("Content-Type") == "application/json":
            step["echo"] = json.loads(data)
        elif data is not None and r.getheader("Content-Type") == "text/plain":
            step["text"] = data.decode()
        steps.append(step)

    do("get1", "GET", "/echo?i=1")
    do("get2", "GET", "/echo?i=2", headers={"X-Multi": "a"})
    do("hello", "GET", "/hello")
    body = bytes(range(256)) * 400  # 102400 bytes, with Content-Length
    do("post", "POST", "/echo", body=body, headers={"Content-Type": "application/octet-stream"})
    # http.client sends the body at once but skips interim 1xx responses
    # when reading: the 100 Continue must be a well-formed interim reply.
    do("expect", "POST", "/echo", body=body, headers={"Expect": "100-continue"})
    do("chunked_upload", "POST", "/stream", body=iter([body[:1000], body[1000:50000], body[50000:]]),
       headers={"Content-Type": "application/octet-stream"}, encode_chunked=True)
    do("big", "GET", "/big?size=%d&chunk=50000" % (2 * 1024 * 1024 + 3), read_size=4093)
    do("head", "HEAD", "/hello")
    do("s204", "GET", "/status/204")
    do("s304", "GET", "/status/304?body=1")
    do("get3", "GET", "/echo?i=3")
    # The client asks to close: the server answers with Connection: close
    # and closes; http.client opens a new connection for the next request.
    do("close", "GET", "/echo?i=4", headers={"Connection": "close"})
    do("after_close", "GET", "/echo?i=5")
    conn.close()
    json.dump({"body_sha256": hashlib.sha256(body).hexdigest(), "body_len": len(body), "steps": steps}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
