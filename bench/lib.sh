# Shared by the bench scripts: source it, do not run it.

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server JAR PORT WORK [LAUNCHER...]: starts SelectFTP with data and logs in WORK and a 64 GiB default
# quota, behind LAUNCHER (e.g. `taskset -c 0`) and $SERVER_JAVA_OPTS, with the extra server flags in
# $SERVER_ARGS (e.g. `--tls required --tls-cert C --tls-key K`; unset means `--tls off`, so the figures of
# the plaintext benchmarks stay plaintext and comparable with earlier runs), the standard FTP door on
# $FTP_PORT (unset means 0: off), and returns once it listens (or prints its output and fails). Sets server_pid.
start_server() {
  local jar=$1 port=$2 work=$3
  shift 3
  # shellcheck disable=SC2086  # SERVER_JAVA_OPTS and SERVER_ARGS hold several words
  "$@" java ${SERVER_JAVA_OPTS:-} -jar "$jar" --port "$port" --ftp-port "${FTP_PORT:-0}" --data "$work/data" --log-dir "$work/logs" \
    --default-quota 64GiB ${SERVER_ARGS---tls off} > "$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/server.out" 2>/dev/null && return 0; sleep 0.2; done
  cat "$work/server.out" >&2
  return 1
}

# Stops the server start_server started, if any; safe twice.
stop_server() {
  if [[ -n ${server_pid:-} ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}

# bench_ours NAME [BENCH_ARGS...]: one `ftp-client.jar bench` run against 127.0.0.1:$PORT on the load CPU, as user
# bench (registered once), with the server's heap read after a forced GC. Reads $jar, $PORT, $local_dir,
# $server_pid, $out and the on_load array; $BENCH_ARGS adds client flags to every run (e.g. TLS ones).
# Writes $out/ours-NAME.txt (all output), .err and .json (the last line: every figure).
bench_ours() {
  local name=$1; shift
  echo "bench $name: $*" >&2
  # shellcheck disable=SC2086  # BENCH_ARGS holds several words
  "${on_load[@]}" java -jar "$jar" bench -P "$PORT" -u bench -p bench-pass --register 1 --local-dir "$local_dir" \
    --before-stats "jcmd $server_pid GC.run" ${BENCH_ARGS:-} "$@" > "$out/ours-$name.txt" 2> "$out/ours-$name.err" || true
  cat "$out/ours-$name.txt" >&2
  tail -n 1 "$out/ours-$name.txt" > "$out/ours-$name.json"
}
