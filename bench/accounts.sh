#!/usr/bin/env bash
# Logins and registrations against the two account backends of one server build (issue 13 item 5): the
# default users.json and PostgreSQL (--accounts postgresql://...), on a throwaway PostgreSQL cluster made here
# (initdb into a temp folder as the postgres user, pg_ctl on a free loopback port, as testing/ThrowawayPostgres
# does), paired: each run starts a fresh server per backend, in alternating order, so drift hits both alike.
# Per run and backend: a discarded warm-up, then LOGINS connect + SCRAM login + quit passes with 1 client and
# with CLIENTS_MANY clients (`ftp-client.jar bench --ops login`, the same iterations both sides), then
# REGISTRATIONS registrations one after another (bench/RegistrationTime.java).
#
#   bench/accounts.sh [OUT_DIR]    results: OUT_DIR/<backend>-<run>-<work>.json and accounts-summary.txt
#
# Environment: RUNS (3), LOGINS (2000), CLIENTS_MANY (8), WARMUP (500), REGISTRATIONS (100), PIN (1),
# ITERATIONS (4096: the server's PBKDF2 count for new passwords, the smallest it takes, so that a registration
# is mostly the server's write and not the client's PBKDF2; logins never run PBKDF2 on the server, and the
# client derives its keys once per salt). PIN=1 runs the server and PostgreSQL on CPU 0 and the clients on
# CPU 1. Data folders and the cluster live on /dev/shm when it exists, as in the other scripts; the cluster
# keeps PostgreSQL's defaults (fsync on, which costs nothing on tmpfs; users.json fsyncs too).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$root/bench-results/accounts-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
RUNS=${RUNS:-3}
LOGINS=${LOGINS:-2000}
CLIENTS_MANY=${CLIENTS_MANY:-8}
WARMUP=${WARMUP:-500}
REGISTRATIONS=${REGISTRATIONS:-100}
PIN=${PIN:-1}
ITERATIONS=${ITERATIONS:-4096}
log() { echo "accounts: $*" >&2; }
if [[ $PIN == 1 ]] && { ! command -v taskset >/dev/null || (( $(nproc) < 2 )); }; then
  log "warning: no taskset or fewer than 2 CPUs; running unpinned"; PIN=0
fi
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $pg_bin/initdb ]] || { log "no PostgreSQL server binaries in /usr/lib/postgresql (Debian package postgresql)"; exit 2; }
as_pg=()
[[ $(id -u) == 0 ]] && as_pg=(runuser -u postgres --)   # initdb refuses root

jar=$root/ftp-client/target/ftp-client.jar
server_jar=$root/ftp-server/target/ftp-server.jar
[[ -f $jar && -f $server_jar ]] || { log "building"; (cd "$root" && mvn -B -q package -DskipTests); }

if [[ -d /dev/shm && -w /dev/shm ]]; then base=/dev/shm; else base=${TMPDIR:-/tmp}; fi
tmp=$(mktemp -d "$base/selectftp-accounts.XXXXXX")
chmod 755 "$tmp"
. "$here/lib.sh"
server_pid=
pg=$tmp/pg
pg_port=$(free_port)
pg_up=0
cleanup() {
  stop_server
  if ((pg_up)); then "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- the throwaway cluster -----------------------------------------------------------------------------
mkdir -p "$pg/sock"
if ((${#as_pg[@]})); then chown -R postgres "$pg"; fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
"${on_server[@]}" "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -w -t 60 -l "$pg/server.log" \
  -o "-p $pg_port -k $pg/sock -c listen_addresses=127.0.0.1" start >/dev/null
pg_up=1
psql() { PGOPTIONS="-c client_min_messages=warning" "${as_pg[@]}" "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port ($pg)"

# --- one backend, one run -----------------------------------------------------------------------------------
# measure BACKEND RUN: a fresh server (and for pg a fresh database) on a fresh data folder, then the work.
measure() {
  local backend=$1 run=$2 port work accounts=""
  port=$(free_port)
  work=$tmp/$backend-$run
  mkdir -p "$work"
  if [[ $backend == pg ]]; then
    psql -c "DROP DATABASE IF EXISTS selectftp" -c "CREATE DATABASE selectftp"
    accounts="--accounts postgresql://127.0.0.1:$pg_port/selectftp?user=postgres"
  fi
  SERVER_ARGS="--tls off --iterations $ITERATIONS --registrations-per-address 1000000 \
    --registrations-per-hour 1000000 $accounts" start_server "$server_jar" "$port" "$work" "${on_server[@]}"
  log "$backend run $run: server pid $server_pid on 127.0.0.1:$port"
  local b=("${on_load[@]}" java -jar "$jar" bench -P "$port" -u bench -p bench-pass --register 1 --ops login)
  "${b[@]}" --clients 1 --requests "$WARMUP" > /dev/null 2>&1   # discarded: JIT warm-up of both JVMs
  "${b[@]}" --clients 1 --requests "$LOGINS" 2>/dev/null | tail -n 1 > "$out/$backend-$run-login-1.json"
  "${b[@]}" --clients "$CLIENTS_MANY" --requests "$LOGINS" 2>/dev/null | tail -n 1 \
    > "$out/$backend-$run-login-$CLIENTS_MANY.json"
  "${on_load[@]}" java -cp "$jar" "$here/RegistrationTime.java" "$port" "$REGISTRATIONS" "reg$run-" \
    > "$out/$backend-$run-register.json"
  stop_server
  rm -rf "$work"
}

for run in $(seq "$RUNS"); do
  if (( run % 2 )); then order="json pg"; else order="pg json"; fi
  for backend in $order; do measure "$backend" "$run"; done
done

# --- summary: medians over the runs, PostgreSQL / users.json ratios --------------------------------------
python3 - "$out" "$RUNS" "$CLIENTS_MANY" <<'PYEOF' | tee "$out/accounts-summary.txt"
import json, statistics, sys
out, runs, many = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(b, r, w): return json.load(open(f"{out}/{b}-{r}-{w}.json"))
rows = []
for w, label in (("login-1", "1 client"), (f"login-{many}", f"{many} clients")):
    for fig, get in (("logins/s", lambda d: d["throughput"]["opsPerSec"]),
                     ("login p50 ms", lambda d: d["latencyMs"]["login"]["p50"]),
                     ("login p99 ms", lambda d: d["latencyMs"]["login"]["p99"])):
        rows.append((f"{label}: {fig}", [get(load("json", r, w)) for r in range(1, runs + 1)],
                     [get(load("pg", r, w)) for r in range(1, runs + 1)]))
    fails = sum(load(b, r, w)["failures"]["total"] for b in ("json", "pg") for r in range(1, runs + 1))
    if fails: rows.append((f"{label}: FAILURES", [fails], [fails]))
for fig, key in (("registration mean ms", "meanMs"), ("registration p99 ms", "p99Ms")):
    rows.append((fig, [load("json", r, "register")[key] for r in range(1, runs + 1)],
                 [load("pg", r, "register")[key] for r in range(1, runs + 1)]))
print(f"{'figure':30} {'users.json (median; runs)':38} {'PostgreSQL (median; runs)':38} pg/json")
for name, j, p in rows:
    mj, mp = statistics.median(j), statistics.median(p)
    fmt = lambda m, v: f"{m:.1f} ({', '.join(f'{x:.1f}' for x in v)})"
    print(f"{name:30} {fmt(mj, j):38} {fmt(mp, p):38} {mp / mj if mj else float('nan'):.2f}")
PYEOF
log "results in $out"
