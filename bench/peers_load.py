#!/usr/bin/env python3
"""Load for the peer FTP servers, with Python's ftplib, in the shape of SelectFTP's bench.

  peers_load.py download --port P --clients N --file NAME --sha256 HEX [--per-client K]
      every client connects and logs in, then all start together and download NAME K times
      (passive mode, binary), hashing the bytes; a hash that differs from HEX is a failure.
  peers_load.py session --port P --clients C --duration S [--count N]
      every client loops connect + login + LIST + quit for S seconds (timed as one session), or N times
      when --count is given.

Clients are threads spread over --procs processes (the GIL would otherwise bound the clients, not the
server). --tls speaks FTPS (AUTH TLS, PROT P: control and data encrypted), verifying no certificate (as
curl -k), and resumes the control connection's TLS session on each data connection, as vsftpd requires
(require_ssl_reuse) and as curl does. Prints one JSON object."""
import argparse
import ftplib
import hashlib
import json
import multiprocessing as mp
import ssl
import threading
import time


def pct(sorted_values, p):
    """Nearest-rank percentile, the same definition as the Java bench."""
    if not sorted_values:
        return 0.0
    import math
    rank = max(1, math.ceil(p * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(values_ms):
    v = sorted(values_ms)
    if not v:
        return {"count": 0}
    return {"count": len(v), "p50": round(pct(v, 0.5), 3), "p90": round(pct(v, 0.9), 3),
            "p99": round(pct(v, 0.99), 3), "max": round(v[-1], 3), "mean": round(sum(v) / len(v), 3)}


class ReusingFtpTls(ftplib.FTP_TLS):
    """FTP_TLS whose data connections resume the control connection's TLS session (ftplib's do not)."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE   # the peers' certificates are self-signed for the run, as curl -k
    return ctx


def connect(args):
    t = time.perf_counter()
    ftp = ReusingFtpTls(context=tls_context(), timeout=args.timeout) if args.tls else ftplib.FTP(timeout=args.timeout)
    ftp.connect("127.0.0.1", args.port)
    ftp.login(args.user, args.password)   # FTP_TLS sends AUTH TLS first
    if args.tls:
        ftp.prot_p()
    return ftp, (time.perf_counter() - t) * 1000


def kind(op, e):
    return "%s:%s" % (op, type(e).__name__)


def download_client(args, barrier, out):
    rec = {"login": [], "get": [], "bytes": 0, "files": 0, "failures": {}}
    ftp = None
    try:
        ftp, ms = connect(args)
        rec["login"].append(ms)
    except Exception as e:  # noqa: BLE001 - every failure is counted by kind
        rec["failures"][kind("login", e)] = rec["failures"].get(kind("login", e), 0) + 1
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    if ftp is not None:
        for _ in range(args.per_client):
            h = hashlib.sha256()
            n = [0]

            def sink(block):
                h.update(block)
                n[0] += len(block)

            t = time.perf_counter()
            try:
                ftp.retrbinary("RETR " + args.file, sink, blocksize=256 * 1024)
                if h.hexdigest() != args.sha256:
                    raise ValueError("sha256 mismatch")
                rec["get"].append((time.perf_counter() - t) * 1000)
                rec["bytes"] += n[0]
                rec["files"] += 1
            except Exception as e:  # noqa: BLE001
                k = kind("get", e)
                rec["failures"][k] = rec["failures"].get(k, 0) + 1
                break
        try:
            ftp.quit()
        except Exception:  # noqa: BLE001
            ftp.close()
    out.append(rec)


def session_client(args, barrier, out):
    rec = {"session": [], "login": [], "failures": {}, "sessions": 0}
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    end = time.perf_counter() + args.duration

    def more():
        if args.count:
            return rec["sessions"] + sum(rec["failures"].values()) < args.count
        return time.perf_counter() < end

    while more():
        t = time.perf_counter()
        try:
            ftp, ms = connect(args)
            rec["login"].append(ms)
            ftp.retrlines("LIST", lambda line: None)
            ftp.quit()
            rec["session"].append((time.perf_counter() - t) * 1000)
            rec["sessions"] += 1
        except Exception as e:  # noqa: BLE001
            k = kind("session", e)
            rec["failures"][k] = rec["failures"].get(k, 0) + 1
    out.append(rec)


def worker(args, count, ready, go, queue):
    """One process: `count` client threads; reports the merged records of its threads."""
    out = []
    barrier = threading.Barrier(count + 1)
    target = download_client if args.mode == "download" else session_client
    threads = [threading.Thread(target=target, args=(args, barrier, out), daemon=True) for _ in range(count)]
    for t in threads:
        t.start()
    if args.mode == "download":
        # Wait until every thread has logged in (or failed), then for the global start.
        while barrier.n_waiting < count and any(t.is_alive() for t in threads):
            time.sleep(0.01)
    ready.release()
    go.wait()
    barrier.wait()
    for t in threads:
        t.join()
    queue.put(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["download", "session"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", default="ftpbench")
    p.add_argument("--password", default="ftpbench")
    p.add_argument("--clients", type=int, default=1)
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--file", default="file-1MiB.bin")
    p.add_argument("--sha256", default="")
    p.add_argument("--per-client", type=int, default=1)
    p.add_argument("--duration", type=float, default=5.0)
    p.add_argument("--count", type=int, default=0, help="session mode: sessions per client (overrides --duration)")
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument("--label", default="")
    p.add_argument("--tls", action="store_true", help="FTPS: AUTH TLS and PROT P, certificate not verified")
    args = p.parse_args()

    procs = max(1, min(args.procs, args.clients))
    ready = mp.Semaphore(0)
    go = mp.Event()
    queue = mp.Queue()
    counts = [args.clients // procs + (1 if i < args.clients % procs else 0) for i in range(procs)]
    ps = [mp.Process(target=worker, args=(args, c, ready, go, queue)) for c in counts]
    for proc in ps:
        proc.start()
    for _ in ps:
        ready.acquire()
    t0 = time.perf_counter()
    go.set()
    records = []
    for _ in ps:
        records.extend(queue.get())
    seconds = time.perf_counter() - t0
    for proc in ps:
        proc.join()

    failures = {}
    for r in records:
        for k, v in r["failures"].items():
            failures[k] = failures.get(k, 0) + v
    result = {"tool": "peers_load", "label": args.label, "mode": args.mode, "port": args.port,
              "clients": args.clients, "procs": procs, "tls": args.tls, "seconds": round(seconds, 3),
              "failures": {"total": sum(failures.values()), "byKind": failures}}
    if args.mode == "download":
        files = sum(r["files"] for r in records)
        nbytes = sum(r["bytes"] for r in records)
        result.update({"file": args.file, "filesVerified": files, "filesExpected": args.clients * args.per_client,
                       "filesPerSec": round(files / seconds, 1), "mbPerSec": round(nbytes / seconds / 1e6, 1),
                       "latencyMs": {"login": summary([x for r in records for x in r["login"]]),
                                     "get": summary([x for r in records for x in r["get"]])}})
    else:
        sessions = sum(r["sessions"] for r in records)
        result.update({"sessions": sessions, "sessionsPerSec": round(sessions / seconds, 1),
                       "latencyMs": {"login": summary([x for r in records for x in r["login"]]),
                                     "session": summary([x for r in records for x in r["session"]])}})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
