#!/usr/bin/env bash
# The whole benchmark of issue 5 in one go: builds the jars, starts SelectFTP (default settings, except a
# 64 GiB quota for new users and a temp data folder), runs `ftp-client.jar bench` for every target, then
# bench/peers.sh for vsftpd, Pure-FTPd, pyftpdlib, iperf3 and SHA-256, and writes everything as JSON into
# bench-results/<stamp>/ plus summary.json (bench/summarize.py prints the table).
#
#   bench/run-all.sh                 environment: CLIENTS (500), KEEP_OPEN (10000), SESSION_SECONDS (5),
#                                    BIG (1GiB), PORT (2621), SKIP_PEERS=1, LOCAL_DIR (client files),
#                                    PIN (1), WARMUP (100: clients x 1 MiB, discarded; 0 skips it)
#
# PIN=1 (the default) runs every server under test on CPU 0 and every load generator on CPU 1 (taskset),
# here and in peers.sh alike: on a 2-core box a load generator with hundreds of threads otherwise takes the
# core that a single-threaded server loop needs, and the figures measure the scheduler. PIN=0 turns it off.
# Every server, ours and each peer, first gets a discarded warm-up of WARMUP clients x 1 MiB, so that a
# fresh JVM's JIT warm-up is not in the measured runs (the peers need none, but get the same run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
CLIENTS=${CLIENTS:-500}
KEEP_OPEN=${KEEP_OPEN:-10000}
SESSION_SECONDS=${SESSION_SECONDS:-5}
BIG=${BIG:-1GiB}
PORT=${PORT:-2621}
PIN=${PIN:-1}
WARMUP=${WARMUP:-100}
out=$root/bench-results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
log() { echo "run-all: $*" >&2; }
if [[ $PIN == 1 ]] && { ! command -v taskset >/dev/null || (( $(nproc) < 2 )); }; then
  log "warning: no taskset or fewer than 2 CPUs; running unpinned"; PIN=0
fi
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi
export PIN WARMUP
log "pinning: $([[ $PIN == 1 ]] && echo "servers on CPU 0, load generators on CPU 1" || echo off)"

# 10,000 idle sessions need as many descriptors on each side; raise the soft limit as far as allowed.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log "open files limit: $(ulimit -n)"
(( $(ulimit -n) > KEEP_OPEN + CLIENTS + 100 )) || log "warning: ulimit -n $(ulimit -n) is too low for --keep-open $KEEP_OPEN"

log "building"
(cd "$root" && mvn -B -q package -DskipTests)
jar=$root/ftp-client/target/ftp-client.jar

# The server's data folder goes to tmpfs too when there is one (as the peers' files do in peers.sh), so that
# the 1 GiB runs measure the servers and not this machine's disk (ours fsyncs every upload, the peers do not).
if [[ -d /dev/shm && -w /dev/shm ]]; then work=$(mktemp -d /dev/shm/selectftp-server.XXXXXX); else work=$(mktemp -d /tmp/selectftp-bench.XXXXXX); fi
# Client-side files go to tmpfs as well: the peers' ftplib and curl clients hash into memory or
# /dev/null, and the client library fsyncs every finished download, which on a shared disk measures the disk.
if [[ -z ${LOCAL_DIR:-} && -d /dev/shm && -w /dev/shm ]]; then
  local_dir=$(mktemp -d /dev/shm/selectftp-bench.XXXXXX)
else
  local_dir=${LOCAL_DIR:-$work/local}
fi
mkdir -p "$local_dir"
. "$here/lib.sh"
server_pid=
cleanup() {
  stop_server
  rm -rf "$work"
  [[ $local_dir == /dev/shm/selectftp-bench.* ]] && rm -rf "$local_dir" || true
}
trap cleanup EXIT

# Plaintext, as in issue 5's figures: on loopback the server would offer TLS and the client take it;
# bench/tls.sh measures TLS.
SERVER_ARGS=${SERVER_ARGS:---tls off} start_server "$root/ftp-server/target/ftp-server.jar" "$PORT" "$work" "${on_server[@]}"
log "SelectFTP pid $server_pid on 127.0.0.1:$PORT, data in $work/data; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Every run registers (once) and uses bench-0 (bench_ours in lib.sh).
"${on_load[@]}" java -jar "$jar" bench --hash-speed > "$out/sha256-java-before.json"
if ((WARMUP > 0)); then
  bench_ours warmup  --clients "$WARMUP" --ops get --size 1MiB --requests "$WARMUP"   # discarded
fi
bench_ours get-big   --clients 1 --ops get --size "$BIG" --requests 1
bench_ours put-big   --clients 1 --ops put --size "$BIG" --requests 1
# --warmup: the same clients run one discarded round first, so the measuring JVM's own JIT is warm too.
bench_ours download  --clients "$CLIENTS" --ops get --size 1MiB --requests "$CLIENTS" --warmup "$CLIENTS"
bench_ours session   --clients 1 --ops login,list --duration "${SESSION_SECONDS}s" --warmup 200
bench_ours keep-open --keep-open "$KEEP_OPEN" --clients 1 --ops login,list --duration "${SESSION_SECONDS}s"
cp "$work/logs/server.log" "$out/server.log" 2>/dev/null || true

stop_server
rm -rf "$work/data"

if [[ -z ${SKIP_PEERS:-} ]]; then
  CLIENTS=$CLIENTS SESSION_SECONDS=$SESSION_SECONDS "$here/peers.sh" "$out"
fi
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/summarize.py" "$out" | tee "$out/summary.txt"
log "results in $out"
