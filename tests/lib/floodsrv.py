#!/usr/bin/env python3
"""A one-connection SMTP server that floods its client, for tests/memory.sh.

Usage: floodsrv.py MODE PORTFILE
Listens on 127.0.0.1 (a free port, written to PORTFILE), serves one
connection, and exits.  MODE:
  longline   a greeting line of 64 MiB that never ends
  lines      "220-" then 1,000,000 continuation lines
  garbage    64 MiB of bytes without a line end, after a normal greeting
"""
import socket
import sys


def main():
    mode, portfile = sys.argv[1], sys.argv[2]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(30)
    with open(portfile, "w") as f:
        f.write(str(srv.getsockname()[1]))
    conn, _ = srv.accept()
    conn.settimeout(30)
    chunk = b"A" * 65536
    try:
        if mode == "longline":
            conn.sendall(b"220-")
            for _ in range(1024):
                conn.sendall(chunk)
        elif mode == "lines":
            conn.sendall(b"220-mx.test.example\r\n")
            block = b"220-x\r\n" * 10000
            for _ in range(100):
                conn.sendall(block)
        elif mode == "garbage":
            conn.sendall(b"220 mx.test.example ESMTP\r\n")
            conn.recv(4096)
            for _ in range(1024):
                conn.sendall(chunk)
    except OSError:
        pass    # the client gave up reading: that is the point
    conn.close()


if __name__ == "__main__":
    main()
