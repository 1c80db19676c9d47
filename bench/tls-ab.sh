#!/usr/bin/env bash
# Quick A/B of one big verified download, ours only: one server (plain or --tls required) pinned on CPU 0,
# one warm-up client process (discarded), then REPS client processes pinned on CPU 1, each a fresh JVM that
# downloads SIZE_MIB once, as bench/tls.sh's get-big does. Prints MB/s per run, the client's CPU seconds
# (user sys real: real ~ user+sys means the client is the bottleneck) and the server's CPU seconds.
#
#   bench/tls-ab.sh ROOT plain|tls PORT REPS SIZE_MIB     ROOT: a checkout with both jars built
#
# Environment: CLIENT_JAVA_OPTS, SERVER_JAVA_OPTS (e.g. a JFR recording), EXTRA (more bench flags, e.g.
# "--warmup 2" to measure a warm client JVM). Compare runs made back to back only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$1 mode=$2 PORT=$3 reps=$4 size=$5
. "$here/lib.sh"
work=$(mktemp -d /dev/shm/selectftp-ab.XXXXXX)
local_dir=$work/local
mkdir -p "$local_dir"
trap 'stop_server; rm -rf "$work"' EXIT
jar=$root/ftp-client/target/ftp-client.jar
if [[ $mode == tls ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  SERVER_ARGS="--tls required --tls-cert $work/cert.pem --tls-key $work/key.pem"
  BA="--cacert $work/cert.pem"
else
  SERVER_ARGS="--tls off"
  BA=""
fi
SERVER_ARGS=$SERVER_ARGS start_server "$root/ftp-server/target/ftp-server.jar" "$PORT" "$work" taskset -c 0
run() {
  # shellcheck disable=SC2086  # option strings hold several words
  taskset -c 1 java ${CLIENT_JAVA_OPTS:-} -jar "$jar" bench -P "$PORT" -u bench -p bench-pass --register 1 \
    --local-dir "$local_dir" $BA --clients 1 --ops get --size "${size}MiB" --requests 1 ${EXTRA:-} "$@" \
    2>/dev/null | tail -n 1 > "$work/r.json"
}
run
for _ in $(seq "$reps"); do
  s0=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
  /usr/bin/time -f "%U %S %e" -o "$work/time" bash -c "$(declare -f run); jar='$jar' PORT=$PORT local_dir='$local_dir' BA='$BA' size=$size work='$work' CLIENT_JAVA_OPTS='${CLIENT_JAVA_OPTS:-}' EXTRA='${EXTRA:-}' run"
  s1=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
  mbps=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['throughput']['mbPerSec'], 'MB/s, failures', d['failures']['total'])" "$work/r.json")
  echo "$mode ${size}MiB: $mbps; whole client process cpu (user sys real) $(cat "$work/time"); server cpu $(( s1 - s0 ))0 ms"
done
