#!/usr/bin/env python3
"""An HTTPS server for tests/https.sh: MTA-STS policy answers, good and bad.

Usage: httpsd.py CERT KEY PORTFILE [silent]
Listens on 127.0.0.1 (a free port the kernel picks, written to PORTFILE)
with the certificate CERT (chain) and key KEY, until killed.  With
"silent" it accepts TCP connections and never says a byte (not even the
TLS handshake).  Otherwise the path chooses the answer:

  /ok       200 text/plain, Content-Length, a policy
  /chunked  200 text/plain; charset=utf-8, chunked, no Content-Length
  /404      404 text/plain
  /301      301 with a Location elsewhere
  /html     200 text/html
  /exact    200 text/plain, exactly 65536 bytes
  /large    200 text/plain, 65537 bytes with Content-Length
  /largech  200 text/plain, 70000 bytes chunked
  /silent   the handshake completes, then nothing is ever sent
  /cut      200 text/plain, Content-Length 1000, 10 bytes, then the close
"""
import http.server
import os
import socket
import ssl
import sys
import threading
import time

POLICY = b"version: STSv1\r\nmode: enforce\r\nmx: mx.test.example\r\nmax_age: 86400\r\n"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, ctype, body, extra=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def chunked(self, ctype, body, size):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        for i in range(0, len(body), size):
            part = body[i:i + size]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        p = self.path.split("/")[-1] if self.path.startswith("/") else ""
        if self.path == "/.well-known/mta-sts.txt" or p == "ok":
            self.send(200, "text/plain", POLICY)
        elif p == "chunked":
            self.chunked("text/plain; charset=utf-8", POLICY, 7)
        elif p == "404":
            self.send(404, "text/plain", b"not found\n")
        elif p == "301":
            self.send(301, "text/html", b"moved\n",
                      [("Location", "https://elsewhere.test.example/.well-known/mta-sts.txt")])
        elif p == "html":
            self.send(200, "text/html", b"<html>" + POLICY + b"</html>")
        elif p == "exact":
            self.send(200, "text/plain", b"#" * 65536)
        elif p == "large":
            self.send(200, "text/plain", b"#" * 65537)
        elif p == "largech":
            self.chunked("text/plain", b"#" * 70000, 4096)
        elif p == "silent":
            time.sleep(3600)
        elif p == "cut":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(POLICY[:10])
            self.wfile.flush()
            self.close_connection = True
        else:
            self.send(404, "text/plain", b"no such case\n")


def silent(portfile):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    held = []
    while True:
        conn, _ = srv.accept()
        held.append(conn)     # kept open, never written to


def main():
    cert, key, portfile = sys.argv[1:4]
    if len(sys.argv) > 4 and sys.argv[4] == "silent":
        silent(portfile)
        return
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
