#!/usr/bin/env python3
"""stshttps.py - the MTA-STS policy host of tests/lib/policylab.sh.

    stshttps.py DIR ADDRESS PORT

Serves https://mta-sts.CASE.example/.well-known/mta-sts.txt on ADDRESS:PORT,
each case answering as tests/lib/policylab.sh's table says: the
certificate is chosen by SNI (DIR/good.pem from the test CA, naming every
good policy host; DIR/selfsigned.pem for sts-badcert; DIR/wrongname.pem,
from the test CA but for mta-sts.elsewhere.example, for sts-wrongname), the
answer by the Host header.  Any other path or host: 404.  Standard library
only.  Each request is logged on stdout: host, path, status, bytes.

What RFC 8461 asks of the fetch, which the cases break one at a time:
200 only and no redirects followed (§3.3), media type text/plain (§3.2),
the certificate valid for mta-sts.DOMAIN (§3.3).  The 64 KiB bound is
smtprobe's own (issue 14).
"""

import http.server
import ssl
import sys

POLICY_PATH = "/.well-known/mta-sts.txt"


def policy(mode, mx, eol="\n", max_age=86400):
    lines = ["version: STSv1", "mode: " + mode]
    lines += ["mx: " + m for m in mx]
    lines.append("max_age: %d" % max_age)
    return (eol.join(lines) + eol).encode("ascii")


def padded(body, size):
    """body, then unknown keys (which a parser ignores, RFC 8461 §3.2)
    until it is exactly size bytes."""
    out = bytearray(body)
    n = 0
    while len(out) < size:
        line = b"x-padding-%05d: %s\n" % (n, b"p" * 80)
        out += line
        n += 1
    del out[size - 1:]
    out += b"\n"
    return bytes(out)


# host -> (status, headers, body, chunked)
def answers():
    t = "text/plain"
    loc = "https://mta-sts.sts-enforce.example" + POLICY_PATH
    a = {
        "sts-enforce": (200, {"Content-Type": t},
                        policy("enforce", ["mx.sts-enforce.example"], eol="\r\n", max_age=604800), False),
        "sts-testing": (200, {"Content-Type": "text/plain; charset=utf-8"},
                        policy("testing", ["mx.sts-testing.example"]), False),
        "sts-none": (200, {"Content-Type": t}, policy("none", ["mx.sts-none.example"]), False),
        "sts-badmx": (200, {"Content-Type": t}, policy("enforce", ["mx.elsewhere.example"]), False),
        "sts-404": (404, {"Content-Type": t}, policy("enforce", ["mx.sts-404.example"]), False),
        "sts-redirect": (301, {"Content-Type": t, "Location": loc},
                         policy("enforce", ["mx.sts-redirect.example"]), False),
        "sts-ctype": (200, {"Content-Type": "text/html"}, policy("enforce", ["mx.sts-ctype.example"]), False),
        "sts-big": (200, {"Content-Type": t},
                    padded(policy("enforce", ["mx.sts-big.example"]), 70000), False),
        "sts-badcert": (200, {"Content-Type": t}, policy("enforce", ["mx.sts-badcert.example"]), False),
        "sts-wrongname": (200, {"Content-Type": t}, policy("enforce", ["mx.sts-wrongname.example"]), False),
        "sts-chunked": (200, {"Content-Type": t}, policy("enforce", ["*.sts-chunked.example"]), True),
    }
    return {"mta-sts.%s.example" % k: v for k, v in a.items()}


ANSWERS = answers()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stshttps"
    sys_version = ""
    timeout = 10

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        ans = ANSWERS.get(host) if self.path == POLICY_PATH else None
        if ans is None:
            ans = (404, {"Content-Type": "text/plain"}, b"not found\n", False)
        status, headers, body, chunked = ans
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if chunked:
            # Three chunks, cut inside lines, then the last chunk.
            cuts = [0, len(body) // 3, 2 * len(body) // 3, len(body)]
            for i in range(3):
                part = body[cuts[i]:cuts[i + 1]]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)
        self.close_connection = True
        print("%s %s %d %d%s" % (host, self.path, status, len(body), " chunked" if chunked else ""),
              flush=True)

    def log_message(self, fmt, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that connects and leaves without TLS (the readiness
        # check) or fails the handshake (the bad certificates): one line.
        print("connection from %s:%d ended: %s" % (client_address[0], client_address[1],
                                                   sys.exc_info()[1]), flush=True)


def context(d, name):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain("%s/%s.pem" % (d, name), "%s/%s.key" % (d, name))
    return ctx


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: stshttps.py DIR ADDRESS PORT")
    d, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    good = context(d, "good")
    by_sni = {
        "mta-sts.sts-badcert.example": context(d, "selfsigned"),
        "mta-sts.sts-wrongname.example": context(d, "wrongname"),
    }

    def pick(sock, name, _ctx):
        if name and name.lower() in by_sni:
            sock.context = by_sni[name.lower()]
        return None

    good.sni_callback = pick
    srv = Server((addr, port), Handler)
    # The handshake runs in the request's thread (on its first read), so
    # a client that stalls it holds only its own thread.
    srv.socket = good.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    print("listening on %s:%d" % (addr, port), flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
