#!/usr/bin/python3
"""Tornado counterparts of Gornado's Go micro-benchmarks.

Run with Debian's python3-tornado:  /usr/bin/python3 bench/tornado_micro.py

Each benchmark does what the Go benchmark of the same name does (see
ioloop/bench_test.go and gen/bench_test.go), through Tornado's public API on
its asyncio-based IOLoop, checks its own count, and prints one line

    name ns_per_op

with the median of REPEAT runs (env TORNADO_MICRO_REPEAT, default 5).
TORNADO_MICRO_SCALE (default 1.0) scales the operation counts; the timer
benchmark always uses rounds of 2**20 timers (fewer if the scaled count is
smaller). Lines starting with '#' are comments.
"""

import asyncio
import os
import statistics
import sys
import threading
import time

import tornado
from tornado.concurrent import Future
from tornado.ioloop import IOLoop

BATCH = 1024
REPEAT = int(os.environ.get("TORNADO_MICRO_REPEAT", "5"))
SCALE = float(os.environ.get("TORNADO_MICRO_SCALE", "1.0"))


def n_of(base):
    return max(BATCH, int(base * SCALE))


def check(ok, what):
    if not ok:
        raise SystemExit("tornado_micro: check failed: " + what)


async def add_callback(n):
    """AddCallback: a driver callback queues BATCH callbacks, then itself."""
    io = IOLoop.current()
    done = Future()
    ran = added = 0

    def cb():
        nonlocal ran
        ran += 1

    def drive():
        nonlocal added
        if added == n:
            done.set_result(None)
            return
        k = min(BATCH, n - added)
        for _ in range(k):
            io.add_callback(cb)
        added += k
        io.add_callback(drive)

    t0 = time.perf_counter_ns()
    io.add_callback(drive)
    await done
    dt = time.perf_counter_ns() - t0
    check(ran == n, "add_callback count")
    return dt / n


async def add_callback_chain(n):
    """AddCallbackChain: one callback per iteration, re-adding itself."""
    io = IOLoop.current()
    done = Future()
    ran = 0

    def cb():
        nonlocal ran
        ran += 1
        if ran < n:
            io.add_callback(cb)
        else:
            done.set_result(None)

    t0 = time.perf_counter_ns()
    io.add_callback(cb)
    await done
    dt = time.perf_counter_ns() - t0
    check(ran == n, "chain count")
    return dt / n


async def add_callback_from_thread(n):
    """AddCallbackFromGoroutine: another thread adds n callbacks."""
    io = IOLoop.current()
    done = Future()
    ran = 0
    ok = []

    def cb():
        nonlocal ran
        ran += 1

    def finish():
        ok.append(ran == n)
        done.set_result(None)

    def producer():
        for _ in range(n):
            io.add_callback(cb)
        io.add_callback(finish)

    t0 = time.perf_counter_ns()
    th = threading.Thread(target=producer)
    th.start()
    await done
    dt = time.perf_counter_ns() - t0
    th.join()
    check(ok == [True], "cross-thread count")
    return dt / n


def timer_delays(k, lo, spread):
    """The Go benchmark's xorshift delays, in seconds."""
    x = 0x9E3779B97F4A7C15
    mask = (1 << 64) - 1
    out = []
    for _ in range(k):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        out.append((lo + x % spread) / 1e9)
    return out


async def timers(n, batch, lo, spread):
    """Timer: rounds of `batch` call_later, remove_timeout on every other
    one right after, the other half fire; next round when they have."""
    io = IOLoop.current()
    done = Future()
    delays = timer_delays(min(batch, n), lo, spread)
    st = {"scheduled": 0, "fired": 0, "want": 0}

    def fire():
        st["fired"] += 1
        if st["fired"] == st["want"]:
            if st["scheduled"] == n:
                done.set_result(None)
            else:
                io.add_callback(round_)

    def round_():
        k = min(len(delays), n - st["scheduled"])
        handles = [io.call_later(delays[i], fire) for i in range(k)]
        for i in range(1, k, 2):
            io.remove_timeout(handles[i])
        st["scheduled"] += k
        st["want"] += (k + 1) // 2

    t0 = time.perf_counter_ns()
    io.add_callback(round_)
    await done
    dt = time.perf_counter_ns() - t0
    check(st["scheduled"] == n and st["fired"] == st["want"], "timer counts")
    return dt / n


async def timer_1m(n):
    return await timers(n, 1 << 20, 0, 1_000_000)


async def timer_small_heap(n):
    # Tornado clamps negative delays to 0 (BaseAsyncIOLoop.call_at), so
    # these all get "now" as deadline: due at once, as in the Go version.
    return await timers(n, BATCH, -1_000_000, 1_000_000)


async def await_done(n):
    """AwaitDone: await of a done future in one coroutine."""
    f = Future()
    f.set_result(1)
    s = 0
    t0 = time.perf_counter_ns()
    for _ in range(n):
        s += await f
    dt = time.perf_counter_ns() - t0
    check(s == n, "await_done sum")
    return dt / n


async def spawn(n, start, coro_fn):
    """GoNoSuspend / GoSuspendOnce: a driver callback starts BATCH
    coroutines per iteration; the next batch starts once all are done."""
    io = IOLoop.current()
    done = Future()
    st = {"issued": 0, "ran": 0, "bad": 0}
    tasks = []

    def drive():
        # Coroutines that suspend may not be done yet: look again in the
        # next iteration.
        if st["ran"] < st["issued"]:
            io.add_callback(drive)
            return
        for t in tasks:
            if t is not None and t.result() != 1:
                st["bad"] += 1
        tasks.clear()
        if st["issued"] == n:
            done.set_result(None)
            return
        k = min(BATCH, n - st["issued"])
        for _ in range(k):
            tasks.append(start(coro_fn, st))
        st["issued"] += k
        io.add_callback(drive)

    t0 = time.perf_counter_ns()
    io.add_callback(drive)
    await done
    dt = time.perf_counter_ns() - t0
    check(st["ran"] == n and st["bad"] == 0, "spawn count")
    return dt / n


