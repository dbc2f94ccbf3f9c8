"""Drives Python's `websockets` (Debian python3-websockets), a client nobody on this project
wrote, against a Switchboard server's /echo and prints what it observed as JSON lines.

Usage: python3 websockets_client.py ws://host:port
"""
import asyncio
import json
import sys

import websockets


def out(record):
    print(json.dumps(record), flush=True)


async def main(base):
    async with websockets.connect(base + "/echo", compression=None) as ws:
        out({"event": "open"})
        await ws.send("grüße aus python ✓")
        out({"event": "text", "data": await ws.recv()})
        await ws.send(bytes([0, 128, 255]))
        reply = await ws.recv()
        out({"event": "binary", "isBytes": isinstance(reply, bytes), "hex": bytes(reply).hex()})
        await ws.close(code=4001, reason="bye from python")
        out({"event": "close", "code": ws.close_code, "reason": ws.close_reason})


asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=20))
