#!/usr/bin/env bash
# The benchmark of issue 10 in one run: TLS. Our server with --tls required against its own client, next to
# our plaintext figures from the same run, and vsftpd and Pure-FTPd over FTPS (explicit AUTH TLS, control and
# data encrypted, forced by the server), all with one self-signed certificate made here with openssl.
# Work for every server: one BIG_MIB file downloaded (verified by SHA-256) and uploaded (verified by SHA-256
# of what arrived), and FILES clients x 1 MiB downloaded at once, each verified.
#
#   bench/tls.sh [OUT_DIR]        results: OUT_DIR/ours-*.json, ours-tls-*.json, tls-PEER-*.json and
#                                 tls-summary.txt (bench/summarize_tls.py prints the table and the ratios)
#
# Environment: BIG_MIB (1024; 0 skips), FILES (500), PEERS ("vsftpd pure-ftpd"), OURS ("plain tls"; which of
# our runs; "" skips ours), PORT (2641: ours), PIN (1), WARMUP (100), PROCS (2: ftplib client processes).
# PIN=1 runs every server on CPU 0 and every load generator (our bench, curl, sha256sum, ftplib) on CPU 1,
# as run-all.sh and peers.sh do. Peers: 1 GiB with curl --ssl-reqd -k (which verifies no certificate; the
# bytes are verified with sha256sum), FILES x 1 MiB with peers_load.py --tls (Python's ssl, also unverified).
# Stops everything it started and deletes its temp folders at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$root/bench-results/tls-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
BIG_MIB=${BIG_MIB:-1024}
FILES=${FILES:-500}
PEERS=${PEERS-"vsftpd pure-ftpd"}
OURS=${OURS-"plain tls"}
PORT=${PORT:-2641}
PIN=${PIN:-1}
WARMUP=${WARMUP:-100}
PROCS=${PROCS:-2}
FTP_USER=ftpbench
FTP_PASS=ftpbench-pass
PY=/usr/bin/python3
declare -A PEER_PORT=([vsftpd]=2642 [pure-ftpd]=2643)

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log() { echo "tls: $*" >&2; }
if [[ $PIN == 1 ]] && { ! command -v taskset >/dev/null || (( $(nproc) < 2 )); }; then
  log "warning: no taskset or fewer than 2 CPUs; running unpinned"; PIN=0
fi
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi
log "pinning: $([[ $PIN == 1 ]] && echo "servers on CPU 0, load generators on CPU 1" || echo off)"

# --- install (as peers.sh: vsftpd installed, Pure-FTPd unpacked, since the two conflict as packages) ---------
need=()
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
[[ -x $PY ]] || need+=(python3)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d /tmp/selectftp-tls.XXXXXX)
chmod 755 "$tmp"
# Served and received files live on tmpfs when there is one, as in run-all.sh and peers.sh.
if [[ -d /dev/shm && -w /dev/shm ]]; then shm=$(mktemp -d /dev/shm/selectftp-tls.XXXXXX); else shm=$tmp; fi
chmod 755 "$shm"
work=$shm/ours
local_dir=$shm/local
mkdir -p "$work" "$local_dir"
pids=()
. "$here/lib.sh"
. "$here/peer_servers.sh"
server_pid=
trap stop_all_and_clean EXIT

# vsftpd, pure-ftpd and proftpd-core conflict as Debian packages (all three Provide/Conflict ftp-server):
# the ones not installed are unpacked into the temp folder (peer_root in peer_servers.sh), never installed.
VSFTPD= PUREFTPD=
if [[ " $PEERS " == *" vsftpd "* ]]; then r=$(peer_root vsftpd); VSFTPD=${r%/}/usr/sbin/vsftpd; fi
if [[ " $PEERS " == *" pure-ftpd "* ]]; then r=$(peer_root pure-ftpd); PUREFTPD=${r%/}/usr/sbin/pure-ftpd; fi

# --- one certificate for every server: RSA 2048, valid for 127.0.0.1, PEM as Let's Encrypt writes them ----
cert=$tmp/cert.pem
key=$tmp/key.pem
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$key" -out "$cert" 2>/dev/null
chmod 600 "$key"