async def never_suspends(st):
    st["ran"] += 1
    return 1


async def suspends_once(st):
    await asyncio.sleep(0)  # one trip through the loop, like gen.Moment
    st["ran"] += 1
    return 1


def start_task(coro_fn, st):
    return asyncio.ensure_future(coro_fn(st))


def start_spawn_callback(coro_fn, st):
    IOLoop.current().spawn_callback(coro_fn, st)
    return None  # spawn_callback gives no future; drive counts st["ran"]


async def go_no_suspend_ensure_future(n):
    return await spawn(n, start_task, never_suspends)


async def go_no_suspend_spawn_callback(n):
    # spawn_callback(coro_fn) is add_callback: the coroutine starts one
    # iteration later as a Task, whose first step is one more call_soon.
    return await spawn(n, start_spawn_callback, never_suspends)


async def go_suspend_once(n):
    return await spawn(n, start_task, suspends_once)


async def await_suspend(n):
    """AwaitSuspend: await a pending future that a callback completes."""
    io = IOLoop.current()
    cur = None

    def complete():
        cur.set_result(1)

    s = 0
    t0 = time.perf_counter_ns()
    for _ in range(n):
        cur = Future()
        io.add_callback(complete)
        s += await cur
    dt = time.perf_counter_ns() - t0
    check(s == n, "await_suspend sum")
    return dt / n


async def await_ping_pong(n):
    """AwaitPingPong: two coroutines complete each other's futures."""
    st = {"ping": Future(), "pong": None, "got": 0}

    async def b():
        for _ in range(n):
            v = await st["ping"]
            st["ping"] = Future()
            st["pong"].set_result(v)

    async def a():
        for i in range(n):
            st["pong"] = Future()
            st["ping"].set_result(i)
            v = await st["pong"]
            check(v == i, "ping-pong value")
            st["got"] += 1

    t0 = time.perf_counter_ns()
    tb = asyncio.ensure_future(b())
    ta = asyncio.ensure_future(a())
    await ta
    await tb
    dt = time.perf_counter_ns() - t0
    check(st["got"] == n, "ping-pong count")
    return dt / n


def work():
    return 1


async def executor(n, in_flight):
    """RunInExecutor(64): run_in_executor round trips, in_flight at a
    time, each completion (a done callback) submitting the next."""
    io = IOLoop.current()
    done = Future()
    st = {"issued": 0, "completed": 0, "sum": 0}

    def submit():
        st["issued"] += 1
        fut = io.run_in_executor(None, work)
        fut.add_done_callback(completed)

    def completed(fut):
        st["sum"] += fut.result()
        st["completed"] += 1
        if st["completed"] == n:
            done.set_result(None)
            return
        if st["issued"] < n:
            submit()

    # Start the executor's threads before timing.
    await io.run_in_executor(None, work)
    t0 = time.perf_counter_ns()
    for _ in range(min(in_flight, n)):
        submit()
    await done
    dt = time.perf_counter_ns() - t0
    check(st["sum"] == n, "executor sum")
    return dt / n


async def executor_seq(n):
    return await executor(n, 1)


async def executor_64(n):
    return await executor(n, 64)


async def await_executor(n):
    """AwaitExecutor: a coroutine awaits run_in_executor, one at a time."""
    io = IOLoop.current()
    await io.run_in_executor(None, work)
    s = 0
    t0 = time.perf_counter_ns()
    for _ in range(n):
        s += await io.run_in_executor(None, work)
    dt = time.perf_counter_ns() - t0
    check(s == n, "await_executor sum")
    return dt / n


# name (as the Go benchmark), function, operation count at scale 1.
BENCHMARKS = [
    ("AddCallback", add_callback, 500_000),
    ("AddCallbackChain", add_callback_chain, 300_000),
    ("AddCallbackFromGoroutine", add_callback_from_thread, 300_000),
    ("Timer", timer_1m, 1 << 20),
    ("TimerSmallHeap", timer_small_heap, 300_000),
    ("AwaitDone", await_done, 2_000_000),
    ("GoNoSuspend", go_no_suspend_ensure_future, 200_000),
    ("GoNoSuspendSpawnCallback", go_no_suspend_spawn_callback, 200_000),
    ("GoSuspendOnce", go_suspend_once, 100_000),
    ("AwaitSuspend", await_suspend, 200_000),
    ("AwaitPingPong", await_ping_pong, 100_000),
    ("RunInExecutor", executor_seq, 20_000),
    ("RunInExecutor64", executor_64, 100_000),
    ("AwaitExecutor", await_executor, 20_000),
]


async def main(names):
    print("# tornado %s, python %s, %d runs each, median"
          % (tornado.version, sys.version.split()[0], REPEAT))
    for name, fn, base in BENCHMARKS:
        if names and name not in names:
            continue
        # The 1M-timer benchmark is slow in Python: fewer runs of it.
        runs = REPEAT if name != "Timer" else max(1, min(REPEAT, 3))
        results = [await fn(n_of(base)) for _ in range(runs)]
        print("%s %.1f" % (name, statistics.median(results)), flush=True)


if __name__ == "__main__":
    io = IOLoop()
    io.run_sync(lambda: main(set(sys.argv[1:])))
    io.close(all_fds=True)
