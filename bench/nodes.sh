#!/usr/bin/env bash
# Issue 13 item 5: several nodes behind HAProxy, measured with the client's `bench` load generator against
#   direct   one node, its own port
#   haproxy1 the same node behind HAProxy (TCP mode, a frontend with that node alone)
#   haproxy2 two nodes behind HAProxy (round robin)
# all three at once on one throwaway PostgreSQL (accounts and the quota ledger), so every figure pays the
# ledger alike: a declared-size upload waits for its reservation at the start and confirms it before the
# publish. Work per setup: logins/s (login,list,quit on new connections), small put+get ops/s (4 KiB, each
# verified) and one big download's and upload's MiB/s.
#
#   bench/nodes.sh [OUT_DIR]     results: OUT_DIR/SETUP-WORK-ROUND.json and nodes-summary.txt (medians, ratios)
#
# Environment: ROUNDS (3), DURATION (5s), CLIENTS (16), SMALL (4KiB), BIG_MIB (256; 0 skips), PIN (1).
# PIN=1 puts the whole server side (both nodes, HAProxy, PostgreSQL) on CPU 0 and the bench JVM on CPU 1, as the
# other scripts pin servers and load generators. On 2 cores a second node therefore cannot add CPU: this
# measures what HAProxy and a second node cost, not how nodes scale (BENCHMARKS.md gives the model for N cores).
# The setups are measured in turn within each round (paired: drift hits all three alike); medians over rounds.
# The nodes run without --storage, so homes are per node: the download's source file is put on each node first.
# Stops everything it started and deletes its temp folders at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$root/bench-results/nodes-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CLIENTS=${CLIENTS:-16}
SMALL=${SMALL:-4KiB}
BIG_MIB=${BIG_MIB:-256}
PIN=${PIN:-1}
log() { echo "nodes: $*" >&2; }
if [[ $PIN == 1 ]] && { ! command -v taskset >/dev/null || (( $(nproc) < 2 )); }; then
  log "warning: no taskset or fewer than 2 CPUs; running unpinned"; PIN=0
fi
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $pgbin/initdb ]] || { log "no PostgreSQL server binaries: apt-get install postgresql"; exit 1; }
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
[[ -x $haproxy ]] || { log "no haproxy: apt-get install haproxy"; exit 1; }
"$root/bin/build-if-needed"
. "$here/lib.sh"
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
wait_listen() {  # ADDRESS PORT
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.2; done
  log "nothing listens on $1:$2"; tail -n 5 "$work"/*.out "$work"/node*/server.out >&2; return 1
}

work=$(mktemp -d /dev/shm/selectftp-nodes.XXXXXX)
chmod 755 "$work"  # PostgreSQL runs as user postgres and must reach its folder inside
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -f $work/pg/data/postmaster.pid ]] && as_postgres "$pgbin/pg_ctl" -D "$work/pg/data" -w -m fast stop >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL: trust on loopback, fsync on (as deploy/cluster.sh).
pgport=$(free_port)
mkdir -p "$work/pg"
[[ $(id -u) == 0 ]] && chown postgres "$work/pg"
as_postgres "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
as_postgres "${on_server[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w start \
  -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" >/dev/null
as_postgres "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U postgres selectftp
accounts="postgresql://127.0.0.1:$pgport/selectftp?user=postgres"

# Two nodes on 127.0.0.2 (each its own data folder), the flags of testing/ServerNodes for one client address.
node_port=()
for i in 1 2; do
  port=$(free_port)
  mkdir -p "$work/node$i"
  "${on_server[@]}" java -jar "$root/ftp-server/target/ftp-server.jar" --bind 127.0.0.2 --port "$port" --ftp-port 0 \
    --data "$work/node$i/data" --log-dir "$work/node$i/logs" --accounts "$accounts" --tls off --default-quota 64GiB \
    --max-per-address 100000 --registrations-per-address 1000 --registrations-per-hour 1000 \
    > "$work/node$i/server.out" 2>&1 &
  pids+=($!)
  node_port[i]=$port
  wait_listen 127.0.0.2 "$port"
