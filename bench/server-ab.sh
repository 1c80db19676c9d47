#!/usr/bin/env bash
# A/B of server builds on the 500 x 1 MiB burst: server pinned to CPU 0, bench to CPU 1, a warm-up round
# inside the measuring JVM, runs interleaved so that drift in the machine hits every build alike.
#
#   bench/server-ab.sh BEFORE.jar AFTER.jar [...]     environment: RUNS (3), CLIENTS (500)
#
# Build a jar per version first, e.g. `git stash; mvn -B -q package -DskipTests; cp ftp-server/target/ftp-server.jar /tmp/before.jar`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
CLIENTS=${CLIENTS:-500}
client=$root/ftp-client/target/ftp-client.jar
[[ -f $client ]] || (cd "$root" && mvn -B -q package -DskipTests)
. "$root/bench/lib.sh"
server_pid=
trap stop_server EXIT
for run in $(seq "$RUNS"); do
  for jar in "$@"; do
    work=$(mktemp -d /dev/shm/selectftp-ab.XXXXXX)
    port=$(free_port)
    start_server "$jar" "$port" "$work" taskset -c 0
    taskset -c 1 java -jar "$client" bench -P "$port" --clients "$CLIENTS" --ops get --size 1MiB \
      --requests "$CLIENTS" --warmup "$CLIENTS" --local-dir "$work/local" 2>/dev/null | tail -1 |
      python3 -c "import json,sys; d=json.loads(sys.stdin.read()); l=d['serverStats']['loop']; print('%s run %s: %.0f files/s, %d failures, longest pass %.1f ms, worst 1 s p99 %.1f ms' % (sys.argv[1], sys.argv[2], d['throughput']['filesPerSec'], d['failures']['total'], l['maxPassMicros']/1000, l['p99PassMicrosWorstWindow']/1000))" "$(basename "$jar")" "$run"
    stop_server
    rm -rf "$work"
  done
done
