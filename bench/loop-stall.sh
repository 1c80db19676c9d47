#!/usr/bin/env bash
# Longest event-loop pass while a SIZE upload and a SIZE download run and 4 clients log in/list/quit.
# Usage: bench/loop-stall.sh [SIZE_MIB]   (default 1024 = 1 GiB). Needs ~3x SIZE free disk in $TMPDIR.
# SERVER_PIN="taskset -c 0" CLIENT_PIN="taskset -c 1" keeps the load generator off the server's core.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size_mib=${1:-1024}
"$root/bin/build-if-needed"
work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
${SERVER_PIN:-} java ${SERVER_JAVA_OPTS:-} -jar "$root/ftp-server/target/ftp-server.jar" --port "$port" --data "$work/data" --log-dir "$work/logs" \
  --default-quota 64GiB >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.2; done
echo "making two ${size_mib} MiB random files..." >&2
head -c $((size_mib * 1048576)) /dev/urandom > "$work/up.bin"
# The download is placed on the server directly, so its hash is unknown and is computed while sending.
head -c $((size_mib * 1048576)) /dev/urandom > "$work/data/home/xiaoyu/down.bin"
mkdir -p "$work/local"
${CLIENT_PIN:-} java -cp "$root/ftp-client/target/ftp-client.jar" "$root/bench/LoopStall.java" "$port" xiaoyu 123456 \
  "$work/up.bin" down.bin "$work/local" 4
