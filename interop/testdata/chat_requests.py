"""Chat with examples/chat's application through python-requests.

Usage: /usr/bin/python3 chat_requests.py BASE_URL

As the page's script would: GET / (which sets the _xsrf cookie), POST a
message with the cookie's token in the _xsrf field, then long-poll
/a/message/updates from that message in a thread while the main thread
posts a second one. It prints "polling" once the poll is sent and waits
for a line on stdin before posting, so the Go test (chat_test.go) can
check that the poll really waits in the room. Then it prints one JSON
report.
"""

import json
import sys
import threading

import requests

BASE = sys.argv[1]
TIMEOUT = 60


def main():
    report = {"client": "python-requests " + requests.__version__}
    s = requests.Session()
    page = s.get(BASE + "/", timeout=TIMEOUT)
    page.raise_for_status()
    report["page_has_xsrf_field"] = 'name="_xsrf"' in page.text
    token = s.cookies["_xsrf"]

    r = s.post(BASE + "/a/message/new", data={"body": "no token"}, timeout=TIMEOUT)
    report["post_without_token"] = r.status_code

    r = s.post(BASE + "/a/message/new", data={"body": "hello from requests", "_xsrf": token}, timeout=TIMEOUT)
    report["posted"] = {"status": r.status_code, "message": r.json()}
    cursor = r.json()["id"]

    poll = {}

    def long_poll():
        p = requests.Session()
        p.cookies.update(s.cookies)
        r = p.post(BASE + "/a/message/updates", data={"cursor": cursor, "_xsrf": token}, timeout=TIMEOUT)
        poll["status"] = r.status_code
        poll["messages"] = r.json().get("messages") if r.status_code == 200 else None

    t = threading.Thread(target=long_poll)
    t.start()
    print("polling", flush=True)
    sys.stdin.readline()

    r = s.post(BASE + "/a/message/new", data={"body": "second, while a poll waits", "_xsrf": token}, timeout=TIMEOUT)
    report["second"] = {"status": r.status_code, "message": r.json()}
    t.join(TIMEOUT)
    report["poll"] = poll
    print(json.dumps(report), flush=True)


main()
