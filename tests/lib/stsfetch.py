#!/usr/bin/env python3
"""stsfetch.py - fetch an MTA-STS policy the way tests/policylab.sh checks
the lab's policy host: Python's own TLS (the certificate verified for
mta-sts.DOMAIN against CAFILE) and http.client, connecting to ADDRESS (the
name's A record, looked up by the caller through the lab's DNS).

    stsfetch.py ADDRESS DOMAIN CAFILE

Prints one line: "status=200 type=text/plain length=123 transfer=chunked
location=... version=STSv1 mode=enforce mx=a,b" (the last three from the
body, when it parses as key: value lines), or "error=cert ..." /
"error=connect ..." / "error=other ...".  Reads at most 1 MiB, 10 s.
"""

import http.client
import socket
import ssl
import sys


def main():
    addr, domain, cafile = sys.argv[1:4]
    host = "mta-sts." + domain
    ctx = ssl.create_default_context(cafile=cafile)
    try:
        raw = socket.create_connection((addr, 443), timeout=10)
    except OSError as e:
        print("error=connect %s" % e)
        return
    try:
        tls = ctx.wrap_socket(raw, server_hostname=host)
    except ssl.SSLCertVerificationError as e:
        print("error=cert %s" % e.verify_message)
        return
    except (OSError, ssl.SSLError) as e:
        print("error=other %s" % e)
        return
    conn = http.client.HTTPConnection(host, 443, timeout=10)
    conn.sock = tls
    conn.request("GET", "/.well-known/mta-sts.txt")
    resp = conn.getresponse()
    body = resp.read(1 << 20)
    out = ["status=%d" % resp.status,
           "type=%s" % (resp.getheader("Content-Type") or "").replace(" ", ""),
           "length=%d" % len(body),
           "transfer=%s" % (resp.getheader("Transfer-Encoding") or "identity")]
    if resp.getheader("Location"):
        out.append("location=%s" % resp.getheader("Location"))
    keys = {}
    for line in body.decode("ascii", "replace").splitlines():
        k, sep, v = line.partition(":")
        if sep and k in ("version", "mode", "mx", "max_age"):
            keys.setdefault(k, []).append(v.strip())
    for k in ("version", "mode", "mx", "max_age"):
        if k in keys:
            out.append("%s=%s" % (k, ",".join(keys[k])))
    print(" ".join(out))


if __name__ == "__main__":
    main()
