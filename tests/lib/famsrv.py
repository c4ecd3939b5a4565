#!/usr/bin/env python3
"""famsrv.py - one scripted SMTP listener on one address, for
tests/alladdr.sh (a host whose IPv4 and IPv6 addresses differ).

Usage: famsrv.py ADDRESS PORT NAME [CERT KEY]
Listens on ADDRESS:PORT ("127.0.0.1" or "::1"), then prints "ready".
Each connection: "220 NAME ESMTP", EHLO gets NAME and, with CERT and KEY,
STARTTLS (the handshake shows that certificate); anything else 250; QUIT
221.  Runs until killed.
"""
import socket
import ssl
import sys
import threading


def lines(f):
    while True:
        line = f.readline(1000)
        if not line:
            return
        yield line.decode("ascii", "replace").strip()


def session(conn, name, ctx):
    f = conn.makefile("rwb", buffering=0)
    f.write(b"220 %s ESMTP\r\n" % name.encode())
    tls = False
    for cmd in lines(f):
        word = cmd.split(" ")[0].upper()
        if word in ("EHLO", "HELO"):
            caps = [name] + (["STARTTLS"] if ctx and not tls else []) + ["8BITMIME"]
            out = "".join("250%s%s\r\n" % ("-" if i < len(caps) - 1 else " ", c)
                          for i, c in enumerate(caps))
            f.write(out.encode())
        elif word == "STARTTLS" and ctx and not tls:
            f.write(b"220 2.0.0 go ahead\r\n")
            conn = ctx.wrap_socket(conn, server_side=True)
            f = conn.makefile("rwb", buffering=0)
            tls = True
            return session_tls(conn, f, name)
        elif word == "QUIT":
            f.write(b"221 2.0.0 bye\r\n")
            return
        else:
            f.write(b"250 2.0.0 ok\r\n")


def session_tls(conn, f, name):
    for cmd in lines(f):
        word = cmd.split(" ")[0].upper()
        if word == "EHLO":
            f.write(("250-%s\r\n250 8BITMIME\r\n" % name).encode())
        elif word == "QUIT":
            f.write(b"221 2.0.0 bye\r\n")
            return
        else:
            f.write(b"250 2.0.0 ok\r\n")


def serve(conn, name, ctx):
    try:
        session(conn, name, ctx)
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    addr, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ctx = None
    if len(sys.argv) > 5:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[4], sys.argv[5])
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    print("ready", flush=True)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, name, ctx), daemon=True).start()


main()
