#!/usr/bin/env bash
# Issue 11's benchmark: SelectFTP's standard FTP door against vsftpd, Pure-FTPd, ProFTPD and pyftpdlib, with
# the SAME clients for every server (Python ftplib and curl; none of them ours), in one pinned run.
#
#   bench/ftp-peers.sh [OUT_DIR]     results: OUT_DIR/ftp-SERVER-*.json, ftp-skipped.txt, ftp-summary.json
#                                    and ftp-summary.txt (bench/summarize_ftp.py prints the table again)
#
# Work, per server, each serving its own copy of the same random files from its own folder on tmpfs:
#   (a) FILES ftplib clients x 1 MiB at once (peers_load.py download: all log in, then all RETR together,
#       each hashes the bytes against the known SHA-256): files/s and failures;
#   (b) SESSIONS x (connect + USER/PASS + LIST + QUIT) with ftplib, one client, one after another
#       (peers_load.py session --count): median and p99 ms;
#   (c) one BIG_MIB MiB RETR (curl to /dev/null) and STOR (curl -T) in MB/s; the bytes of both are checked
#       by SHA-256 outside the timed runs;
#   (d) the same RETR over FTPS (explicit AUTH TLS, PROT P, TLS forced by each server's config) with
#       `curl --ssl-reqd -k`; a server where a 1 MiB `curl --ssl-reqd` fails is skipped with curl's error.
# Before (a) every server gets LOGIN_WARMUP discarded sessions one after another (this warms SelectFTP's
# password cache: the first PASS of a user costs one PBKDF2, the next ones a keyed hash, see
# docs/SECURITY.md; done first, so the warm-up's concurrent logins do not all run PBKDF2), then a discarded
# warm-up of WARMUP clients x 1 MiB. Before each timed RETR in (c) and (d), the untimed checking download
# serves as the warm-up of the bulk path. MB/s in (c) and (d) are over the transfer itself, from the
# RETR or STOR to the 226 (curl's time_total - time_pretransfer; SelectFTP's 226 to a STOR comes after its
# SHA-256 check and fsync); the JSON also has the rate over curl's whole run, login included.
#
# Environment: FILES (500), SESSIONS (1000), BIG_MIB (1024; 0 skips c and d), FTPS (1; 0 skips d),
# SERVERS ("selectftp vsftpd pure-ftpd proftpd pyftpdlib"), PIN (1), WARMUP (100), LOGIN_WARMUP (20),
# PROCS (2: ftplib client processes). A small run: FILES=50 SESSIONS=200 BIG_MIB=64 WARMUP=20.
# PIN=1 runs each server (with its forked session processes) on CPU 0 and every client (ftplib, curl,
# sha256sum) on CPU 1, as run-all.sh, peers.sh and tls.sh do. Stops everything it started and deletes its
# temp folders at the end. Nothing from the peers is copied into this repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$root/bench-results/ftp-peers-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
FILES=${FILES:-500}
SESSIONS=${SESSIONS:-1000}
BIG_MIB=${BIG_MIB:-1024}
FTPS=${FTPS:-1}
SERVERS=${SERVERS-"selectftp vsftpd pure-ftpd proftpd pyftpdlib"}
PIN=${PIN:-1}
WARMUP=${WARMUP:-100}
LOGIN_WARMUP=${LOGIN_WARMUP:-20}
PROCS=${PROCS:-2}
FTP_USER=ftpbench
FTP_PASS=ftpbench-pass
PY=/usr/bin/python3            # Debian's python3, where python3-pyftpdlib installs
# Control ports; passive ranges: vsftpd 40000-40999, Pure-FTPd 41000-41999, pyftpdlib 42000-42999,
# ProFTPD 43000-43999, SelectFTP the kernel's ephemeral ports (it has no --ftp-passive-ports yet).
declare -A PORT=([selectftp]=2651 [vsftpd]=2652 [pure-ftpd]=2653 [proftpd]=2654 [pyftpdlib]=2655)
OUR_PORT=2650                  # SelectFTP's own door, which always listens; nothing here uses it

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log() { echo "ftp-peers $(date +%T): $*" >&2; }
skipped=()
skip() { skipped+=("$*"); log "SKIPPED: $*"; }
. "$here/lib.sh"
. "$here/peer_servers.sh"
if [[ $PIN == 1 ]] && { ! command -v taskset >/dev/null || (( $(nproc) < 2 )); }; then
  log "warning: no taskset or fewer than 2 CPUs; running unpinned"; PIN=0
fi
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi
log "pinning: $([[ $PIN == 1 ]] && echo "servers on CPU 0, clients on CPU 1" || echo off)"

