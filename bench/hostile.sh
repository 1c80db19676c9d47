#!/usr/bin/env bash
# Issue 9's attacks at full scale, each against a fresh server, with a bystander doing connect+login+list.
# Usage: bench/hostile.sh [ATTACK...]   (default: none list-pipeline junk-noread slow-frames register-flood xmx64)
# Env: SECONDS_PER=20 (attack length), AFTER=60 (seconds to wait before the "after" RSS), JAR=server jar,
#      CLIENT_JAR=client jar, SERVER_PIN / CLIENT_PIN (e.g. "taskset -c 0"), BIG=20000 (entries in /big).
# Prints one JSON line per attack (see bench/Hostile.java) with rss_after_mib added.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
[[ -z ${JAR:-} ]] && "$root/bin/build-if-needed"
jar=${JAR:-$root/ftp-server/target/ftp-server.jar}
client_jar=${CLIENT_JAR:-$root/ftp-client/target/ftp-client.jar}
seconds=${SECONDS_PER:-20}
after=${AFTER:-60}
big=${BIG:-20000}
attacks=("$@")
[[ ${#attacks[@]} -eq 0 ]] && attacks=(none list-pipeline junk-noread slow-frames register-flood xmx64)
work=
server_pid=
trap 'stop_server; [[ -n $work ]] && rm -rf "$work"' EXIT

hostile() { ${CLIENT_PIN:-} java -Xss256k -cp "$client_jar" "$root/bench/Hostile.java" "$@"; }
rss_mib() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status" 2>/dev/null || echo -1; }

for attack in "${attacks[@]}"; do
  work=$(mktemp -d)
  port=$(free_port)
  name=$attack
  opts=${SERVER_JAVA_OPTS:-}
  if [[ $attack == xmx64 ]]; then name=slow-frames; opts="$opts -Xmx64m"; fi
  # Low iterations so the bystander's own PBKDF2 does not dominate its login time.
  # shellcheck disable=SC2086  # SERVER_PIN and opts hold several words
  ${SERVER_PIN:-} java $opts -jar "$jar" --port "$port" --ftp-port 0 --data "$work/data" --log-dir "$work/logs" \
    --iterations 4096 --default-quota 64GiB > "$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.2; done
  hostile setup "$port" bench bench-password
  mkdir -p "$work/data/home/bench/big"
  python3 - "$work/data/home/bench/big" "$big" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    open(os.path.join(d, "%06d-" % i + "long-name-" * 20), "w").close()
PY
  hostile none "$port" "$server_pid" 3 bench bench-password > /dev/null || true   # warm-up
  line=$(hostile "$name" "$port" "$server_pid" "$seconds" bench bench-password || echo '{}')
  if [[ $attack == xmx64 ]]; then
    sleep 5
    if kill -0 "$server_pid" 2>/dev/null; then status=running; else wait "$server_pid" || status="exit $?"; fi
    line=${line%\}},\"xmx64\":true,\"after5s\":\"${status:-exit 0}\"}
  else
    sleep "$after"
    line=${line%\}},\"rss_after_mib\":$(rss_mib "$server_pid")}
  fi
  echo "$line"
  stop_server
  rm -rf "$work"
  work=
done