# --- files ----------------------------------------------------------------------------------------------
files=$shm/files
mkdir -p "$files"
head -c $((1 << 20)) /dev/urandom > "$files/file-1MiB.bin"
sha1m=$(sha256sum "$files/file-1MiB.bin" | cut -d' ' -f1)
if ((BIG_MIB > 0)); then
  log "making a ${BIG_MIB} MiB random file"
  head -c $((BIG_MIB << 20)) /dev/urandom > "$files/file-big.bin"
  shabig=$(sha256sum "$files/file-big.bin" | cut -d' ' -f1)
fi

# --- ours: the exact command lines ------------------------------------------------------------------------
# ours_run MODE: MODE plain serves with --tls off and writes ours-*.json; MODE tls serves with
# --tls required and the run's certificate, the client trusting it with --cacert, and writes ours-tls-*.json.
# The same work as the peers: BIG_MIB down and up (the bench verifies both ends by SHA-256), FILES x 1 MiB.
ours_run() {
  local mode=$1 prefix=""
  local jar=$root/ftp-client/target/ftp-client.jar server_jar=$root/ftp-server/target/ftp-server.jar
  if [[ $mode == tls ]]; then
    prefix=tls-
    SERVER_ARGS="--tls required --tls-cert $cert --tls-key $key"
    BENCH_ARGS="--cacert $cert"
  else
    SERVER_ARGS="--tls off"
    BENCH_ARGS=""
  fi
  rm -rf "$work/data"
  SERVER_ARGS=$SERVER_ARGS start_server "$server_jar" "$PORT" "$work" "${on_server[@]}"
  log "ours ($mode): pid $server_pid on 127.0.0.1:$PORT"
  if ((WARMUP > 0)); then
    bench_ours "${prefix}warmup" --clients "$WARMUP" --ops get --size 1MiB --requests "$WARMUP"   # discarded
  fi
  if ((BIG_MIB > 0)); then
    bench_ours "${prefix}get-big" --clients 1 --ops get --size "${BIG_MIB}MiB" --requests 1
    bench_ours "${prefix}put-big" --clients 1 --ops put --size "${BIG_MIB}MiB" --requests 1
  fi
  bench_ours "${prefix}download" --clients "$FILES" --ops get --size 1MiB --requests "$FILES" --warmup "$FILES"
  stop_server
  rm -rf "$work/data"
}

for mode in $OURS; do
  [[ -f $root/ftp-server/target/ftp-server.jar ]] || { log "building"; (cd "$root" && mvn -B -q package -DskipTests); }
  ours_run "$mode"
done

# --- the peers over FTPS --------------------------------------------------------------------------------
if [[ -n $PEERS ]]; then
  if ! id "$FTP_USER" >/dev/null 2>&1; then useradd -M -d "$files" -s /bin/sh "$FTP_USER"; fi
  usermod -d "$files" "$FTP_USER"
  echo "$FTP_USER:$FTP_PASS" | chpasswd
  chown -R "$FTP_USER" "$files"
fi


start_peer() {
  local name=$1 port=${PEER_PORT[$1]}
  case $name in
    vsftpd)
      mkdir -p "$tmp/vsftpd-empty"
      # peers.sh's plaintext settings, plus TLS forced on logins and data, modern ciphers only.
      { vsftpd_conf "$port" "$tmp/vsftpd-empty"
        cat <<CONF
ssl_enable=YES
rsa_cert_file=$cert
rsa_private_key_file=$key
force_local_data_ssl=YES
force_local_logins_ssl=YES
ssl_ciphers=HIGH
CONF
      } > "$tmp/vsftpd.conf"
      "${on_server[@]}" "$VSFTPD" "$tmp/vsftpd.conf" > "$tmp/vsftpd.out" 2>&1 &
      ;;
    pure-ftpd)
      # -Y 2 (--tls=2): refuse clients that do not switch to TLS; -2 CERT,KEY (--certfile).
      pureftpd_flags "$port"
      "${on_server[@]}" "$PUREFTPD" "${pure_flags[@]}" \
        -Y 2 -2 "$cert,$key" > "$tmp/pure-ftpd.out" 2>&1 &
      ;;
  esac
  pids+=($!)
  wait_port "$port"
}

