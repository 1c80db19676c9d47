#!/usr/bin/env python3
"""Reads one results folder written by bench/ftp-peers.sh, writes ftp-summary.json beside it and prints the
table (absolute figures per server, the best peer, SelectFTP's ratio to it), issue 11's benchmark goals as
met / not met, and what was skipped. Missing runs show as n/a, skipped ones as skipped."""
import json
import os
import sys

from summarize import get, load

SERVERS = ["selectftp", "vsftpd", "pure-ftpd", "proftpd", "pyftpdlib"]
TITLES = {"selectftp": "SelectFTP", "vsftpd": "vsftpd", "pure-ftpd": "Pure-FTPd", "proftpd": "ProFTPD",
          "pyftpdlib": "pyftpdlib"}
PEERS = SERVERS[1:]


def cell(v):
    return "n/a" if v is None else v


def main():
    folder = sys.argv[1]
    run = load(folder, "ftp-run.json") or {}
    r = {s: {k: load(folder, "ftp-%s-%s.json" % (s, k)) for k in ["download", "session", "big", "ftps"]}
         for s in SERVERS}
    big = "%d MiB" % run["bigMiB"] if run.get("bigMiB") else "big file"

    def ftps(s):
        d = r[s]["ftps"]
        if d is not None and "skipped" in d:
            return "skipped"
        return get(d, "retrMbPerSec")

    # (key, label, better, value of server s)
    rows = [
        ("files", "%s ftplib clients x 1 MiB, verified: files/s" % run.get("files", "?"), "higher",
         lambda s: get(r[s]["download"], "filesPerSec")),
        ("failures", "  failures (of %s)" % run.get("files", "?"), "lower",
         lambda s: get(r[s]["download"], "failures", "total")),
        ("login", "login+LIST+QUIT x %s, ftplib: median ms" % run.get("sessions", "?"), "lower",
         lambda s: get(r[s]["session"], "latencyMs", "session", "p50")),
        ("loginP99", "  p99 ms", "lower", lambda s: get(r[s]["session"], "latencyMs", "session", "p99")),
        ("retr", "%s RETR, curl: MB/s" % big, "higher", lambda s: get(r[s]["big"], "retrMbPerSec")),
        ("stor", "%s STOR, curl: MB/s (SelectFTP hashes + fsyncs)" % big, "higher",
         lambda s: get(r[s]["big"], "storMbPerSec")),
        ("ftps", "%s RETR over FTPS, curl --ssl-reqd -k: MB/s" % big, "higher", ftps),
    ]

    out_rows = []
    lines = ["| work | " + " | ".join(TITLES[s] for s in SERVERS) + " | best peer | SelectFTP / best peer |",
             "|---" * (len(SERVERS) + 3) + "|"]
    for key, label, better, value in rows:
        values = {s: value(s) for s in SERVERS}
        numbers = [(values[p], p) for p in PEERS if isinstance(values[p], (int, float)) and values[p] > 0]
        best = (max if better == "higher" else min)(numbers, default=None) if numbers else None
        if key == "failures":
            best = None   # a count, not a figure to beat: shown as is
        ours = values["selectftp"]
        ratio = round(ours / best[0], 2) if best and isinstance(ours, (int, float)) and best[0] else None
        out_rows.append({"work": key, "label": label.strip(), "better": better, "values": values,
                         "bestPeer": None if best is None else {"server": best[1], "value": best[0]},
                         "ratioToBestPeer": ratio})
        best_cell = "-" if best is None else "%s (%s)" % (best[0], TITLES[best[1]])
        ratio_cell = "-" if ratio is None else ("%sx" % ratio + (" (lower is better)" if better == "lower" else ""))
        lines.append("| " + " | ".join([label] + [str(cell(values[s])) for s in SERVERS] + [best_cell, ratio_cell])
                     + " |")
    table = "\n".join(lines)
    by = {x["work"]: x for x in out_rows}

    goals = []

    def goal(name, met, detail):
        goals.append({"goal": name, "met": met, "detail": detail})

    f = by["files"]
    fails = by["failures"]["values"]["selectftp"]
    ours = f["values"]["selectftp"]
    best = f["bestPeer"]
    goal("files/s ahead of every peer with 0 failures",
         isinstance(ours, (int, float)) and fails == 0 and best is not None and ours > best["value"],
         "%s files/s, %s failures; best peer %s" % (cell(ours), cell(fails),
                                                     "n/a" if best is None else "%s %s" % (best["server"], best["value"])))
    mine, pyl = by["login"]["values"]["selectftp"], by["login"]["values"]["pyftpdlib"]
    goal("login+LIST+QUIT median below pyftpdlib's (password cache warm)",
         isinstance(mine, (int, float)) and isinstance(pyl, (int, float)) and mine < pyl,
         "%s ms vs pyftpdlib %s ms" % (cell(mine), cell(pyl)))
    for key, floor, what in [("retr", 0.9, "RETR"), ("stor", 0.8, "STOR (hashed + fsynced)")]:
        x = by[key]
        goal("%s at least %sx the best peer" % (what, floor), x["ratioToBestPeer"] is not None and x["ratioToBestPeer"] >= floor,
             "%s MB/s = %sx of %s" % (cell(x["values"]["selectftp"]), cell(x["ratioToBestPeer"]),
                                     "n/a" if x["bestPeer"] is None else "%s %s MB/s" % (x["bestPeer"]["server"], x["bestPeer"]["value"])))
    x = by["ftps"]
    mine = x["values"]["selectftp"]
    goal("FTPS RETR ahead of every FTPS peer", x["ratioToBestPeer"] is not None and x["ratioToBestPeer"] > 1,
         "%s vs best FTPS peer %s" % ("SelectFTP skipped (see below)" if mine == "skipped" else "%s MB/s" % cell(mine),
                                           "n/a" if x["bestPeer"] is None else "%s %s MB/s" % (x["bestPeer"]["server"], x["bestPeer"]["value"])))

    try:
        with open(os.path.join(folder, "ftp-skipped.txt")) as fh:
            skipped = [line.strip() for line in fh if line.strip()]
    except OSError:
        skipped = []
    negotiated = {s: get(r[s]["ftps"], "tls") for s in SERVERS if get(r[s]["ftps"], "tls")}

    with open(os.path.join(folder, "ftp-summary.json"), "w") as fh:
        json.dump({"run": run, "rows": out_rows, "table": table, "goals": goals, "skipped": skipped,
                   "tlsNegotiated": negotiated}, fh, indent=2)
    print(table)
    print()
    for s, proto in negotiated.items():
        print("%s negotiated %s" % (TITLES[s], proto))
    print()
    for g in goals:
        print("- %s: %s - %s" % (g["goal"], "MET" if g["met"] else "NOT MET", g["detail"]))
    if skipped:
        print()
        print("Skipped:")
        for line in skipped:
            print("- " + line)


if __name__ == "__main__":
    main()