# --- install what is missing (idempotent; the FTP servers themselves are unpacked, see peer_root) ----------
need=()
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
[[ -x $PY ]] || need+=(python3)
if [[ " $SERVERS " == *" pyftpdlib "* ]]; then
  [[ -x $PY ]] && $PY -c 'import pyftpdlib' 2>/dev/null || need+=(python3-pyftpdlib)
  ((FTPS == 0)) || { [[ -x $PY ]] && $PY -c 'import OpenSSL' 2>/dev/null; } || need+=(python3-openssl)
fi
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d /tmp/selectftp-ftp-peers.XXXXXX)
chmod 755 "$tmp"
# Served files live on tmpfs when there is one, as in the other bench scripts: the 1 GiB runs measure the
# servers, not the disk (SelectFTP fsyncs every upload; fsync on tmpfs costs nothing).
if [[ -d /dev/shm && -w /dev/shm ]]; then shm=$(mktemp -d /dev/shm/selectftp-ftp-peers.XXXXXX); else shm=$tmp; fi
chmod 755 "$shm"
pids=()
server_pid=
trap stop_all_and_clean EXIT

declare -A BIN=()
for s in $SERVERS; do
  case $s in
    selectftp)
      server_jar=$root/ftp-server/target/ftp-server.jar
      [[ -f $server_jar ]] || { log "building"; (cd "$root" && mvn -B -q package -DskipTests); } ;;
    vsftpd) r=$(peer_root vsftpd) && BIN[vsftpd]=${r%/}/usr/sbin/vsftpd || skip "vsftpd: cannot get its package" ;;
    pure-ftpd) r=$(peer_root pure-ftpd) && BIN[pure-ftpd]=${r%/}/usr/sbin/pure-ftpd || skip "pure-ftpd: cannot get its package" ;;
    proftpd) r=$(peer_root proftpd-core) && BIN[proftpd]=${r%/}/usr/sbin/proftpd || skip "proftpd: cannot get its package" ;;
    pyftpdlib) ;;
    *) log "unknown server $s"; exit 2 ;;
  esac
done
# ProFTPD's FTPS needs mod_tls, which Debian ships in proftpd-mod-crypto (not in proftpd-core).
proftpd_modules=
if [[ -n ${BIN[proftpd]:-} ]]; then
  proftpd_modules=$(dirname "$(dirname "${BIN[proftpd]}")")/lib/proftpd
  if ((FTPS && BIG_MIB > 0)) && [[ ! -f $proftpd_modules/mod_tls.so ]]; then
    if [[ $proftpd_modules == /usr/lib/proftpd ]]; then
      log "installing proftpd-mod-crypto (ProFTPD's mod_tls)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq proftpd-mod-crypto >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq proftpd-mod-crypto >/dev/null 2>&1; } || true
    elif r=$(peer_root proftpd-mod-crypto); then
      cp "$r/usr/lib/proftpd/mod_tls.so" "$proftpd_modules/" 2>/dev/null || true
    fi
  fi
fi

# --- files, user and certificate -----------------------------------------------------------------------
src=$shm/src
mkdir -p "$src"
head -c $((1 << 20)) /dev/urandom > "$src/file-1MiB.bin"
sha1m=$(sha256sum "$src/file-1MiB.bin" | cut -d' ' -f1)
if ((BIG_MIB > 0)); then
  log "making a ${BIG_MIB} MiB random file"
  head -c $((BIG_MIB << 20)) /dev/urandom > "$src/file-big.bin"
  shabig=$(sha256sum "$src/file-big.bin" | cut -d' ' -f1)
fi
# One system user for the peers that read /etc/passwd (vsftpd, Pure-FTPd); ProFTPD gets the same user,
# uid and password hash (copied from /etc/shadow) through its own AuthUserFile, so the three check the
# same hash; pyftpdlib and SelectFTP keep their own user tables.
if ! id "$FTP_USER" >/dev/null 2>&1; then useradd -M -d "$shm" -s /bin/sh "$FTP_USER"; fi
echo "$FTP_USER:$FTP_PASS" | chpasswd
cert=$tmp/cert.pem
key=$tmp/key.pem
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$key" -out "$cert" 2>/dev/null
chmod 600 "$key"

# serve_dir NAME: the folder the server NAME serves (its home for ftpbench), filled with a copy of the files.
serve_dir() {
  local name=$1 dir
  if [[ $name == selectftp ]]; then dir=$shm/srv-selectftp/data/home/$FTP_USER; else dir=$shm/srv-$name; fi
  echo "$dir"
}