load() { "${on_load[@]}" $PY "$here/peers_load.py" "$@" --tls --user "$FTP_USER" --password "$FTP_PASS" --procs "$PROCS"; }

for peer in $PEERS; do
  port=${PEER_PORT[$peer]}
  log "starting $peer with TLS required on 127.0.0.1:$port"
  start_peer "$peer"
  url="ftp://127.0.0.1:$port"
  curl_tls=(curl -s --ssl-reqd -k -u "$FTP_USER:$FTP_PASS")
  # A plain login must be refused: proves the server really forces TLS.
  if curl -s -u "$FTP_USER:$FTP_PASS" -o /dev/null "$url/file-1MiB.bin"; then
    log "error: $peer served a plain-text client; TLS is not forced"; exit 1
  fi
  if ((WARMUP > 0)); then
    log "$peer: warm-up, $WARMUP clients x 1 MiB (discarded)"
    load download --port "$port" --clients "$WARMUP" --file file-1MiB.bin --sha256 "$sha1m" --label "$peer" \
      > "$out/tls-$peer-warmup.json" || log "$peer warm-up failed"
  fi
  # What the peer negotiates (protocol and cipher suite), for the record.
  proto=$("${curl_tls[@]}" -v -o /dev/null "$url/file-1MiB.bin" 2>&1 | sed -n 's/.*SSL connection using //p' | head -1)
  log "$peer negotiates ${proto:-?}"
  if ((BIG_MIB > 0)); then
    log "$peer: ${BIG_MIB} MiB with ${curl_tls[*]::4} (down verified, up verified)"
    t0=$(date +%s.%N)
    got=$("${on_load[@]}" "${curl_tls[@]}" "$url/file-big.bin" | "${on_load[@]}" sha256sum | cut -d' ' -f1)
    t1=$(date +%s.%N)
    up=$("${on_load[@]}" "${curl_tls[@]}" -T "$files/file-big.bin" -w '%{size_upload} %{time_total}' \
      "$url/up-$peer.bin" || echo "0 0")
    arrived=$(sha256sum "$files/up-$peer.bin" 2>/dev/null | cut -d' ' -f1 || true)
    rm -f "$files/up-$peer.bin"
    $PY - "$peer" "$t0" "$t1" "$got" "$shabig" "$up" "$arrived" $((BIG_MIB << 20)) "$proto" > "$out/tls-$peer-big.json" <<'PYEOF'
import json, sys
peer, t0, t1, got, want, up, arrived, size, proto = sys.argv[1:]
size = int(size); ub, ut = map(float, up.split()); vt = float(t1) - float(t0)
print(json.dumps({"tool": "curl --ssl-reqd -k", "label": peer, "bytes": size, "tls": proto,
  "downloadVerified": got == want, "downloadVerifiedMbPerSec": round(size / vt / 1e6, 1) if got == want else 0,
  "uploadVerified": arrived == want and int(ub) == size,
  "uploadVerifiedMbPerSec": round(ub / ut / 1e6, 1) if ut and arrived == want else 0}))
PYEOF
    cat "$out/tls-$peer-big.json" >&2
  fi
  log "$peer: $FILES clients x 1 MiB over FTPS"
  load download --port "$port" --clients "$FILES" --file file-1MiB.bin --sha256 "$sha1m" --label "$peer" \
    > "$out/tls-$peer-download.json" || log "$peer download load failed"
  cat "$out/tls-$peer-download.json" >&2
  log "stopping $peer"
  pid=${pids[-1]}
  kill "$pid" $(pgrep -P "$pid" || true) 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
done

$PY "$here/summarize_tls.py" "$out" | tee "$out/tls-summary.txt"
log "results in $out"
