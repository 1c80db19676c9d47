#!/usr/bin/env bash
# A whole SelectFTP cluster on this machine, to try it out: a throwaway PostgreSQL (accounts and the shared quota
# ledger), S3Proxy (an S3 API on a folder), two server nodes and HAProxy in TCP mode in front of both doors.
#
#   deploy/cluster.sh up     start everything, print the ports and a client command line
#   deploy/cluster.sh down   stop everything and delete its state
#
# State (data, logs, configs, pids) lives in $SELECTFTP_CLUSTER (default: a folder under /tmp named in
# /tmp/selectftp-cluster.state). Needs Debian's postgresql and haproxy packages and a JDK; builds the jars first.
# Nodes listen on 127.0.0.2, HAProxy on 127.0.0.1; each node has its own FTP passive range, which HAProxy
# forwards to it, and PASV names 127.0.0.1. Homes go to S3Proxy (--storage s3://...) when the server's --help
# lists --storage; until then each node keeps homes in its own data folder and only accounts and quotas are shared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pointer=/tmp/selectftp-cluster.state
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
  local s3jar=$root/ftp-server/target/s3proxy/s3proxy.jar
  if [[ ! -f $s3jar ]]; then
    echo "fetching S3Proxy (mvn generate-test-resources)..." >&2
    (cd "$root" && mvn -B -q -pl ftp-server -am generate-test-resources) >&2
  fi
  state=${SELECTFTP_CLUSTER:-$(mktemp -d /tmp/selectftp-cluster-XXXXXX)}
  mkdir -p "$state"
  chmod 755 "$state"  # PostgreSQL runs as user postgres and must reach its folder inside
  echo "$state" > "$pointer"
  echo "state in $state"

  # PostgreSQL: a cluster in the state folder, trust authentication on loopback, fsync on.
  local pgport; pgport=$(free_port)
  mkdir -p "$state/pg"
  [[ $(id -u) == 0 ]] && chown postgres "$state/pg"
  as_postgres "$pgbin/initdb" -D "$state/pg/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w start \
    -o "-p $pgport -k $state/pg -c listen_addresses=127.0.0.1" >/dev/null
  as_postgres "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U postgres selectftp
  echo "$pgbin" > "$state/pg/bin"
  local accounts="postgresql://127.0.0.1:$pgport/selectftp?user=postgres"

  # S3Proxy on a folder, with a bucket (a folder of the filesystem backend).
  local s3port; s3port=$(free_port)
  mkdir -p "$state/s3/data/$bucket"
  cat > "$state/s3/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=cluster
s3proxy.credential=cluster-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$state/s3/data
CONF
  nohup java -Xmx256m -jar "$s3jar" --properties "$state/s3/s3proxy.conf" >"$state/s3/s3proxy.log" 2>&1 &
  echo $! > "$state/s3/pid"
  wait_port 127.0.0.1 "$s3port" S3Proxy

  local storage=()
  if java -jar "$root/ftp-server/target/ftp-server.jar" --help 2>&1 | grep -q -- '--storage'; then
    storage=(--storage "s3://$bucket/homes" --s3-endpoint "http://127.0.0.1:$s3port")
    export AWS_ACCESS_KEY_ID=cluster AWS_SECRET_ACCESS_KEY=cluster-secret AWS_REGION=us-east-1
    echo "homes on S3Proxy: ${storage[*]}"
  else
    echo "this server has no --storage yet: each node keeps homes in its own data folder"
  fi

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

stop_pid() {  # PIDFILE: SIGTERM, then SIGKILL after 10 s
  [[ -f $1 ]] || return 0
  local pid; pid=$(cat "$1")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

down() {
  if [[ ! -f $pointer ]]; then
    echo "no cluster is up" >&2
    exit 0
  fi
  state=$(cat "$pointer")
  stop_pid "$state/haproxy.pid"
  for pidfile in "$state"/node*/pid; do stop_pid "$pidfile"; done
  stop_pid "$state/s3/pid"
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
