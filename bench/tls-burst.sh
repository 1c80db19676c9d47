#!/usr/bin/env bash
# Issue 10's TLS figures for the server: the loop's longest and p99 pass during a burst of BURST TLS connects
# (default 500), and the server's heap per idle TLS session with IDLE sessions open (default 1000), held by a
# separate client process so that only the server's heap is measured.
# Usage: bench/tls-burst.sh [BURST] [IDLE]   (SERVER_PIN="taskset -c 0" to pin; the clients share the JVM)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -o -pl ftp-server -am test-compile
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -B -q -o -pl ftp-server dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null
# shellcheck disable=SC2086  # SERVER_PIN is a command with its options
${SERVER_PIN:-} java -Xmx2g -cp "ftp-server/target/test-classes:ftp-server/target/classes:ftp-common/target/classes:$(cat "$cp")" \
  dev.selectftp.server.hostile.TlsBurstBench "${1:-500}" "${2:-1000}"
