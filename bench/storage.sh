#!/usr/bin/env bash
# Homes on S3Proxy against homes on local disk, with the normal one-shot client (bin/ftp-client): one node
# each, side by side. Starts S3Proxy (filesystem backend in the run's temp folder, one bucket) and two
# servers on temp data folders, one with homes in DATA/home, one with --storage s3://BUCKET/homes; then per
# repetition and side (the side that goes first alternates, so drift in the machine's load hits both alike):
#
#   put  one BIG_MIB MiB file           get  it back (time to first byte too: the local partial's first byte)
#   mput FILES x 1 MiB (one login)      mget them back (one login)
#
# Each command's CPU seconds are recorded too: the server's, S3Proxy's and the client's (/usr/bin/time).
# Every transfer is verified by the client and server (SHA-256 on both ends); the script checks the
# downloaded files' SHA-256 against the originals again, and on the S3 side that the object S3Proxy stored
# holds the same bytes. Writes OUT_DIR/runs.jsonl (one line per command) and OUT_DIR/summary.txt (medians,
# MiB/s, S3/local). Stops everything it started and deletes its temp folder.
#
#   bench/storage.sh [OUT_DIR]     (default bench-results/storage-<stamp>)
#   bench/storage.sh --summary OUT_DIR      the table again from OUT_DIR/runs.jsonl
#
# Environment: REPEAT (3), BIG_MIB (1024), FILES (500), WARMUP_MIB (128: a discarded put+get and a discarded
# mput+mget of 20 files per side first; 0 skips it), PIN (1: servers on CPU 0, client on CPU 1; S3Proxy is
# left to the scheduler, see S3PROXY_PIN), S3PROXY_PIN (e.g. "taskset -c 0"), TMP_ROOT (/dev/shm when
# writable, else $TMPDIR: everything, the servers' data, S3Proxy's folder and the client's files, goes there).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# summarize OUT_DIR: medians per side and command from runs.jsonl, MiB/s, S3/local; also `storage.sh --summary DIR`.
summarize() {
  python3 - "$1/runs.jsonl" <<'PY' | tee "$1/summary.txt"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
head = next(r for r in rows if "loadStart" in r)
end = next((r for r in rows if "loadEnd" in r), {})
runs = [r for r in rows if "op" in r and r["rep"] != "warmup" and isinstance(r["rep"], int)]
checks = [r for r in rows if "check" in r]
print("S3Proxy against local disk: %d MiB file, %d x 1 MiB, %d repetitions, pinned %s, files on %s, commit %s"
      % (head["bigMiB"], head["files"], head["repeat"], head["pin"], head["tmpRoot"], head["commit"]))
print("load average at start %s, at end %s" % (head["loadStart"], end.get("loadEnd")))
print("SHA-256 checks: %d of %d matched" % (sum(c["sha256Match"] for c in checks), len(checks)))
print("%-5s %-14s %-30s %-30s %s" % ("op", "", "local", "s3", "S3/local"))
def med(side, op, key):
    vals = [r[key] for r in runs if r["side"] == side and r["op"] == op and r["exit"] == 0 and r.get(key) is not None]
    return (round(statistics.median(vals), 3) if vals else None), vals
for op in ["ls", "put", "get", "mput", "mget"]:
    fails = {s: sum(1 for r in runs if r["side"] == s and r["op"] == op and r["exit"] != 0) for s in ("local", "s3")}
    for key, label in [("seconds", "wall s"), ("mibPerSec", "MiB/s"), ("firstByteSeconds", "first byte s"),
                       ("peakSpoolBytes", "peak spool B"), ("peakSpoolAtSeconds", "spool peak at s"), ("cpuServer", "cpu server s"),
                       ("cpuS3Proxy", "cpu S3Proxy s"), ("cpuClient", "cpu client s")]:
        ml, vl = med("local", op, key); ms, vs = med("s3", op, key)
        if ml is None and ms is None: continue
        ratio = ("%.2f" % (ms / ml)) if ml and ms is not None else "-"
        print("%-5s %-14s %-30s %-30s %s" % (op, label, "%s %s" % (ml, vl), "%s %s" % (ms, vs), ratio))
    if any(fails.values()): print("%-5s failures      local %d, s3 %d" % (op, fails["local"], fails["s3"]))
for r in runs:
    if r["exit"] != 0: print("failed: %s %s rep %s after %.1f s: %s" % (r["side"], r["op"], r["rep"], r["seconds"], r.get("error")))
for r in rows:
    if "published" in r: print("after a failed put: %s" % json.dumps(r))
PY
}
if [[ ${1:-} == --summary ]]; then summarize "${2:?usage: storage.sh --summary OUT_DIR}"; exit; fi
root=$(cd "$here/.." && pwd)
REPEAT=${REPEAT:-3}
BIG_MIB=${BIG_MIB:-1024}
FILES=${FILES:-500}
WARMUP_MIB=${WARMUP_MIB:-128}
PIN=${PIN:-1}
if [[ -z ${TMP_ROOT:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then TMP_ROOT=/dev/shm; else TMP_ROOT=${TMPDIR:-/tmp}; fi
fi
out=${1:-$root/bench-results/storage-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "storage: $*" >&2; }
if [[ $PIN == 1 ]] && { ! command -v taskset >/dev/null || (( $(nproc) < 2 )); }; then
  log "warning: no taskset or fewer than 2 CPUs; running unpinned"; PIN=0
fi
if [[ $PIN == 1 ]]; then on_server=(taskset -c 0); on_load=(taskset -c 1); else on_server=(); on_load=(); fi
# shellcheck disable=SC2206  # S3PROXY_PIN is a command with its options
on_s3=(${S3PROXY_PIN:-})

"$root/bin/build-if-needed"
. "$root/deploy/s3proxy.sh"
s3jar=$(s3proxy_jar "$root")
server_jar=$root/ftp-server/target/ftp-server.jar

work=$(mktemp -d "$TMP_ROOT/selectftp-storage.XXXXXX")
. "$here/lib.sh"
server_pid= local_pid= s3_pid= s3proxy_pid=
cleanup() {
  for pid in $server_pid $local_pid $s3_pid $s3proxy_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $server_pid $local_pid $s3_pid $s3proxy_pid; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# S3Proxy on a folder; the bucket is a folder of the filesystem backend (as deploy/cluster.sh makes it).
bucket=selectftp
s3port=$(free_port)
s3proxy_config "$work/s3" "$s3port" bench bench-secret "$bucket"
"${on_s3[@]}" java -Xmx256m -jar "$s3jar" --properties "$work/s3/s3proxy.conf" > "$work/s3/s3proxy.log" 2>&1 &
s3proxy_pid=$!
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$s3port") 2>/dev/null && break; sleep 0.2; done
(exec 3<>"/dev/tcp/127.0.0.1/$s3port") 2>/dev/null || { cat "$work/s3/s3proxy.log" >&2; exit 1; }

# The two servers, both on CPU 0 (only one is busy at a time), plaintext, 64 GiB default quota (lib.sh).
port_local=$(free_port)
mkdir -p "$work/local"
start_server "$server_jar" "$port_local" "$work/local" "${on_server[@]}"
local_pid=$server_pid
port_s3=$(free_port)
mkdir -p "$work/s3node"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
SERVER_ARGS="--tls off --storage s3://$bucket/homes --s3-endpoint http://127.0.0.1:$s3port" \
  start_server "$server_jar" "$port_s3" "$work/s3node" "${on_server[@]}"
s3_pid=$server_pid
server_pid=
objects=$work/s3/data/$bucket/homes/bench   # where S3Proxy keeps user bench's objects
spool=$work/s3node/data/spool
log "S3Proxy pid $s3proxy_pid on :$s3port; local server pid $local_pid on :$port_local; S3 server pid $s3_pid on :$port_s3"
log "files in $work (TMP_ROOT=$TMP_ROOT), pinned: $PIN; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The client: its own home (key cache, known servers) and log folder, so the run leaves nothing behind.
export JAVA_OPTS="-Duser.home=$work/home" SELECTFTP_LOG_DIR=$work/client-logs
mkdir -p "$work/home"
port_of() { if [[ $1 == local ]]; then echo "$port_local"; else echo "$port_s3"; fi; }
wrap=()   # timed() puts /usr/bin/time here for the command it measures
client() {  # SIDE LOCAL_DIR ARGS...
  local side=$1 dir=$2; shift 2
  "${wrap[@]}" "${on_load[@]}" "$root/bin/ftp-client" -P "$(port_of "$side")" -u bench -p bench-pass --local-dir "$dir" "$@"
}

# A watcher beside a timed command: when the first byte lands in a folder (a download's partial), and the
# peak size of another (the S3 node's spool of parts not yet stored) and when it was reached: the spool grows
# while the client sends faster than parts are stored, so its peak is about when the last byte came in, and
# the rest of the put's wall time is the commit waiting for the queued parts. Prints JSON at its stop file.
cat > "$work/watch.py" <<'PY'
import json, os, sys, time
start, first_dir, peak_dir, stop = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def size(d):
    total = 0
    try:
        for e in os.scandir(d):
            try:
                if e.is_file(follow_symlinks=False): total += e.stat().st_size
            except OSError: pass
    except OSError: pass
    return total
first, peak, peak_at = None, 0, None
while not os.path.exists(stop):
    if first is None and first_dir != "-" and size(first_dir) > 0: first = time.time() - start
    if peak_dir != "-":
        now = size(peak_dir)
        if now > peak: peak, peak_at = now, time.time() - start
    time.sleep(0.005)
print(json.dumps({"firstByteSeconds": first, "peakSpoolBytes": peak if peak_dir != "-" else None,
                  "peakSpoolAtSeconds": peak_at}))
PY

# timed SIDE OP REP BYTES FILES FIRST_DIR LOCAL_DIR ARGS...: one client run, timed on the wall, one JSON line.
timed() {
  local side=$1 op=$2 rep=$3 bytes=$4 files=$5 first_dir=$6 dir=$7; shift 7
  local peak_dir=- stop=$work/watch.stop status=0 t0 t1 watched
  [[ $side == s3 && $op == put* ]] && peak_dir=$spool
  local server=$local_pid; [[ $side == s3 ]] && server=$s3_pid
  rm -f "$stop"
  local cpu0; cpu0="$(cpu_ticks "$server") $(cpu_ticks "$s3proxy_pid")"
  wrap=(/usr/bin/time -f '%U %S' -o "$work/client.cpu")
  t0=$EPOCHREALTIME
  python3 "$work/watch.py" "$t0" "$first_dir" "$peak_dir" "$stop" > "$work/watch.json" &
  local watch_pid=$!
  client "$side" "$dir" "$@" > "$work/cmd.out" 2> "$work/cmd.err" || status=$?
  t1=$EPOCHREALTIME
  wrap=()
  local cpu1; cpu1="$(cpu_ticks "$server") $(cpu_ticks "$s3proxy_pid")"
  touch "$stop"; wait "$watch_pid" || true
  watched=$(cat "$work/watch.json")
  python3 - "$side" "$op" "$rep" "$bytes" "$files" "$t0" "$t1" "$status" "$work/cmd.err" "$watched" \
    "$cpu0" "$cpu1" "$(tail -n 1 "$work/client.cpu")" <<'PY' | tee -a "$out/runs.jsonl" >&2
import json, os, sys
side, op, rep, nbytes, files, t0, t1, status, err, watched, cpu0, cpu1, client_cpu = sys.argv[1:]
secs = float(t1) - float(t0)
row = {"side": side, "op": op, "rep": int(rep) if rep.isdigit() else rep, "bytes": int(nbytes), "files": int(files),
       "seconds": round(secs, 3), "mibPerSec": round(int(nbytes) / 1048576 / secs, 1), "exit": int(status),
       "load1": float(open("/proc/loadavg").read().split()[0])}
row.update({k: (round(v, 3) if isinstance(v, float) else v) for k, v in json.loads(watched).items() if v is not None})
(s0, p0), (s1, p1) = [[int(x) / 100 for x in c.split()] for c in (cpu0, cpu1)]   # clock ticks of 10 ms
row.update({"cpuServer": round(s1 - s0, 2), "cpuS3Proxy": round(p1 - p0, 2)})
try: row["cpuClient"] = round(sum(float(x) for x in client_cpu.split()), 2)
except ValueError: pass
if int(status) != 0: row["error"] = open(err).read().strip()[-400:]
print(json.dumps(row))
PY
  return 0
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system clock ticks of process $1
last_exit() { tail -n 1 "$out/runs.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["exit"])'; }

# The source files, made once: one big random file and FILES random 1 MiB files, with their SHA-256s.
src=$work/src
mkdir -p "$src/many" "$src/warm/many"
log "making ${BIG_MIB} MiB + ${FILES} x 1 MiB of random data"
head -c $((BIG_MIB * 1048576)) /dev/urandom > "$src/big.bin"
for i in $(seq -f '%04g' 1 "$FILES"); do head -c 1048576 /dev/urandom > "$src/many/f$i.bin"; done
(cd "$src" && sha256sum big.bin) > "$work/big.sha256"
(cd "$src/many" && sha256sum ./*.bin) > "$work/many.sha256"
if (( WARMUP_MIB > 0 )); then
  head -c $((WARMUP_MIB * 1048576)) /dev/urandom > "$src/warm/big.bin"
  for i in $(seq -f '%02g' 1 20); do head -c 1048576 /dev/urandom > "$src/warm/many/w$i.bin"; done
fi

# verify KIND DIR SIDE REMOTE_FOLDER: the downloaded files (and on S3 the stored objects) against the originals.
verify() {
  local kind=$1 dir=$2 side=$3 folder=$4 ok=true
  if [[ $kind == big ]]; then
    (cd "$dir" && sha256sum -c --quiet "$work/big.sha256") >&2 || ok=false
    if [[ $side == s3 ]]; then (cd "$objects/$folder" && sha256sum -c --quiet "$work/big.sha256") >&2 || ok=false; fi
  else
    (cd "$dir" && sha256sum -c --quiet "$work/many.sha256") >&2 || ok=false
    if [[ $side == s3 ]]; then (cd "$objects/$folder/many" && sha256sum -c --quiet "$work/many.sha256") >&2 || ok=false; fi
  fi
  echo "{\"side\":\"$side\",\"check\":\"$kind\",\"folder\":\"$folder\",\"sha256Match\":$ok}" | tee -a "$out/runs.jsonl" >&2
}

# After a put the client reported as failed: does the file still appear (the server may publish it after the
# client's reply timeout)? Polls the listing for up to 300 s and notes when, and how big.
await_published() {  # SIDE REMOTE_FOLDER NAME T0
  local side=$1 folder=$2 name=$3 t0=$4
  for _ in $(seq 150); do
    if client "$side" "$work" ls "$folder" 2>/dev/null | grep -q -- "$name"; then
      echo "{\"side\":\"$side\",\"published\":\"$folder/$name\",\"secondsAfterPutStart\":$(python3 -c "print(round($EPOCHREALTIME-$t0,1))")}" \
        | tee -a "$out/runs.jsonl" >&2
      return 0
    fi
    sleep 2
  done
  echo "{\"side\":\"$side\",\"published\":null,\"folder\":\"$folder\",\"name\":\"$name\"}" | tee -a "$out/runs.jsonl" >&2
  return 1
}

# one_side SIDE REP SOURCE_DIR NAME: the four timed commands into the fresh remote folder NAME, then clean up.
one_side() {
  local side=$1 rep=$2 from=$3 folder=$4 down=$work/down-$1 n bytes t0
  n=$(find "$from/many" -name '*.bin' | wc -l)
  bytes=$(stat -c %s "$from/big.bin")
  client "$side" "$work" -c "mkdir $folder; mkdir $folder/many" > /dev/null 2>> "$work/aux.err"
  timed "$side" ls "$rep" 0 0 - "$work" ls "$folder"
  rm -rf "$down"; mkdir -p "$down/big" "$down/many"
  t0=$EPOCHREALTIME
  timed "$side" put "$rep" "$bytes" 1 - "$from" put big.bin "$folder/big.bin"
  [[ $(last_exit) == 0 ]] || await_published "$side" "$folder" big.bin "$t0" || true
  timed "$side" get "$rep" "$bytes" 1 "$down/big" "$down/big" get "$folder/big.bin" big.bin
  [[ $rep == warm* ]] || verify big "$down/big" "$side" "$folder"
  timed "$side" mput "$rep" $((n * 1048576)) "$n" - "$from/many" -c "cd $folder/many; mput *.bin"
  timed "$side" mget "$rep" $((n * 1048576)) "$n" "$down/many" "$down/many" -c "cd $folder/many; mget *.bin"
  [[ $rep == warm* ]] || verify many "$down/many" "$side" "$folder"
  # Remove the remote files (untimed) so every repetition starts from an empty home.
  { echo "cd $folder/many"; (cd "$from/many" && ls -- *.bin) | sed 's/^/rm /'; echo "cd /"; echo "rm $folder/many"
    echo "rm $folder/big.bin"; echo "rm $folder"; } > "$work/clean.txt"
  client "$side" "$work" -f "$work/clean.txt" > /dev/null 2>> "$work/aux.err" || log "$side: cleaning $folder failed"
  rm -rf "$down"
}

: > "$out/runs.jsonl"
echo "{\"loadStart\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"bigMiB\":$BIG_MIB,\"files\":$FILES,\"repeat\":$REPEAT,\"pin\":$PIN,\"tmpRoot\":\"$TMP_ROOT\",\"commit\":\"$(git -C "$root" rev-parse --short HEAD 2>/dev/null)\"}" >> "$out/runs.jsonl"
for side in local s3; do client "$side" "$work" register > /dev/null 2>> "$work/aux.err"; done
if (( WARMUP_MIB > 0 )); then
  log "warm-up (discarded): ${WARMUP_MIB} MiB put+get and 20 x 1 MiB mput+mget per side"
  for side in local s3; do one_side "$side" warmup "$src/warm" warm; done
fi
for rep in $(seq "$REPEAT"); do
  if (( rep % 2 )); then order=(local s3); else order=(s3 local); fi
  for side in "${order[@]}"; do
    log "repetition $rep, $side"
    one_side "$side" "$rep" "$src" "r$rep"
  done
done
echo "{\"loadEnd\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$out/runs.jsonl"

summarize "$out"
log "results in $out"
