#!/usr/bin/env bash
# A bystander's 4 KiB put (p50/p99) while N connections register accounts as fast as the server allows.
# Usage: bench/registration-flood.sh [SERVER_JAR] [SECONDS] [REGISTRARS]   (defaults: this tree's jar, 20, 8)
# LIMITS="--registrations-per-address 1000000 --registrations-per-hour 1000000" lifts the caps, to measure
# what an unlimited flood does to uploads (the caps of issue 9 otherwise stop it within seconds).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$root/ftp-server/target/ftp-server.jar}
seconds=${2:-20}
registrars=${3:-8}
[ -n "${1:-}" ] || "$root/bin/build-if-needed"
. "$root/bench/lib.sh"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
port=$(free_port)
# shellcheck disable=SC2086  # LIMITS holds several options
java -jar "$jar" --port "$port" --ftp-port 0 --data "$work/data" --log-dir "$work/logs" --iterations 4096 ${LIMITS:-} \
  > "$work/server.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.2; done
java -Dselectftp.logDir="$work/logs" -cp "$root/ftp-client/target/ftp-client.jar" "$root/bench/RegistrationFlood.java" "$port" "$seconds" "$registrars"
