#!/usr/bin/env python3
"""Scripted SMTP listeners for tests/fleet.sh: many at once, each on an
address of its own, counting the connections they hold at once.

Usage: fleetsrv.py SPECFILE READYFILE STATSFILE
SPECFILE has one listener a line, "ADDRESS MODE"; each listens on a free
port of ADDRESS (127.0.0.0/8 is all loopback on Linux).  When all listen,
READYFILE gets "ADDRESS PORT MODE" lines.  MODE:
  fast       220, then 250 to EHLO and anything else, 221 to QUIT
  silent     accepts, reads, never says anything
  slow       like fast, the greeting 400 ms late (so connections overlap)
  ratelimit  the first connection gets "421 4.7.0 ... too many connections"
             and is closed; the next ones are served like fast
STATSFILE is rewritten after every connection ends: one line per address,
"ADDRESS connections=N peak=M" (M: most connections open at once to that
address, over all its listeners), then "ALL peak=M", and one
"at ADDRESS SECONDS" line per connection accepted (monotonic time).
Runs until killed.
"""
import asyncio
import sys
import time

open_now = {}
peak = {}
total = {}
accepted = []
all_open = [0]
all_peak = [0]


def write_stats(path):
    with open(path + ".tmp", "w") as f:
        for addr in sorted(total):
            f.write("%s connections=%d peak=%d\n" % (addr, total[addr], peak.get(addr, 0)))
        f.write("ALL peak=%d\n" % all_peak[0])
        for addr, t in accepted:
            f.write("at %s %.3f\n" % (addr, t))
    import os
    os.replace(path + ".tmp", path)


def make_handler(addr, mode, statsfile, state):
    async def handle(reader, writer):
        open_now[addr] = open_now.get(addr, 0) + 1
        peak[addr] = max(peak.get(addr, 0), open_now[addr])
        total[addr] = total.get(addr, 0) + 1
        all_open[0] += 1
        all_peak[0] = max(all_peak[0], all_open[0])
        accepted.append((addr, time.monotonic()))
        try:
            await serve(reader, writer, mode, state)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            open_now[addr] -= 1
            all_open[0] -= 1
            try:
                writer.close()
            except Exception:
                pass
            write_stats(statsfile)
    return handle


async def serve(reader, writer, mode, state):
    if mode == "silent":
        while await reader.read(4096):
            pass
        return
    if mode == "slow":
        await asyncio.sleep(0.4)
    if mode == "ratelimit" and state["n"] == 0:
        state["n"] += 1
        writer.write(b"421 4.7.0 mx.test.example Error: too many connections from 127.0.0.1\r\n")
        await writer.drain()
        return
    state["n"] += 1
    writer.write(b"220 mx.test.example ESMTP fleetsrv\r\n")
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            return
        word = line.split(b" ")[0].strip().upper()
        if word == b"EHLO":
            writer.write(b"250-mx.test.example\r\n250 8BITMIME\r\n")
        elif word == b"QUIT":
            writer.write(b"221 2.0.0 Bye\r\n")
            await writer.drain()
            return
        else:
            writer.write(b"250 2.0.0 Ok\r\n")
        await writer.drain()


async def main():
    spec, ready, statsfile = sys.argv[1], sys.argv[2], sys.argv[3]
    lines = []
    for line in open(spec):
        line = line.strip()
        if not line:
            continue
        addr, mode = line.split()
        srv = await asyncio.start_server(make_handler(addr, mode, statsfile, {"n": 0}),
                                         addr, 0, backlog=64)
        port = srv.sockets[0].getsockname()[1]
        lines.append("%s %d %s\n" % (addr, port, mode))
    write_stats(statsfile)
    with open(ready + ".tmp", "w") as f:
        f.writelines(lines)
    import os
    os.replace(ready + ".tmp", ready)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
