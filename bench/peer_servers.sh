# Sourced by peers.sh, tls.sh and ftp-peers.sh: how the peer FTP servers are configured and waited for, written once so
# that the plaintext and the FTPS figures measure the same servers with the same settings.

# wait_port PORT: returns once something listens on 127.0.0.1:PORT (at most 10 s; fails after that).
wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on port $1"; return 1
}

# vsftpd_conf PORT EMPTY_DIR: vsftpd's settings on stdout: local users only, on 127.0.0.1:PORT, passive
# ports 40000-40999, no client limits, no transfer log; EMPTY_DIR is its secure_chroot_dir.
vsftpd_conf() {
  cat <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$1
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=40000
pasv_max_port=40999
secure_chroot_dir=$2
pam_service_name=vsftpd
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
xferlog_enable=NO
max_clients=0
max_per_ip=0
CONF
}

# pureftpd_flags PORT: sets the array pure_flags to Pure-FTPd's flags: 127.0.0.1:PORT, passive ports
# 41000-41999, 1000 clients (and per address), no anonymous, no DNS lookups, Unix accounts.
pureftpd_flags() {
  pure_flags=(-S "127.0.0.1,$1" -p 41000:41999 -P 127.0.0.1 -c 1000 -C 1000 -E -H -l unix)
}

# peer_root PKG: prints the folder under which PKG's files are: / when the package is installed, otherwise
# $tmp/pkg/PKG, where its .deb is unpacked (once per run). vsftpd, pure-ftpd and proftpd-core all
# Provide and Conflict with ftp-server in Debian, so `apt-get install` of one would remove another: the
# benchmark never installs them, it unpacks the missing ones. The shared libraries the .deb depends on are
# installed (they conflict with nothing). Reads $tmp; logs with log().
peer_root() {
  local pkg=$1 dir=$tmp/pkg/$1 deb libs missing=() lib
  if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]]; then echo /; return 0; fi
  if [[ ! -d $dir ]]; then
    log "$pkg is not installed: unpacking its Debian package into $dir (not installed: it conflicts with the other FTP servers)"
    mkdir -p "$dir"
    (cd "$dir" && { apt-get download "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$pkg" >/dev/null; }; }) \
      || { log "cannot download $pkg"; rm -rf "$dir"; return 1; }
    deb=$(ls "$dir"/*.deb)
    dpkg-deb -x "$deb" "$dir"
    libs=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/([^)]*)//g; s/|.*//; s/[[:space:]]//g' | grep '^lib' || true)
    for lib in $libs; do
      [[ $(dpkg-query -W -f='${Status}' "$lib" 2>/dev/null) == "install ok installed" ]] || missing+=("$lib")
    done
    if ((${#missing[@]})); then
      log "installing the libraries $pkg needs: ${missing[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
    fi
  fi
  echo "$dir"
}

# proftpd_conf PORT TMP MODULE_DIR [CERT KEY]: a minimal standalone ProFTPD config on stdout:
# 127.0.0.1:PORT, no IPv6, no reverse DNS, one virtual user from TMP/proftpd.passwd (AuthUserFile, written by
# the caller) jailed in its home, passive ports 43000-43999, 2000 sessions at most, no transfer log, no
# wtmp. mod_delay (which pads every login to hide timing) is off, as the other servers have nothing like it on
# successful logins. With CERT and KEY: mod_tls loaded from MODULE_DIR, TLS required on logins and data.
proftpd_conf() {
  local port=$1 dir=$2 modules=$3 cert=${4:-} key=${5:-}
  cat <<CONF
ServerType standalone
ServerName "bench"
DefaultServer on
DefaultAddress 127.0.0.1
SocketBindTight on
Port $port
UseIPv6 off
UseReverseDNS off
User nobody
Group nogroup
ModulePath $modules
PidFile $dir/proftpd.pid
ScoreboardFile $dir/proftpd.scoreboard
SystemLog $dir/proftpd.log
TransferLog none
WtmpLog off
MaxInstances 2000
AuthOrder mod_auth_file.c
AuthUserFile $dir/proftpd.passwd
AuthGroupFile $dir/proftpd.group
RequireValidShell off
DefaultRoot ~
AllowOverwrite on
Umask 022
PassivePorts 43000 43999
<IfModule mod_delay.c>
  DelayEngine off
</IfModule>
CONF
  if [[ -n $cert ]]; then
    cat <<CONF
LoadModule mod_tls.c
<IfModule mod_tls.c>
  TLSEngine on
  TLSProtocol TLSv1.2 TLSv1.3
  TLSRSACertificateFile $cert
  TLSRSACertificateKeyFile $key
  TLSRequired on
  TLSLog $dir/proftpd-tls.log
</IfModule>
CONF
  fi
}

# stop_all_and_clean: the EXIT trap of a run that started our server (lib.sh's start_server) and peers
# (their pids in the pids array, each with its forked children): stops them all, then removes $tmp and $shm.
stop_all_and_clean() {
  stop_server
  for pid in "${pids[@]}"; do kill "$pid" $(pgrep -P "$pid" || true) 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp" "$shm"
}
