#!/usr/bin/env bash
# The first login of a user whose home holds ENTRIES folders (default 200,000): the server counts the home
# off the loop while the session waits; prints the login time, a bystander's slowest round trip and the
# longest loop pass (issue 9: the former on-loop walk took one 2.6 s pass for 200k entries).
# Usage: bench/quota-count.sh [ENTRIES]. Needs ENTRIES inodes free in $TMPDIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
entries=${1:-200000}
"$root/bin/build-if-needed"
work=$(mktemp -d)
server_pid=
trap 'stop_server; rm -rf "$work"' EXIT
mkdir -p "$work/data/home/big"
echo "making $entries folders..." >&2
python3 -c 'import os,sys
d=sys.argv[1]
for i in range(int(sys.argv[2])): os.mkdir(os.path.join(d, "f%07d" % i))' "$work/data/home/big" "$entries"
for u in big watcher; do
  printf '%s-pass\n' "$u" | java -jar "$root/ftp-server/target/ftp-server.jar" user add "$u" --data "$work/data" >&2
done
port=$(free_port)
# shellcheck disable=SC2086  # SERVER_PIN is a command with its options
start_server "$root/ftp-server/target/ftp-server.jar" "$port" "$work" ${SERVER_PIN:-}
java -cp "$root/ftp-client/target/ftp-client.jar" "$root/bench/QuotaCount.java" "$port" big big-pass
