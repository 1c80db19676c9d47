# Shared by the bench scripts: source it, do not run it.

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server JAR PORT WORK [LAUNCHER...]: starts SelectFTP with data and logs in WORK and a 64 GiB default
# quota, behind LAUNCHER (e.g. `taskset -c 0`) and $SERVER_JAVA_OPTS, and returns once it listens (or
# prints its output and fails). Sets server_pid.
start_server() {
  local jar=$1 port=$2 work=$3
  shift 3
  # shellcheck disable=SC2086  # SERVER_JAVA_OPTS holds several options
  "$@" java ${SERVER_JAVA_OPTS:-} -jar "$jar" --port "$port" --data "$work/data" --log-dir "$work/logs" \
    --default-quota 64GiB > "$work/server.out" 2>&1 &
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
