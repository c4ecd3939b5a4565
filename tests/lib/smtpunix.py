#!/usr/bin/env python3
"""A scripted SMTP server (not LMTP) for tests/lmtp.sh, on a UNIX-domain
socket and on a TCP port of 127.0.0.1 at once.

Usage: smtpunix.py SOCKPATH PORTFILE LOGFILE
Greets with 220, answers EHLO with 250 and its capabilities, HELO with
250, LHLO (which an SMTP server does not know) with
"500 5.5.1 Error: command not recognized", QUIT with 221, anything else
with 502.  Every command line received is appended to LOGFILE.  When
both listen, PORTFILE gets the TCP port.  Runs until killed.
"""
import os
import socket
import sys
import threading


def serve(conn, log):
    try:
        conn.settimeout(30)
        conn.sendall(b"220 smtp.test.example ESMTP scripted\r\n")
        buf = b""
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
            while b"\r\n" in buf:
                line, buf = buf.split(b"\r\n", 1)
                with open(log, "ab") as f:
                    f.write(line + b"\n")
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.sendall(b"250-smtp.test.example\r\n250 PIPELINING\r\n")
                elif verb == b"HELO":
                    conn.sendall(b"250 smtp.test.example\r\n")
                elif verb == b"LHLO":
                    conn.sendall(b"500 5.5.1 Error: command not recognized\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 2.0.0 Bye\r\n")
                    return
                else:
                    conn.sendall(b"502 5.5.1 Not implemented\r\n")
    except OSError:
        pass
    finally:
        conn.close()


def accept_loop(s, log):
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, log), daemon=True).start()


def main():
    path, portfile, log = sys.argv[1], sys.argv[2], sys.argv[3]
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    u.bind(path)
    u.listen(16)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", 0))
    t.listen(16)
    threading.Thread(target=accept_loop, args=(u, log), daemon=True).start()
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % t.getsockname()[1])
    os.replace(portfile + ".tmp", portfile)
    accept_loop(t, log)


if __name__ == "__main__":
    main()
