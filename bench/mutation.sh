#!/usr/bin/env bash
# Mutation testing with PIT (issue 14), module by module, over ftp-common and the server's core packages.
# Usage: bench/mutation.sh [common|server|all]   (default all). Reports: MODULE/target/pit-reports/index.html,
# mutations.csv beside it; the last lines of each run give the score. See docs/TESTING.md for times and scores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
what=${1:-all}
core='dev.selectftp.server.core.*,dev.selectftp.server.storage.*,dev.selectftp.server.quota.*,dev.selectftp.server.files.*,dev.selectftp.server.accounts.*,dev.selectftp.server.protocol.selectftp.*,dev.selectftp.server.transfer.*,dev.selectftp.server.net.*,dev.selectftp.server.loop.*,dev.selectftp.server.tls.*'
if [[ $what == common || $what == all ]]; then
  mvn -B -P mutation -pl ftp-common verify | grep -E '^>> |Generated|Test strength'
fi
if [[ $what == server || $what == all ]]; then
  mvn -B -P mutation -pl ftp-server -am verify -DtargetClasses="$core" | grep -E '^>> |Generated|Test strength'
fi
