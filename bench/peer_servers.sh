# Sourced by peers.sh and tls.sh: how the peer FTP servers are configured and waited for, written once so
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