done

# HAProxy: one frontend with node 1 alone, one with both (round robin), TCP mode as deploy/cluster.sh. No
# PROXY headers here: the direct setup connects to node 1 from 127.0.0.1, which a node trusting HAProxy's
# 127.0.0.1 (--proxy-protocol-from) would refuse without a header.
front1=$(free_port); front2=$(free_port)
cp "$root/deploy/haproxy-defaults.cfg" "$work/haproxy.cfg"
cat >> "$work/haproxy.cfg" <<CONF
frontend one
  bind 127.0.0.1:$front1
  default_backend one
backend one
  server node1 127.0.0.2:${node_port[1]}
frontend two
  bind 127.0.0.1:$front2
  default_backend two
backend two
  balance roundrobin
  server node1 127.0.0.2:${node_port[1]}
  server node2 127.0.0.2:${node_port[2]}
CONF
"${on_server[@]}" "$haproxy" -db -f "$work/haproxy.cfg" > "$work/haproxy.out" 2>&1 &
pids+=($!)
wait_listen 127.0.0.1 "$front1"
wait_listen 127.0.0.1 "$front2"
declare -A target=([direct]="127.0.0.2 ${node_port[1]}" [haproxy1]="127.0.0.1 $front1" [haproxy2]="127.0.0.1 $front2")

local_dir=$work/local
mkdir -p "$local_dir"
jar=$root/ftp-client/target/ftp-client.jar
# B HOST PORT ARGS...: one bench JVM on the load CPU as user bench-0 (registered once, through any node).
B() {
  local host=$1 port=$2; shift 2
  "${on_load[@]}" java -jar "$jar" bench -s "$host" -P "$port" -u bench -p bench-pass --register 1 \
    --local-dir "$local_dir" "$@"
}
# Each node gets the download sources (homes are per node) and a discarded warm-up of each work.
for i in 1 2; do
  for size in "$SMALL" $( ((BIG_MIB > 0)) && echo "${BIG_MIB}MiB"); do
    B 127.0.0.2 "${node_port[i]}" --clients 1 --ops get --size "$size" --requests 1 > /dev/null 2>&1
  done
  B 127.0.0.2 "${node_port[i]}" --clients "$CLIENTS" --ops login,list --duration 3s > /dev/null 2>&1
  B 127.0.0.2 "${node_port[i]}" --clients "$CLIENTS" --ops put,get --size "$SMALL" --duration 3s > /dev/null 2>&1
done
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/load.txt"

run() {  # SETUP WORK ROUND ARGS...
  local setup=$1 name=$2 round=$3; shift 3
  # shellcheck disable=SC2086  # target holds host and port
  B ${target[$setup]} "$@" 2> "$out/$setup-$name-$round.err" | tail -n 1 > "$out/$setup-$name-$round.json" || true
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); t=d['throughput']; print('%s %s round %s: %s ops/s, %s MB/s, %s failures' % (sys.argv[2], sys.argv[3], sys.argv[4], t['opsPerSec'], t['mbPerSec'], d['failures']['total']))" \
    "$out/$setup-$name-$round.json" "$setup" "$name" "$round" >&2 || log "$setup $name round $round: no result"
}
for round in $(seq "$ROUNDS"); do
  for setup in direct haproxy1 haproxy2; do
    run "$setup" logins "$round" --clients "$CLIENTS" --ops login,list --duration "$DURATION"
    run "$setup" small "$round" --clients "$CLIENTS" --ops put,get --size "$SMALL" --duration "$DURATION"
    if ((BIG_MIB > 0)); then
      run "$setup" get-big "$round" --clients 1 --ops get --size "${BIG_MIB}MiB" --requests 1
      run "$setup" put-big "$round" --clients 1 --ops put --size "${BIG_MIB}MiB" --requests 1
    fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
python3 "$here/summarize_nodes.py" "$out" | tee "$out/nodes-summary.txt"
log "results in $out"
