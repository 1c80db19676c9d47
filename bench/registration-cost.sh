#!/usr/bin/env bash
# Milliseconds per registration with 100 and with 10,000 users on disk (issue 9: it must not grow with users).
# Usage: bench/registration-cost.sh [SERVER_JAR] [REGISTRATIONS]   (defaults: this tree's jar, 300)
# For a before/after: build a jar per version and run this once with each. The data goes to $TMPDIR (a real
# disk matters: each registration fsyncs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$root/ftp-server/target/ftp-server.jar}
n=${2:-300}
[ -n "${1:-}" ] || "$root/bin/build-if-needed"
for existing in 100 10000; do
  work=$(mktemp -d)
  java -Dselectftp.consoleLevel=OFF -Dselectftp.logDir="$work/logs" -cp "$jar" "$root/bench/RegistrationCost.java" "$work/data" "$existing" "$n"
  rm -rf "$work"
done
