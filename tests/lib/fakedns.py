#!/usr/bin/env python3
"""fakedns.py - scripted DNS servers on 127.0.0.1 for tests/dns.sh.

    fakedns.py DIR    start two UDP servers, write their ports to DIR/ports
                      ("HOLE ANSWER ANSWER6"), serve until killed

ANSWER6 is ANSWER's twin on [::1] (0 when IPv6 loopback cannot be bound).

HOLE reads every query and never answers (a firewall that drops DNS).
ANSWER answers from the table below; anything else is NXDOMAIN:
    literal.test  MX   10 127.0.0.1., 20 [::1].  (addresses where names belong)
    split.test    AAAA SERVFAIL                  (a broken AAAA answer...)
    split.test    A    127.0.0.1                 (...and a good A record)
    silent.test   any  no answer at all
    dual.test     AAAA ::1, A 127.0.0.1          (both loopbacks: tests/alladdr.sh)
    dualmx.test   MX   10 dual.test.
    xn--bcher-kva.test  A 127.0.0.1              (an internationalised name: bücher.test)
"""
import os
import socket
import struct
import sys
import threading

MX, A, AAAA = 15, 1, 28


def name_bytes(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def parse_question(q):
    i, labels = 12, []
    while q[i] != 0:
        labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
        i += 1 + q[i]
    qtype = struct.unpack(">H", q[i + 1:i + 3])[0]
    return ".".join(labels).lower(), qtype, q[12:i + 5]


def answer(q):
    name, qtype, question = parse_question(q)
    rcode, rrs = 0, []
    if name == "literal.test" and qtype == MX:
        for pref, host in ((10, "127.0.0.1"), (20, "[::1]")):
            rd = struct.pack(">H", pref) + name_bytes(host)
            rrs.append(struct.pack(">HHHIH", 0xC00C, MX, 1, 60, len(rd)) + rd)
    elif name == "split.test" and qtype == AAAA:
        rcode = 2
    elif name == "split.test" and qtype == A:
        rrs.append(struct.pack(">HHHIH", 0xC00C, A, 1, 60, 4) + socket.inet_aton("127.0.0.1"))
    elif name == "dual.test" and qtype == AAAA:
        rrs.append(struct.pack(">HHHIH", 0xC00C, AAAA, 1, 60, 16) +
                   socket.inet_pton(socket.AF_INET6, "::1"))
    elif name in ("dual.test", "xn--bcher-kva.test") and qtype == A:
        rrs.append(struct.pack(">HHHIH", 0xC00C, A, 1, 60, 4) + socket.inet_aton("127.0.0.1"))
    elif name == "dualmx.test" and qtype == MX:
        rd = struct.pack(">H", 10) + name_bytes("dual.test")
        rrs.append(struct.pack(">HHHIH", 0xC00C, MX, 1, 60, len(rd)) + rd)
    elif name in ("literal.test", "split.test", "dual.test", "dualmx.test",
                  "xn--bcher-kva.test"):
        pass
    else:
        rcode = 3
    head = q[:2] + struct.pack(">HHHHH", 0x8180 | rcode, 1, len(rrs), 0, 0)
    return head + question + b"".join(rrs)


def serve(sock, reply):
    while True:
        q, peer = sock.recvfrom(4096)
        if reply and len(q) > 12 and parse_question(q)[0] != "silent.test":
            sock.sendto(answer(q), peer)


def main():
    socks = []
    for _ in range(2):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    threads = [threading.Thread(target=serve, args=(socks[0], False), daemon=True),
               threading.Thread(target=serve, args=(socks[1], True), daemon=True)]
    port6 = 0
    try:
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s6.bind(("::1", 0))
        port6 = s6.getsockname()[1]
        threads.append(threading.Thread(target=serve, args=(s6, True), daemon=True))
    except OSError:
        pass
    for t in threads:
        t.start()
    tmp = os.path.join(sys.argv[1], "ports.tmp")
    with open(tmp, "w") as f:
        f.write("%d %d %d\n" % (socks[0].getsockname()[1], socks[1].getsockname()[1], port6))
    os.rename(tmp, os.path.join(sys.argv[1], "ports"))
    threads[0].join()


main()
