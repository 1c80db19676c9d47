#!/usr/bin/env python3
"""Reads one results folder written by bench/nodes.sh and prints, per work, the median over the rounds of each
setup (one node direct, one node behind HAProxy, two nodes behind HAProxy), each round's figures, and the
ratios of the medians to the direct node. A run with any failed operation shows its failures beside it."""
import glob
import os
import statistics
import sys

from summarize import get, load

SETUPS = ["direct", "haproxy1", "haproxy2"]
TITLES = {"direct": "1 node direct", "haproxy1": "1 node, HAProxy", "haproxy2": "2 nodes, HAProxy"}
# work: (label, figure path)
WORKS = {
    "logins": ("logins/s (login, list, quit; new connection each)", ("throughput", "opsPerSec")),
    "small": ("small put+get, verified transfers/s", ("throughput", "filesPerSec")),
    "get-big": ("one big download, verified, MB/s", ("throughput", "mbPerSec")),
    "put-big": ("one big upload, verified, MB/s", ("throughput", "mbPerSec")),
}


def main():
    folder = sys.argv[1]
    rows = ["| work | " + " | ".join(TITLES[s] for s in SETUPS) + " | HAProxy / direct | 2 nodes / direct |",
            "| --- | --- | --- | --- | --- | --- |"]
    detail = []
    for work, (label, path) in WORKS.items():
        medians = {}
        for setup in SETUPS:
            figures, failures = [], 0
            for f in sorted(glob.glob(os.path.join(folder, "%s-%s-*.json" % (setup, work)))):
                r = load(folder, os.path.basename(f))
                if r is None:
                    continue
                figures.append(get(r, *path))
                failures += get(r, "failures", "total", default=0)
            medians[setup] = statistics.median(figures) if figures else None
            detail.append("%s %s: rounds %s, %d failed operations" % (setup, work, figures, failures))
        if all(m is None for m in medians.values()):
            continue
        d = medians["direct"]

        def ratio(x):
            return "%.2f" % (x / d) if x is not None and d else "n/a"

        cells = [label] + ["n/a" if medians[s] is None else "%.1f" % medians[s] for s in SETUPS]
        cells += [ratio(medians["haproxy1"]), ratio(medians["haproxy2"])]
        rows.append("| " + " | ".join(cells) + " |")
    print("\n".join(rows))
    print()
    print("\n".join(detail))
    try:
        with open(os.path.join(folder, "load.txt")) as f:
            print(f.read().strip())
    except OSError:
        pass


if __name__ == "__main__":
    main()
