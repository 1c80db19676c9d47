#!/usr/bin/env bash
# A/B measure of client builds against one SelectFTP server: for each repetition and each client jar (in
# turn, so that a change of machine load hits every jar alike) one verified 1 GiB get, one verified 1 GiB
# put and CLIENTS clients x 1 MiB get. The server (data on /dev/shm) runs on CPU 0 and the bench on CPU 1
# (PIN=0: no pinning). One discarded warm-up run (100 x 1 MiB get and one 1 GiB get) comes first, so the
# server's JIT warm-up is not in any measured run. Prints the median of each figure per jar as JSON lines.
#
#   bench/client-io.sh OUT_DIR NAME=CLIENT_JAR [NAME=CLIENT_JAR ...]
#
# Environment: REPEAT (3), CLIENTS (500), BIG (1GiB), PORT (2641), SERVER_JAR (this tree's), PIN (1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:?usage: client-io.sh OUT_DIR NAME=CLIENT_JAR ...}; shift
(($# > 0)) || { echo "usage: client-io.sh OUT_DIR NAME=CLIENT_JAR ..." >&2; exit 2; }
REPEAT=${REPEAT:-3}
CLIENTS=${CLIENTS:-500}
BIG=${BIG:-1GiB}
PORT=${PORT:-2641}
PIN=${PIN:-1}
SERVER_JAR=${SERVER_JAR:-$root/ftp-server/target/ftp-server.jar}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "client-io: $*" >&2; }
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

shm=$(mktemp -d /dev/shm/selectftp-client-io.XXXXXX)
. "$here/lib.sh"
server_pid=
cleanup() {
  stop_server
  rm -rf "$shm"
}
trap cleanup EXIT
start_server "$SERVER_JAR" "$PORT" "$shm" "${on_server[@]}"
log "server pid $server_pid (pinned: $PIN), data in $shm/data; load average $(cut -d' ' -f1-3 /proc/loadavg)"

bench() {   # JAR NAME ARGS...
  local jar=$1 name=$2; shift 2
  mkdir -p "$shm/local"
  "${on_load[@]}" java -jar "$jar" bench -P "$PORT" -u bench -p bench-pass --register 1 --local-dir "$shm/local" \
    "$@" > "$out/$name.txt" 2> "$out/$name.err" || log "$name: exit $?"
  tail -n 1 "$out/$name.txt" > "$out/$name.json"
  python3 - "$out/$name.json" "$name" >&2 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d.get("throughput", {})
print("client-io: %-28s %8s MB/s %8s files/s  failures %s" % (sys.argv[2], t.get("mbPerSec"), t.get("filesPerSec"),
      d.get("failures", {}).get("total")))
PY
}

first_jar=${1#*=}
bench "$first_jar" warmup-download --clients 100 --ops get --size 1MiB --requests 100
bench "$first_jar" warmup-get-big --clients 1 --ops get --size "$BIG" --requests 1
for rep in $(seq "$REPEAT"); do
  for pair in "$@"; do
    name=${pair%%=*}; jar=${pair#*=}
    bench "$jar" "$name-get-big-$rep" --clients 1 --ops get --size "$BIG" --requests 1
    bench "$jar" "$name-put-big-$rep" --clients 1 --ops put --size "$BIG" --requests 1
    bench "$jar" "$name-download-$rep" --clients "$CLIENTS" --ops get --size 1MiB --requests "$CLIENTS"
  done
done
log "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out" "$REPEAT" "$@" <<'PY' | tee "$out/medians.jsonl"
import json, os, statistics, sys
out, repeat, pairs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for pair in pairs:
    name = pair.split("=", 1)[0]
    row = {"client": name, "runs": repeat}
    for kind, key in [("get-big", "mbPerSec"), ("put-big", "mbPerSec"), ("download", "filesPerSec")]:
        vals = []
        for rep in range(1, repeat + 1):
            try:
                d = json.load(open(os.path.join(out, "%s-%s-%d.json" % (name, kind, rep))))
                if d.get("failures", {}).get("total", 1) == 0:
                    vals.append(d["throughput"][key])
            except (OSError, ValueError, KeyError):
                pass
        row[kind] = {"median": statistics.median(vals) if vals else None, "all": vals, "unit": key}
    print(json.dumps(row))
PY
