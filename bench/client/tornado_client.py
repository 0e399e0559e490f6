"""Tornado's AsyncHTTPClient in the client benchmark (see bench/client.sh).

C coroutines fetch URL in a loop on one asyncio loop, with max_clients=C;
after a warm-up it counts the fetches of D seconds and prints the same
key=value line as the Go clients. --impl simple is Tornado's pure-Python
client (a connection per fetch, as simple_httpclient does), --impl curl the
pycurl-based one (keep-alive).
"""
import argparse
import asyncio
import resource
import time

from tornado.httpclient import AsyncHTTPClient


def memory():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "RssAnon"):
                out[k] = int(v.split()[0])
    return out.get("VmRSS", 0), out.get("VmHWM", 0), out.get("RssAnon", 0)


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def main(args):
    if args.impl == "curl":
        AsyncHTTPClient.configure("tornado.curl_httpclient.CurlAsyncHTTPClient", max_clients=args.c)
    else:
        AsyncHTTPClient.configure(None, max_clients=args.c)
    client = AsyncHTTPClient()
    state = {"stop": False, "n": 0, "errors": 0}

    async def worker():
        while not state["stop"]:
            try:
                r = await client.fetch(args.url, raise_error=False)
                if r.code != 200 or not r.body:
                    state["errors"] += 1
            except Exception:
                state["errors"] += 1
            state["n"] += 1

    tasks = [asyncio.ensure_future(worker()) for _ in range(args.c)]
    await asyncio.sleep(args.warmup)
    n0, e0, t0, c0 = state["n"], state["errors"], time.monotonic(), cpu()
    await asyncio.sleep(args.d)
    n1, e1, secs, c1 = state["n"], state["errors"], time.monotonic() - t0, cpu()
    rss, hwm, anon = memory()
    state["stop"] = True
    await asyncio.gather(*tasks)
    client.close()
    print("impl=tornado-%s requests=%d errors=%d seconds=%.2f rps=%.0f cpu_us_per_req=%.2f rss_kb=%d hwm_kb=%d anon_kb=%d goroutines=1"
          % (args.impl, n1 - n0, e1 - e0, secs, (n1 - n0) / secs, (c1 - c0) * 1e6 / max(n1 - n0, 1), rss, hwm, anon), flush=True)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--impl", choices=["simple", "curl"], default="simple")
    p.add_argument("--url", default="http://127.0.0.1:18184/")
    p.add_argument("--c", type=int, default=50)
    p.add_argument("--d", type=float, default=10)
    p.add_argument("--warmup", type=float, default=2)
    asyncio.run(main(p.parse_args()))
