#!/usr/bin/env bash
# Mutation testing with PIT (issue 14), one group of core classes at a time, each with only the fast tests
# that can kill its mutants (unit tests and in-process loopback tests; never the adversarial, real-client or
# subprocess classes, which the `mutation` profile of the root pom.xml excludes).
# Usage: bench/mutation.sh GROUP...   GROUP: common paths quota transfer accounts session | all (default all)
# Reports: MODULE/target/pit-reports/GROUP/index.html and mutations.csv beside it; the last lines of each run
# give the score. Runs under `nice -n 10` so that other work on the machine keeps its share of the cores.
# See docs/TESTING.md "Mutation testing (PIT)" for the time each group takes and its score.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
s=dev.selectftp.server
groups=("$@")
[[ ${#groups[@]} -eq 0 || ${groups[0]} == all ]] && groups=(common paths quota transfer accounts session)

for group in "${groups[@]}"; do
  module=ftp-server
  excluded=none.Matching
  case $group in
    common)   module=ftp-common
              classes='dev.selectftp.common.*'
              tests='dev.selectftp.common.*' ;;
    paths)    classes="$s.storage.*,$s.files.*"
              tests="$s.storage.*,$s.files.*,$s.accounts.UserNames*" ;;
    quota)    classes="$s.quota.*"
              tests="$s.quota.*,$s.transfer.*,$s.core.Upload*" ;;
    transfer) classes="$s.transfer.*"
              tests="$s.transfer.*,$s.core.Upload*,$s.core.Download*,$s.protocol.selectftp.SessionLoopback*" ;;
    accounts) classes="$s.accounts.*,$s.core.*"   # not accounts.postgres: only a real PostgreSQL tests it
              tests="$s.accounts.*,$s.core.*"
              excluded="$s.accounts.postgres.*" ;;
    session)  classes="$s.protocol.selectftp.Session*,$s.protocol.selectftp.Framing*"
              tests="$s.protocol.selectftp.*" ;;
    *) echo "unknown group: $group (common paths quota transfer accounts session all)" >&2; exit 2 ;;
  esac
  echo "== $group ($module: $classes)"
  start=$(date +%s)
  # test-compile, not verify: PIT runs the tests it needs itself; the module's whole suite need not run first.
  nice -n 10 mvn -B -P mutation -pl "$module" -am test-compile org.pitest:pitest-maven:mutationCoverage \
      -DtargetClasses="$classes" -DtargetTests="$tests" -DexcludedClasses="$excluded" \
      -Dpit.reports="$group" \
    | grep -E '>> (Line Coverage|Generated [0-9]+ mutations|Mutations with no|Ran )|Completed in|BUILD|ERROR' || true
  echo "== $group took $(( $(date +%s) - start )) s"
done
