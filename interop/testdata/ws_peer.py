"""WebSocket peers for Gornado's interop tests: Python websockets and
Tornado, as client or server.

    ws_peer.py client websockets|tornado URL deflate|plain
        sends text and binary messages of 0 B to 16 MiB (some fragmented,
        with websockets), requires each echo to be equal, closes with 1000
        and prints "OK <count>".
    ws_peer.py server websockets|tornado deflate|plain
        serves an echo server on 127.0.0.1, prints "PORT <port>", and runs
        until killed.
"""
import asyncio
import sys

SIZES = [0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20]
MAX = 17 << 20


def payload(n, binary):
    if binary:
        return bytes((i * 7 + (i >> 8)) & 0xFF for i in range(min(n, 65536))) * (n // 65536) + \
            bytes((i * 7 + (i >> 8)) & 0xFF for i in range(n % 65536))
    text = ("Gornado héllo wörld ✓ 𝄞 " * (n // 20 + 1)).encode()[:n]
    return text.decode("utf-8", "ignore")


async def client_websockets(url, deflate):
    import websockets
    count = 0
    async with websockets.connect(url, compression="deflate" if deflate else None, max_size=MAX) as ws:
        ext = ws.response_headers.get("Sec-WebSocket-Extensions", "")
        assert ("permessage-deflate" in ext) == deflate, ext
        for n in SIZES:
            for binary in (False, True):
                msg = payload(n, binary)
                await ws.send(msg)
                got = await ws.recv()
                assert got == msg, (n, binary, len(got))
                count += 1
                if n >= 3:
                    # The same, in three fragments.
                    third = len(msg) // 3
                    await ws.send([msg[:third], msg[third:2 * third], msg[2 * third:]])
                    got = await ws.recv()
                    assert got == msg, ("fragmented", n, binary, len(got))
                    count += 1
        await ws.close(1000, "done")
        assert ws.close_code == 1000, ws.close_code
    print("OK", count)


async def client_tornado(url, deflate):
    from tornado.websocket import websocket_connect
    ws = await websocket_connect(url, compression_options={} if deflate else None, max_message_size=MAX)
    ext = ws.headers.get("Sec-WebSocket-Extensions", "")
    assert ("permessage-deflate" in ext) == deflate, ext
    count = 0
    for n in SIZES:
        for binary in (False, True):
            msg = payload(n, binary)
            await ws.write_message(msg, binary=binary)
            got = await ws.read_message()
            assert got == msg, (n, binary, None if got is None else len(got))
            count += 1
    ws.close(1000, "done")
    assert await ws.read_message() is None
    assert ws.close_code == 1000, ws.close_code
    print("OK", count)


async def server_websockets(deflate):
    import websockets

    async def echo(ws, path=None):
        async for m in ws:
            await ws.send(m)

    async with websockets.serve(echo, "127.0.0.1", 0, compression="deflate" if deflate else None,
                                max_size=MAX) as srv:
        print("PORT", srv.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


async def server_tornado(deflate):
    import tornado.web
    import tornado.websocket

    class Echo(tornado.websocket.WebSocketHandler):
        def get_compression_options(self):
            return {} if deflate else None

        async def on_message(self, m):
            await self.write_message(m, binary=isinstance(m, bytes))

    app = tornado.web.Application([(r"/.*", Echo)], websocket_max_message_size=MAX)
    srv = app.listen(0, "127.0.0.1")
    port = list(srv._sockets.values())[0].getsockname()[1]
    print("PORT", port, flush=True)
    await asyncio.Future()


def main():
    role, peer = sys.argv[1], sys.argv[2]
    if role == "client":
        url, deflate = sys.argv[3], sys.argv[4] == "deflate"
        asyncio.run({"websockets": client_websockets, "tornado": client_tornado}[peer](url, deflate))
    else:
        deflate = sys.argv[3] == "deflate"
        asyncio.run({"websockets": server_websockets, "tornado": server_tornado}[peer](deflate))


if __name__ == "__main__":
    main()
