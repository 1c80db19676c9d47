#!/usr/bin/env python3
"""Reads one results folder written by bench/tls.sh, writes tls-summary.json beside it and prints the table
(ours plaintext, ours TLS, vsftpd and Pure-FTPd over FTPS), the ratios, and issue 10's benchmark goals as
met / not met. Missing runs show as n/a."""
import json
import os
import sys

from summarize import get, load

PEERS = ["vsftpd", "pure-ftpd"]


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def na(x):
    return "n/a" if x is None else x


def main():
    folder = sys.argv[1]
    plain = {n: load(folder, "ours-%s.json" % n) for n in ["get-big", "put-big", "download"]}
    tls = {n: load(folder, "ours-tls-%s.json" % n) for n in ["get-big", "put-big", "download"]}
    peers = {p: {k: load(folder, "tls-%s-%s.json" % (p, k)) for k in ["big", "download"]} for p in PEERS}

    def ours(r, *path):
        # A run with any failed operation has no figure: every figure here is of verified bytes.
        if r is None or get(r, "failures", "total") != 0:
            return None
        return get(r, *path)

    def peer_dl(p):
        d = peers[p]["download"]
        return None if d is None or get(d, "failures", "total") != 0 else get(d, "filesPerSec")

    figures = {
        "download": ([ours(plain["get-big"], "throughput", "mbPerSec"), ours(tls["get-big"], "throughput", "mbPerSec")]
                     + [get(peers[p]["big"], "downloadVerifiedMbPerSec") for p in PEERS]),
        "upload": ([ours(plain["put-big"], "throughput", "mbPerSec"), ours(tls["put-big"], "throughput", "mbPerSec")]
                   + [get(peers[p]["big"], "uploadVerifiedMbPerSec") for p in PEERS]),
        "files": ([ours(plain["download"], "throughput", "filesPerSec"), ours(tls["download"], "throughput", "filesPerSec")]
                  + [peer_dl(p) for p in PEERS]),
    }
    size = (get(peers["vsftpd"]["big"], "bytes") or get(peers["pure-ftpd"]["big"], "bytes")
            or get(tls["get-big"], "sizeBytes") or get(plain["get-big"], "sizeBytes"))
    big = "%d MiB" % (size >> 20) if size else "big file"
    n = get(tls["download"], "clients") or get(plain["download"], "clients") \
        or get(peers["vsftpd"]["download"], "clients") or get(peers["pure-ftpd"]["download"], "clients") or "?"
    labels = {"download": "%s download, verified: MB/s" % big, "upload": "%s upload, verified: MB/s" % big,
              "files": "%s clients x 1 MiB, verified: files/s" % n}

    rows = ["| work | SelectFTP plain | SelectFTP TLS | TLS / plain | vsftpd FTPS | Pure-FTPd FTPS |",
            "| --- | --- | --- | --- | --- | --- |"]
    for k, (p, t, v, pf) in figures.items():
        cells = [labels[k], p, t, ratio(t, p), v, pf]
        rows.append("| " + " | ".join(str(na(c)) for c in cells) + " |")
    table = "\n".join(rows)

    targets = []
    p, t, v, pf = figures["download"]
    r = ratio(t, p)
    targets.append({"target": "TLS download >= 0.8x our plaintext verified figure", "met": r is not None and r >= 0.8,
                    "detail": "%s MB/s vs %s MB/s plain = %sx" % (na(t), na(p), na(r))})
    best = max([x for x in (v, pf) if x is not None], default=None)
    targets.append({"target": "TLS download ahead of both FTPS peers",
                    "met": t is not None and v is not None and pf is not None and t > best,
                    "detail": "%s MB/s vs vsftpd %s, Pure-FTPd %s (%sx the better)" % (na(t), na(v), na(pf), na(ratio(t, best)))})

    with open(os.path.join(folder, "tls-summary.json"), "w") as f:
        json.dump({"table": table, "targets": targets}, f, indent=2)
    print(table)
    print()
    for p in PEERS:
        proto = get(peers[p]["big"], "tls")
        if proto:
            print("%s negotiated %s" % (p, proto))
    print()
    for x in targets:
        print("- %s: %s - %s" % (x["target"], "MET" if x["met"] else "NOT MET", x["detail"]))


if __name__ == "__main__":
    main()