# start NAME plain|tls: starts NAME on 127.0.0.1:${PORT[NAME]} and returns once it listens; with tls, FTPS is
# forced (plain logins refused, as tls.sh does) with the run's certificate. Returns 1 when it cannot.
start() {
  local name=$1 mode=$2 port=${PORT[$1]} dir
  dir=$(serve_dir "$name")
  case $name in
    selectftp)
      local work=$shm/srv-selectftp args="--tls off"
      if [[ $mode == tls ]]; then args="--tls required --tls-cert $cert --tls-key $key"; fi
      FTP_PORT=$port SERVER_ARGS="$args" start_server "$server_jar" "$OUR_PORT" "$work" "${on_server[@]}" || return 1
      wait_port "$port" || return 1
      return 0 ;;
    vsftpd)
      mkdir -p "$tmp/vsftpd-empty"
      usermod -d "$dir" "$FTP_USER" 2>/dev/null || true
      vsftpd_conf "$port" "$tmp/vsftpd-empty" > "$tmp/vsftpd.conf"
      if [[ $mode == tls ]]; then   # tls.sh's settings: TLS forced on logins and data, modern ciphers only
        printf '%s\n' ssl_enable=YES "rsa_cert_file=$cert" "rsa_private_key_file=$key" \
          force_local_data_ssl=YES force_local_logins_ssl=YES ssl_ciphers=HIGH >> "$tmp/vsftpd.conf"
      fi
      "${on_server[@]}" "${BIN[vsftpd]}" "$tmp/vsftpd.conf" > "$tmp/vsftpd.out" 2>&1 & ;;
    pure-ftpd)
      usermod -d "$dir" "$FTP_USER" 2>/dev/null || true
      pureftpd_flags "$port"
      if [[ $mode == tls ]]; then pure_flags+=(-Y 2 -2 "$cert,$key"); fi   # TLS required, as tls.sh
      "${on_server[@]}" "${BIN[pure-ftpd]}" "${pure_flags[@]}" > "$tmp/pure-ftpd.out" 2>&1 & ;;
    proftpd)
      if [[ $mode == tls && ! -f $proftpd_modules/mod_tls.so ]]; then
        log "no mod_tls.so in $proftpd_modules"; return 1
      fi
      printf '%s:%s:%s:%s::%s:/bin/sh\n' "$FTP_USER" "$(getent shadow "$FTP_USER" | cut -d: -f2)" \
        "$(id -u "$FTP_USER")" "$(id -g "$FTP_USER")" "$dir" > "$tmp/proftpd.passwd"
      printf '%s:x:%s:\n' "$(id -gn "$FTP_USER")" "$(id -g "$FTP_USER")" > "$tmp/proftpd.group"
      chmod 600 "$tmp/proftpd.passwd"
      if [[ $mode == tls ]]; then
        proftpd_conf "$port" "$tmp" "$proftpd_modules" "$cert" "$key" > "$tmp/proftpd.conf"
      else
        proftpd_conf "$port" "$tmp" "$proftpd_modules" > "$tmp/proftpd.conf"
      fi
      "${on_server[@]}" "${BIN[proftpd]}" -n -q -c "$tmp/proftpd.conf" > "$tmp/proftpd.out" 2>&1 & ;;
    pyftpdlib)
      local tls_args=()
      if [[ $mode == tls ]]; then tls_args=("$cert" "$key"); fi
      "${on_server[@]}" $PY "$here/pyftpd_serve.py" "$port" "$FTP_USER" "$FTP_PASS" "$dir" 42000 42999 \
        "${tls_args[@]}" > "$tmp/pyftpdlib.out" 2>&1 & ;;
  esac
  pids+=($!)
  wait_port "$port" || { cat "$tmp/$name.out" >&2 2>/dev/null; return 1; }
}

