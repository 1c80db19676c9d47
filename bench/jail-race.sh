#!/usr/bin/env bash
# Issue 9, class 7 at full scale: JailRaceTest for SECONDS (60) against the real server. A thread swaps a
# folder of the home and a symlink to an outside folder as fast as it can while clients download, upload
# and mkdir in it; prints the counts and fails if one byte was read from or written outside the home.
#
#   bench/jail-race.sh            environment: SECONDS_TO_RUN (60)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -pl ftp-server -am test -Dtest=JailRaceTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Djail.race.seconds="${SECONDS_TO_RUN:-60}" 2>&1 | grep -E '\[jail-race\]|FAIL|expected' || true
grep -q 'Failures: 0, Errors: 0' ftp-server/target/surefire-reports/*JailRaceTest.txt
