#!/usr/bin/env bash
# Longest event-loop pass while a SIZE upload and a SIZE download run and 4 clients log in/list/quit.
# Usage: bench/loop-stall.sh [SIZE_MIB]   (default 1024 = 1 GiB). Needs ~3x SIZE free disk in $TMPDIR.
# SERVER_PIN="taskset -c 0" CLIENT_PIN="taskset -c 1" keeps the load generator off the server's core.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
size_mib=${1:-1024}
"$root/bin/build-if-needed"
work=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$work"' EXIT
port=$(free_port)
# shellcheck disable=SC2086  # SERVER_PIN is a command with its options
start_server "$root/ftp-server/target/ftp-server.jar" "$port" "$work" ${SERVER_PIN:-}
echo "making two ${size_mib} MiB random files..." >&2
head -c $((size_mib * 1048576)) /dev/urandom > "$work/up.bin"
# The download is placed on the server directly, so its hash is unknown and is computed while sending.
head -c $((size_mib * 1048576)) /dev/urandom > "$work/data/home/xiaoyu/down.bin"
mkdir -p "$work/local"
${CLIENT_PIN:-} java -cp "$root/ftp-client/target/ftp-client.jar" "$root/bench/LoopStall.java" "$port" xiaoyu 123456 \
  "$work/up.bin" down.bin "$work/local" 4