# stop NAME: stops the server start started (a peer with its forked session processes).
stop() {
  if [[ $1 == selectftp ]]; then stop_server; return 0; fi
  ((${#pids[@]})) || return 0
  local pid=${pids[-1]}
  kill "$pid" $(pgrep -P "$pid" || true) 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
}

# prepare NAME: its folder with a copy of the files (SelectFTP: a data folder with the user added by the
# admin command, with the server's default PBKDF2 iterations and a 64 GiB quota, the files in its home).
prepare() {
  local name=$1 dir
  dir=$(serve_dir "$name")
  if [[ $name == selectftp ]]; then
    local work=$shm/srv-selectftp
    mkdir -p "$work/logs"
    printf '%s\n' "$FTP_PASS" | java -jar "$server_jar" user add "$FTP_USER" --quota 64GiB \
      --data "$work/data" --log-dir "$work/logs" >&2
  fi
  mkdir -p "$dir"
  cp "$src"/* "$dir/"
  if [[ $name != selectftp ]]; then chown -R "$FTP_USER" "$dir"; fi
}

load() { "${on_load[@]}" $PY "$here/peers_load.py" "$@" --user "$FTP_USER" --password "$FTP_PASS" --procs "$PROCS"; }
curl_on_load() { "${on_load[@]}" curl -sS -u "$FTP_USER:$FTP_PASS" "$@"; }

# rate "BYTES TOTAL PRETRANSFER" [total]: MB/s (10^6 bytes) with one decimal, from curl's -w figures
# ($W below): over the transfer itself (from the RETR/STOR to the 226, so that a server's slow accept of
# the control connection does not count: ProFTPD's standalone daemon pauses 200 ms after each signal), or
# with "total" over curl's whole run (connect, login, EPSV, transfer). 0 when the figures are missing.
rate() {
  awk -v f="$1" -v whole="${2:-}" 'BEGIN { split(f, a, " "); t = whole == "total" ? a[2] : a[2] - a[3];
    if (t > 0) printf "%.1f", a[1] / t / 1e6; else printf "0" }'
}
W_DOWN='%{size_download} %{time_total} %{time_pretransfer}'
W_UP='%{size_upload} %{time_total} %{time_pretransfer}'
# jstr TEXT: TEXT as a JSON string.
jstr() { $PY -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }

# big_plain NAME: (c) on a running plain server: a checking RETR (curl | sha256sum, untimed; also the bulk
# path's warm-up), the timed RETR to /dev/null, the timed STOR, then the SHA-256 of what arrived (untimed).
big_plain() {
  local name=$1 url="ftp://127.0.0.1:${PORT[$1]}" got retr stor arrived ok_r=false ok_s=false dir
  dir=$(serve_dir "$name")
  got=$(curl_on_load "$url/file-big.bin" | "${on_load[@]}" sha256sum | cut -d' ' -f1) || true
  if [[ $got == "$shabig" ]]; then ok_r=true; fi
  retr=$(curl_on_load -o /dev/null -w "$W_DOWN" "$url/file-big.bin") || retr="0 0 0"
  stor=$(curl_on_load -T "$src/file-big.bin" -w "$W_UP" "$url/up-$name.bin") || stor="0 0 0"
  arrived=$(sha256sum "$dir/up-$name.bin" 2>/dev/null | cut -d' ' -f1 || true)
  if [[ $arrived == "$shabig" ]]; then ok_s=true; fi
  rm -f "$dir/up-$name.bin"
  if [[ $ok_r != true ]]; then retr="0 0 0"; fi
  if [[ $ok_s != true ]]; then stor="0 0 0"; fi
  printf '{"tool":"curl","label":"%s","bytes":%d,"retrVerified":%s,"retrMbPerSec":%s,"retrMbPerSecWithLogin":%s,"storVerified":%s,"storMbPerSec":%s,"storMbPerSecWithLogin":%s,"curlRetr":"%s","curlStor":"%s"}\n' \
    "$name" $((BIG_MIB << 20)) "$ok_r" "$(rate "$retr")" "$(rate "$retr" total)" "$ok_s" "$(rate "$stor")" \
    "$(rate "$stor" total)" "$retr" "$stor" > "$out/ftp-$name-big.json"
  cat "$out/ftp-$name-big.json" >&2
}

# big_tls NAME: (d) on a running FTPS server: a 1 MiB `curl --ssl-reqd -k` probe (its failure skips the row,
# with curl's own error), whether a plain login is refused (recorded), the negotiated protocol, a checking
# RETR (untimed, also the warm-up), then the timed RETR to /dev/null.
big_tls() {
  local name=$1 url="ftp://127.0.0.1:${PORT[$1]}" err got retr ok=false forced=true proto
  local tls=(--ssl-reqd -k)
  if ! err=$(curl_on_load "${tls[@]}" -o /dev/null "$url/file-1MiB.bin" 2>&1); then
    skip "FTPS $name: curl --ssl-reqd -k failed: ${err:-no message} (run again once the server offers AUTH TLS + PROT P)"
    printf '{"tool":"curl --ssl-reqd -k","label":"%s","skipped":%s}\n' "$name" "$(jstr "curl --ssl-reqd failed: $err")" \
      > "$out/ftp-$name-ftps.json"
    return 0
  fi
  if curl -s -u "$FTP_USER:$FTP_PASS" -o /dev/null "$url/file-1MiB.bin"; then
    forced=false; log "warning: $name over FTPS also served a plain-text client: TLS is not forced"
  fi
  proto=$(curl -sv -u "$FTP_USER:$FTP_PASS" "${tls[@]}" -o /dev/null "$url/file-1MiB.bin" 2>&1 \
    | sed -n 's/.*SSL connection using //p' | head -1) || true
  got=$(curl_on_load "${tls[@]}" "$url/file-big.bin" | "${on_load[@]}" sha256sum | cut -d' ' -f1) || true
  if [[ $got == "$shabig" ]]; then ok=true; fi
  retr=$(curl_on_load "${tls[@]}" -o /dev/null -w "$W_DOWN" "$url/file-big.bin") || retr="0 0 0"
  if [[ $ok != true ]]; then retr="0 0 0"; fi
  printf '{"tool":"curl --ssl-reqd -k","label":"%s","bytes":%d,"tls":%s,"tlsForced":%s,"retrVerified":%s,"retrMbPerSec":%s,"retrMbPerSecWithLogin":%s,"curlRetr":"%s"}\n' \
    "$name" $((BIG_MIB << 20)) "$(jstr "${proto:-?}")" "$forced" "$ok" "$(rate "$retr")" "$(rate "$retr" total)" \
    "$retr" > "$out/ftp-$name-ftps.json"
  cat "$out/ftp-$name-ftps.json" >&2
}

for name in $SERVERS; do
  if [[ $name != selectftp && $name != pyftpdlib && -z ${BIN[$name]:-} ]]; then continue; fi
  port=${PORT[$name]}
  prepare "$name"
  log "starting $name (plain) on 127.0.0.1:$port"
  if ! start "$name" plain; then skip "$name: did not start"; stop "$name"; continue; fi
  if ((LOGIN_WARMUP > 0)); then
    log "$name: $LOGIN_WARMUP logins (discarded; warms SelectFTP's password cache)"
    load session --port "$port" --clients 1 --count "$LOGIN_WARMUP" --label "$name" \
      > "$out/ftp-$name-login-warmup.json" || log "$name login warm-up failed"
  fi
  if ((WARMUP > 0)); then
    log "$name: warm-up, $WARMUP clients x 1 MiB (discarded)"
    load download --port "$port" --clients "$WARMUP" --file file-1MiB.bin --sha256 "$sha1m" --label "$name" \
      > "$out/ftp-$name-warmup.json" || log "$name warm-up failed"
  fi
  log "$name: (a) $FILES ftplib clients x 1 MiB"
  load download --port "$port" --clients "$FILES" --file file-1MiB.bin --sha256 "$sha1m" --label "$name" \
    > "$out/ftp-$name-download.json" || log "$name download load failed"
  cat "$out/ftp-$name-download.json" >&2
  log "$name: (b) $SESSIONS x login+LIST+QUIT, one ftplib client"
  load session --port "$port" --clients 1 --count "$SESSIONS" --label "$name" \
    > "$out/ftp-$name-session.json" || log "$name session load failed"
  cat "$out/ftp-$name-session.json" >&2
  if ((BIG_MIB > 0)); then
    log "$name: (c) ${BIG_MIB} MiB RETR and STOR with curl"
    big_plain "$name"
  fi
  stop "$name"
  if ((FTPS && BIG_MIB > 0)); then
    log "starting $name (FTPS forced) on 127.0.0.1:$port"
    if start "$name" tls; then
      log "$name: (d) ${BIG_MIB} MiB RETR with curl --ssl-reqd -k"
      big_tls "$name"
      stop "$name"
    else
      skip "FTPS $name: the server did not start with TLS (see above)"
      printf '{"label":"%s","skipped":"did not start with TLS"}\n' "$name" > "$out/ftp-$name-ftps.json"
      stop "$name"
    fi
  fi
  rm -rf "$shm/srv-$name"
done

((FTPS && BIG_MIB > 0)) || skip "(d) FTPS: FTPS=$FTPS BIG_MIB=$BIG_MIB"
((BIG_MIB > 0)) || skip "(c) RETR/STOR: BIG_MIB=0"
printf '%s\n' "${skipped[@]}" > "$out/ftp-skipped.txt"
printf '{"files":%d,"sessions":%d,"bigMiB":%d,"pinned":%s,"warmup":%d,"loginWarmup":%d,"servers":%s}\n' \
  "$FILES" "$SESSIONS" "$BIG_MIB" "$([[ $PIN == 1 ]] && echo true || echo false)" "$WARMUP" "$LOGIN_WARMUP" \
  "$(jstr "$SERVERS")" > "$out/ftp-run.json"
$PY "$here/summarize_ftp.py" "$out" | tee "$out/ftp-summary.txt"
log "results in $out"
