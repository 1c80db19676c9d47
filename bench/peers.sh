#!/usr/bin/env bash
# Installs (if missing) and starts vsftpd, Pure-FTPd and pyftpdlib, bound to 127.0.0.1 only, and measures
# them with the same work as SelectFTP's bench: N Python ftplib clients each downloading 1 MiB (verified by
# SHA-256), login+LIST+quit sessions, one 1 GiB download (unverified and verified) and upload with curl.
# Also measures the loopback limit (iperf3) and this CPU's SHA-256 speed (openssl, and Java's MessageDigest
# when the client jar is built). Stops everything it started and deletes its temp folder at the end.
#
#   bench/peers.sh [OUT_DIR]        results: OUT_DIR/peer-*.json, iperf3.json, sha256-*.json
#
# Environment: CLIENTS (500), SESSION_SECONDS (5), BIG_MIB (1024; 0 skips the big files),
# PEERS ("vsftpd pure-ftpd pyftpdlib"), PROCS (2: ftplib client processes), PIN (1), WARMUP (100).
# PIN=1 runs each server (with its forked session processes) on CPU 0 and every load generator (ftplib
# clients, curl, sha256sum, iperf3 client) on CPU 1, as run-all.sh does for SelectFTP; PIN=0 turns it off.
# Each peer first serves a discarded warm-up of WARMUP clients x 1 MiB, as SelectFTP does.
# Nothing from the peers is copied into this repository; they come from Debian packages.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$root/bench-results/peers-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
CLIENTS=${CLIENTS:-500}
SESSION_SECONDS=${SESSION_SECONDS:-5}
BIG_MIB=${BIG_MIB:-1024}
PEERS=${PEERS:-"vsftpd pure-ftpd pyftpdlib"}
PROCS=${PROCS:-2}
PIN=${PIN:-1}
WARMUP=${WARMUP:-100}
FTP_USER=ftpbench
FTP_PASS=ftpbench-pass
PY=/usr/bin/python3            # Debian's python3, where python3-pyftpdlib installs
declare -A PORT=([vsftpd]=2631 [pure-ftpd]=2632 [pyftpdlib]=2633)
IPERF_PORT=2634

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log() { echo "peers: $*" >&2; }
. "$here/peer_servers.sh"
if [[ $PIN == 1 ]] && { ! command -v taskset >/dev/null || (( $(nproc) < 2 )); }; then
  log "warning: no taskset or fewer than 2 CPUs; running unpinned"; PIN=0
fi
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi
log "pinning: $([[ $PIN == 1 ]] && echo "servers on CPU 0, load generators on CPU 1" || echo off)"

# --- install -------------------------------------------------------------------------------------
need=()
command -v iperf3 >/dev/null || need+=(iperf3)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
[[ -x $PY ]] && $PY -c 'import pyftpdlib' 2>/dev/null || need+=(python3 python3-pyftpdlib)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d /tmp/selectftp-peers.XXXXXX)
chmod 755 "$tmp"
# The served files live on tmpfs when there is one, as SelectFTP's data folder does in run-all.sh.
if [[ -d /dev/shm && -w /dev/shm ]]; then shm=$(mktemp -d /dev/shm/selectftp-peers.XXXXXX); else shm=$tmp; fi
chmod 755 "$shm"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp" "$shm"
}
trap cleanup EXIT

# vsftpd, pure-ftpd and proftpd-core conflict as Debian packages (all three Provide/Conflict ftp-server):
# the ones not installed are unpacked into the temp folder (peer_root in peer_servers.sh), never installed.
VSFTPD= PUREFTPD=
if [[ " $PEERS " == *" vsftpd "* ]]; then r=$(peer_root vsftpd); VSFTPD=${r%/}/usr/sbin/vsftpd; fi
if [[ " $PEERS " == *" pure-ftpd "* ]]; then r=$(peer_root pure-ftpd); PUREFTPD=${r%/}/usr/sbin/pure-ftpd; fi

# --- test user and files -------------------------------------------------------------------------
files=$shm/files
mkdir -p "$files"
if ! id "$FTP_USER" >/dev/null 2>&1; then
  useradd -M -d "$files" -s /bin/sh "$FTP_USER"
fi
usermod -d "$files" "$FTP_USER"
echo "$FTP_USER:$FTP_PASS" | chpasswd
head -c $((1 << 20)) /dev/urandom > "$files/file-1MiB.bin"
sha1m=$(sha256sum "$files/file-1MiB.bin" | cut -d' ' -f1)
if ((BIG_MIB > 0)); then
  log "making a ${BIG_MIB} MiB random file"
  head -c $((BIG_MIB << 20)) /dev/urandom > "$files/file-big.bin"
  shabig=$(sha256sum "$files/file-big.bin" | cut -d' ' -f1)
fi
chown -R "$FTP_USER" "$files"


