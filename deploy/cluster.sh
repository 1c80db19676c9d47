#!/usr/bin/env bash
# A whole SelectFTP cluster on this machine, to try it out: a throwaway PostgreSQL (accounts and the shared quota
# ledger), S3Proxy (an S3 API on a folder) holding every home (--storage s3://...), two server nodes and HAProxy
# in TCP mode in front of both doors.
#
#   deploy/cluster.sh up     start everything, print the ports and a client command line
#   deploy/cluster.sh down   stop everything and delete its state
#
# State (data, logs, configs, pids) lives in $SELECTFTP_CLUSTER (default: a new folder under /tmp); the path of
# the cluster that is up is kept in the pointer file $SELECTFTP_CLUSTER_POINTER (default
# /tmp/selectftp-cluster.state), so `up` refuses while it exists and `down` knows what to stop. Set both to run
# a second cluster beside your own (the tests do). Needs Debian's postgresql and haproxy packages and a JDK.
# Builds the jars first (bin/build-if-needed) and fetches S3Proxy with Maven when missing; with
# SELECTFTP_NO_BUILD=1 it never runs Maven and uses the jars already in */target (a test inside a running
# `mvn verify` sets it). Nodes listen on 127.0.0.2, HAProxy on 127.0.0.1; each node has its own FTP passive
# range, which HAProxy forwards to it, and PASV names 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/deploy/s3proxy.sh"
pointer=${SELECTFTP_CLUSTER_POINTER:-/tmp/selectftp-cluster.state}
bucket=selectftp
nodes=2
range=20   # FTP passive ports per node

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_postgres() {  # initdb refuses root: the PostgreSQL binaries run as user postgres then
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_port() {  # ADDRESS PORT WHAT
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$3 did not listen on $1:$2; see $state" >&2
  return 1
}

up() {
  if [[ -f $pointer ]]; then
    echo "a cluster is already up in $(cat "$pointer"); run: $0 down" >&2
    exit 1
  fi
  local pgbin haproxy
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x $pgbin/initdb ]] || { echo "no PostgreSQL server binaries: apt-get install postgresql" >&2; exit 1; }
  haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
  [[ -x $haproxy ]] || { echo "no haproxy: apt-get install haproxy" >&2; exit 1; }
  "$root/bin/build-if-needed"
  local s3jar; s3jar=$(s3proxy_jar "$root")
  state=${SELECTFTP_CLUSTER:-$(mktemp -d /tmp/selectftp-cluster-XXXXXX)}
  mkdir -p "$state"
  chmod 755 "$state"  # PostgreSQL runs as user postgres and must reach its folder inside
  echo "$state" > "$pointer"
  echo "state in $state"

  # S3Proxy on a folder, with a bucket (a folder of the filesystem backend); its JVM starts while initdb runs.
  local s3port; s3port=$(free_port)
  s3proxy_config "$state/s3" "$s3port" cluster cluster-secret "$bucket"
  nohup java -Xmx256m -jar "$s3jar" --properties "$state/s3/s3proxy.conf" >"$state/s3/s3proxy.log" 2>&1 &
  echo $! > "$state/s3/pid"
  # PostgreSQL: a cluster in the state folder, trust authentication on loopback, fsync on (initdb's own
  # syncs are skipped: a crash during up loses only this throwaway cluster).
  local pgport; pgport=$(free_port)
  mkdir -p "$state/pg"
  [[ $(id -u) == 0 ]] && chown postgres "$state/pg"
  as_postgres "$pgbin/initdb" -D "$state/pg/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w start \
    -o "-p $pgport -k $state/pg -c listen_addresses=127.0.0.1" >/dev/null
  as_postgres "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U postgres selectftp
  echo "$pgbin" > "$state/pg/bin"
  local accounts="postgresql://127.0.0.1:$pgport/selectftp?user=postgres"

  wait_port 127.0.0.1 "$s3port" S3Proxy

  local storage=(--storage "s3://$bucket/homes" --s3-endpoint "http://127.0.0.1:$s3port")
  export AWS_ACCESS_KEY_ID=cluster AWS_SECRET_ACCESS_KEY=cluster-secret AWS_REGION=us-east-1
  echo "homes on S3Proxy: ${storage[*]}"

  # The nodes: their own ports and passive range on 127.0.0.2; one TLS certificate for both (the first
  # node makes a self-signed pair, the second is given it), so a client sees the same server on either.
  local backends_sftp="" backends_ftp="" passive="" i base=$((20000 + RANDOM % 90 * 100)) # below ephemeral ports
  for i in $(seq 1 $nodes); do
    local port ftp first data=$state/node$i
    port=$(free_port); ftp=$(free_port); first=$((base + (i - 1) * range))
    mkdir -p "$data"
    local tls=()
    [[ $i -gt 1 ]] && tls=(--tls-cert "$state/node1/tls/server-cert.pem" --tls-key "$state/node1/tls/server-key.pem")
    nohup java -Xmx256m -jar "$root/ftp-server/target/ftp-server.jar" --bind 127.0.0.2 --port "$port" \
      --ftp-port "$ftp" --ftp-passive-ports "$first-$((first + range - 1))" --ftp-public-address 127.0.0.1 \
      --data "$data" --log-dir "$data/logs" --accounts "$accounts" --proxy-protocol-from 127.0.0.1 \
      "${tls[@]}" "${storage[@]}" >"$data/process.out" 2>&1 &
    echo $! > "$data/pid"
    wait_port 127.0.0.2 "$port" "node $i"
    # send-proxy-v2: each connection (checks and data connections too) begins with a PROXY header naming
    # the client, which the node trusts from HAProxy's 127.0.0.1 alone (--proxy-protocol-from).
    backends_sftp+="  server node$i 127.0.0.2:$port send-proxy-v2 check inter 1s fall 1 rise 1"$'\n'
    backends_ftp+="  server node$i 127.0.0.2:$ftp send-proxy-v2 check inter 1s fall 1 rise 1"$'\n'
    passive+="frontend passive$i"$'\n'"  bind 127.0.0.1:$first-$((first + range - 1))"$'\n'
    passive+="  default_backend passive$i"$'\n'"backend passive$i"$'\n'"  server node$i 127.0.0.2 send-proxy-v2"$'\n'
  done

  # HAProxy: TCP mode, round robin for both doors, each passive range to its node (port kept as connected).
  local front_sftp front_ftp; front_sftp=$(free_port); front_ftp=$(free_port)
  cp "$root/deploy/haproxy-defaults.cfg" "$state/haproxy.cfg"
  cat >> "$state/haproxy.cfg" <<CONF
