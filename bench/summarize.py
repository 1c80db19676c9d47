#!/usr/bin/env python3
"""Reads one bench-results/<stamp>/ folder written by bench/run-all.sh, writes summary.json beside it and
prints the side-by-side table and every target of issue 5 as met / not met."""
import json
import os
import sys


def load(folder, name):
    try:
        with open(os.path.join(folder, name)) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else None
    except (OSError, ValueError, IndexError):
        return None


def get(d, *path, default=None):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return default
        d = d[p]
    return d


def main():
    folder = sys.argv[1]
    ours = {n: load(folder, "ours-%s.json" % n) for n in ["get-big", "put-big", "download", "session", "keep-open"]}
    peers = {}
    for p in ["vsftpd", "pure-ftpd", "pyftpdlib"]:
        peers[p] = {k: load(folder, "peer-%s-%s.json" % (p, k)) for k in ["download", "session", "big"]}
    sha_java = load(folder, "sha256-java.json") or load(folder, "sha256-java-before.json")
    sha_openssl = load(folder, "sha256-openssl.json")
    iperf = load(folder, "iperf3.json")
    ceiling = get(sha_java, "mbPerSec", default=0) or 0

    rows = []
    def row(*cells):
        rows.append("| " + " | ".join(str(c) for c in cells) + " |")

    row("work", "SelectFTP", "vsftpd", "Pure-FTPd", "pyftpdlib")
    row("---", "---", "---", "---", "---")
    def peer(p, k, *path):
        v = get(peers[p][k], *path)
        return "n/a" if v is None else v
    d = ours["download"]
    row("%s clients x 1 MiB, verified: files/s" % get(d, "clients", default="?"), get(d, "throughput", "filesPerSec"),
        *[peer(p, "download", "filesPerSec") for p in peers])
    row("  failures", get(d, "failures", "total"), *[peer(p, "download", "failures", "total") for p in peers])
    row("  get latency p50 / p99 ms", "%s / %s" % (get(d, "latencyMs", "get", "p50"), get(d, "latencyMs", "get", "p99")),
        *["%s / %s" % (peer(p, "download", "latencyMs", "get", "p50"), peer(p, "download", "latencyMs", "get", "p99")) for p in peers])
    s = ours["session"]
    row("login+list+quit, 1 client: median ms", get(s, "latencyMs", "session", "p50"),
        *[peer(p, "session", "latencyMs", "session", "p50") for p in peers])
    row("  p99 ms", get(s, "latencyMs", "session", "p99"), *[peer(p, "session", "latencyMs", "session", "p99") for p in peers])
    g, u = ours["get-big"], ours["put-big"]
    row("1 GiB download, verified: MB/s", get(g, "throughput", "mbPerSec"),
        *[peer(p, "big", "downloadVerifiedMbPerSec") for p in peers])
    row("1 GiB download, unverified (curl > /dev/null): MB/s", "-", *[peer(p, "big", "downloadMbPerSec") for p in peers])
    row("1 GiB upload: MB/s (ours verified + fsync; peers unverified)", get(u, "throughput", "mbPerSec"),
        *[peer(p, "big", "uploadMbPerSec") for p in peers])
    table = "\n".join(rows)

    limits = "iperf3 loopback: %s MB/s; SHA-256: Java MessageDigest %s MB/s, openssl %s MB/s" % (
        get(iperf, "mbPerSec"), ceiling, get(sha_openssl, "mbPerSec"))

    targets = []
    def target(name, met, detail):
        targets.append({"target": name, "met": met, "detail": detail})

    for label, r in [("1 GiB download", g), ("1 GiB upload", u)]:
        mb = get(r, "throughput", "mbPerSec", default=0) or 0
        ok = get(r, "failures", "total") == 0 and ceiling > 0 and mb >= 0.9 * ceiling
        target("(a) %s verified >= 90%% of SHA-256 ceiling" % label, ok,
               "%s MB/s = %.0f%% of %s MB/s" % (mb, 100.0 * mb / ceiling if ceiling else 0, ceiling))
    best = max([(get(peers[p]["download"], "filesPerSec", default=0) or 0, p) for p in peers])
    fps = get(d, "throughput", "filesPerSec", default=0) or 0
    target("(b) %s clients x 1 MiB: 0 failures, faster than best peer" % get(d, "clients", default="?"),
           get(d, "failures", "total") == 0 and best[0] > 0 and fps > best[0],
           "%s files/s, %s failures; best peer %s %s files/s" % (fps, get(d, "failures", "total"), best[1], best[0]))
    k = ours["keep-open"]
    per = get(k, "keepOpen", "heapPerConnectionBytes", default=None)
    opened = get(k, "keepOpen", "opened")
    worst = get(k, "latencyMs", "session", "max")
    p50 = get(k, "latencyMs", "session", "p50")
    ok = (opened == get(k, "keepOpen", "requested") and per is not None and per <= 16384
          and worst is not None and worst < 50 and get(k, "failures", "total") == 0)
    target("(c) %s idle connections, <= 16 KiB heap each, fresh login+list < 50 ms" % get(k, "keepOpen", "requested"),
           ok, "%s opened, %s bytes heap each, login+list+quit p50 %s ms, max %s ms" % (opened, per, p50, worst))
    pyl = get(peers["pyftpdlib"]["session"], "latencyMs", "session", "p50")
    mine = get(s, "latencyMs", "session", "p50")
    target("(d) login+list+quit median below pyftpdlib's", mine is not None and pyl is not None and mine < pyl,
           "%s ms vs pyftpdlib %s ms (both measured from the client)" % (mine, pyl))
    loops = {n: get(r, "serverStats", "loop", "p99PassMicrosWorstWindow") for n, r in ours.items()}
    maxes = {n: get(r, "serverStats", "loop", "maxPassMicros") for n, r in ours.items()}
    vals = [v for v in loops.values() if v is not None]
    target("(e) loop pass p99 < 5 ms throughout", bool(vals) and max(vals) < 5000,
           "worst 1 s window p99 per run (us): %s; longest pass per run (us): %s" % (loops, maxes))

    summary = {"table": table, "limits": limits, "targets": targets}
    with open(os.path.join(folder, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(table)
    print()
    print(limits)
    print()
    for t in targets:
        print("- %s: %s - %s" % (t["target"], "MET" if t["met"] else "NOT MET", t["detail"]))


if __name__ == "__main__":
    main()