start_peer() {
  local name=$1 port=${PORT[$1]}
  case $name in
    vsftpd)
      mkdir -p "$tmp/vsftpd-empty"
      vsftpd_conf "$port" "$tmp/vsftpd-empty" > "$tmp/vsftpd.conf"
      "${on_server[@]}" "$VSFTPD" "$tmp/vsftpd.conf" > "$tmp/vsftpd.out" 2>&1 &
      ;;
    pure-ftpd)
      pureftpd_flags "$port"
      "${on_server[@]}" "$PUREFTPD" "${pure_flags[@]}" > "$tmp/pure-ftpd.out" 2>&1 &
      ;;
    pyftpdlib)
      "${on_server[@]}" $PY "$here/pyftpd_serve.py" "$port" "$FTP_USER" "$FTP_PASS" "$files" 42000 42999 \
        > "$tmp/pyftpdlib.out" 2>&1 &
      ;;
  esac
  pids+=($!)
  wait_port "$port"
}

load() { "${on_load[@]}" $PY "$here/peers_load.py" "$@" --user "$FTP_USER" --password "$FTP_PASS" --procs "$PROCS"; }

for peer in $PEERS; do
  log "starting $peer on 127.0.0.1:${PORT[$peer]}"
  start_peer "$peer"
  port=${PORT[$peer]}
  if ((WARMUP > 0)); then
    log "$peer: warm-up, $WARMUP clients x 1 MiB (discarded)"
    load download --port "$port" --clients "$WARMUP" --file file-1MiB.bin --sha256 "$sha1m" --label "$peer" \
      > "$out/peer-$peer-warmup.json" || log "$peer warm-up failed"
  fi
  log "$peer: $CLIENTS clients x 1 MiB"
  load download --port "$port" --clients "$CLIENTS" --file file-1MiB.bin --sha256 "$sha1m" --label "$peer" \
    > "$out/peer-$peer-download.json" || log "$peer download load failed"
  log "$peer: login+list+quit for ${SESSION_SECONDS}s, one client"
  load session --port "$port" --clients 1 --duration "$SESSION_SECONDS" --label "$peer" \
    > "$out/peer-$peer-session.json" || log "$peer session load failed"
  if ((BIG_MIB > 0)); then
    url="ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$port"
    log "$peer: ${BIG_MIB} MiB with curl (down unverified, down verified, up unverified)"
    down=$("${on_load[@]}" curl -s -o /dev/null -w '%{size_download} %{time_total}' "$url/file-big.bin" || echo "0 0")
    t0=$(date +%s.%N)
    got=$("${on_load[@]}" curl -s "$url/file-big.bin" | "${on_load[@]}" sha256sum | cut -d' ' -f1)
    t1=$(date +%s.%N)
    up=$("${on_load[@]}" curl -s -T "$files/file-big.bin" -w '%{size_upload} %{time_total}' "$url/up-$peer.bin" || echo "0 0")
    rm -f "$files/up-$peer.bin"
    $PY - "$peer" "$down" "$t0" "$t1" "$got" "$shabig" "$up" > "$out/peer-$peer-big.json" <<'PYEOF'
import json, sys
peer, down, t0, t1, got, want, up = sys.argv[1:]
db, dt = map(float, down.split()); ub, ut = map(float, up.split())
vt = float(t1) - float(t0)
size = db or ub
print(json.dumps({"tool": "curl", "label": peer, "bytes": int(size),
  "downloadMbPerSec": round(db / dt / 1e6, 1) if dt else 0,
  "downloadVerifiedMbPerSec": round(size / vt / 1e6, 1) if got == want else 0,
  "downloadVerified": got == want,
  "uploadMbPerSec": round(ub / ut / 1e6, 1) if ut else 0}))
PYEOF
  fi
  log "stopping $peer"
  pid=${pids[-1]}
  children=$(pgrep -P "$pid" || true)   # per-session processes of the forking servers
  kill "$pid" $children 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
done

log "iperf3 loopback, 5 s"
"${on_server[@]}" iperf3 -s -B 127.0.0.1 -p "$IPERF_PORT" -1 > /dev/null 2>&1 &
pids+=($!)
sleep 1   # not wait_port: a probe connection would use up the one-off (-1) server
"${on_load[@]}" iperf3 -c 127.0.0.1 -p "$IPERF_PORT" -t 5 -J > "$tmp/iperf3.json" || true
$PY - "$tmp/iperf3.json" > "$out/iperf3.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
bps = d["end"]["sum_received"]["bits_per_second"]
print(json.dumps({"tool": "iperf3", "mbPerSec": round(bps / 8 / 1e6, 1), "gbitPerSec": round(bps / 1e9, 2)}))
PYEOF

log "SHA-256 speed: openssl (256 KiB blocks, one core) and Java MessageDigest"
"${on_load[@]}" openssl speed -evp sha256 -bytes 262144 -seconds 3 2>/dev/null | tail -1 > "$tmp/openssl.txt" || true
$PY - "$tmp/openssl.txt" > "$out/sha256-openssl.json" <<'PYEOF'
import json, sys
line = open(sys.argv[1]).read().split()
kb = float(line[-1].rstrip("k")) if line else 0.0   # openssl prints 1000s of bytes per second
print(json.dumps({"tool": "openssl speed -evp sha256", "mbPerSec": round(kb / 1000, 1)}))
PYEOF
jar=$root/ftp-client/target/ftp-client.jar
if [[ -f $jar ]]; then
  "${on_load[@]}" java -cp "$jar" dev.selectftp.client.bench.Bench --hash-speed | tail -1 > "$out/sha256-java.json"
fi
log "results in $out"