frontend selectftp
  bind 127.0.0.1:$front_sftp
  default_backend selectftp
backend selectftp
  balance roundrobin
$backends_sftp
frontend ftp
  bind 127.0.0.1:$front_ftp
  default_backend ftp
backend ftp
  balance roundrobin
$backends_ftp
$passive
CONF
  nohup "$haproxy" -db -f "$state/haproxy.cfg" >"$state/haproxy.out" 2>&1 &
  echo $! > "$state/haproxy.pid"
  wait_port 127.0.0.1 "$front_sftp" HAProxy
  cat <<INFO

SelectFTP cluster up (state in $state)
  SelectFTP door (HAProxy):  127.0.0.1:$front_sftp
  FTP door (HAProxy):        127.0.0.1:$front_ftp
  PostgreSQL:                $accounts
  S3Proxy:                   http://127.0.0.1:$s3port  (bucket $bucket, key cluster / cluster-secret)
Try:
  $root/bin/ftp-client -s 127.0.0.1 -P $front_sftp -u alice -p 'correct horse' register
  $root/bin/ftp-client -s 127.0.0.1 -P $front_sftp -u alice -p 'correct horse' ls
  curl -T README.md 'ftp://alice:correct%20horse@127.0.0.1:$front_ftp/'
Stop:
  $0 down
INFO
}

running() {  # PID: true while the process runs. An exited one not reaped yet (a zombie, state Z after the
  # name in /proc/PID/stat) does not count: its parent is whatever adopts orphans here and may reap late.
  local stat
  [[ -e /proc/$1 ]] || { kill -0 "$1" 2>/dev/null; return; }  # no /proc: kill -0 (a zombie counts)
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ $stat != [ZX]* ]]
}

stop_pids() {  # PIDFILE...: SIGTERM to all at once, then SIGKILL to any still running after 10 s
  local file pids=() pid
  for file in "$@"; do [[ -f $file ]] && pids+=("$(cat "$file")"); done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local left=()
    for pid in "${pids[@]}"; do running "$pid" && left+=("$pid"); done
    ((${#left[@]})) || return 0
    pids=("${left[@]}")
    sleep 0.2
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

down() {
  if [[ ! -f $pointer ]]; then
    echo "no cluster is up" >&2
    exit 0
  fi
  state=$(cat "$pointer")
  stop_pids "$state/haproxy.pid"
  stop_pids "$state"/node*/pid   # the nodes drain together; they still need S3Proxy and PostgreSQL for that
  stop_pids "$state/s3/pid"
  if [[ -f $state/pg/bin ]]; then
    as_postgres "$(cat "$state/pg/bin")/pg_ctl" -D "$state/pg/data" -w -m fast stop >/dev/null || true
  fi
  rm -rf "$state" "$pointer"
  echo "cluster down, $state removed"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
