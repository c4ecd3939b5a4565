#!/usr/bin/env python3
"""A scripted plain SMTP server for tests/serve.sh: many connections at
once, each greeted after DELAY seconds, EHLO without STARTTLS, QUIT; it
counts the connections it accepted.

Usage: slowsmtp.py DELAY PORTFILE COUNTFILE [PEAKFILE]
Listens on 127.0.0.1 (a free port, written to PORTFILE); after each
accepted connection, COUNTFILE holds the number accepted so far, and
PEAKFILE (if given) the most connections that were open at once.
Runs until killed.
"""
import socket
import sys
import threading
import time

LOCK = threading.Lock()
OPEN = [0, 0]  # open now, most open at once


def put(path, n):
    import os
    with open(path + ".tmp", "w") as f:
        f.write(str(n))
    os.replace(path + ".tmp", path)


def serve(conn, delay):
    try:
        conn.settimeout(30)
        time.sleep(delay)
        conn.sendall(b"220 slow.test.example ESMTP scripted\r\n")
        buf = b""
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
            while b"\r\n" in buf:
                line, buf = buf.split(b"\r\n", 1)
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.sendall(b"250-slow.test.example\r\n250 PIPELINING\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 2.0.0 Bye\r\n")
                    return
                else:
                    conn.sendall(b"502 5.5.1 Not implemented\r\n")
    except OSError:
        pass
    finally:
        conn.close()
        with LOCK:
            OPEN[0] -= 1


def main():
    delay, portfile, countfile = float(sys.argv[1]), sys.argv[2], sys.argv[3]
    peakfile = sys.argv[4] if len(sys.argv) > 4 else None
    if peakfile:
        put(peakfile, 0)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(512)
    with open(countfile, "w") as f:
        f.write("0")
    with open(portfile, "w") as f:
        f.write(str(srv.getsockname()[1]))
    n = 0
    while True:
        conn, _ = srv.accept()
        n += 1
        with open(countfile + ".tmp", "w") as f:
            f.write(str(n))
        import os
        os.replace(countfile + ".tmp", countfile)
        with LOCK:
            OPEN[0] += 1
            if OPEN[0] > OPEN[1]:
                OPEN[1] = OPEN[0]
                if peakfile:
                    put(peakfile, OPEN[1])
        threading.Thread(target=serve, args=(conn, delay), daemon=True).start()


if __name__ == "__main__":
    main()
