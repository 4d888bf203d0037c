#!/usr/bin/env bash
# CPU and context switches per write of a 3-node cluster under load:
#   bench/cluster-ab/cpu-per-write.sh PUBLISH_DIR LABEL [node arguments, e.g. --set k=v ...]
# PUBLISH_DIR holds a published akkakv-node (dotnet publish src/AkkaKv.Node -c Release -o DIR). Starts a fresh cluster
# from hocon/local/node{1,2,3}.conf in a temp directory, waits until every shard has 3 voters and a leader, warms up
# with 5 s of PUTs, then runs wrk -c64 PUTs against node 1 for 12 s while it reads the three processes' CPU time
# (/proc/PID/stat) and context switches (/proc/PID/task/*/status) over 10 s; prints one line. Stops what it started.
set -euo pipefail
app=${1:?usage: cpu-per-write.sh PUBLISH_DIR LABEL [node arguments]}; label=${2:?label}; shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/akkakv-cpu.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
for i in 1 2 3; do
  (cd "$dir" && exec "$app/akkakv-node" --config "$root/hocon/local/node$i.conf" "$@" >"$dir/node$i.log" 2>&1) &
  pids+=($!)
done
start=$SECONDS
until curl -sf http://127.0.0.1:8081/v1/shards | python3 -c '
import json,sys
s=json.load(sys.stdin)["shards"]
sys.exit(0 if s and all(x.get("leader") and sum(1 for r in x["replicas"] if r["role"].lower()=="voter")==3 for x in s) else 1)' 2>/dev/null; do
  (( SECONDS - start > 180 )) && { echo "the cluster did not settle in 180 s; logs in $dir" >&2; exit 1; }
  sleep 0.5
done
lua=$root/bench/single-node/put.lua
wrk -t2 -c64 -d5s -s "$lua" http://127.0.0.1:8081 >/dev/null
python3 - "${pids[@]}" >"$dir/usage" <<'PY' &
import os,sys,time
pids=sys.argv[1:]
def snap():
    cpu=switches=0
    for p in pids:
        f=open(f"/proc/{p}/stat").read(); f=f[f.rindex(')')+2:].split(); cpu+=int(f[11])+int(f[12])
        for t in os.listdir(f"/proc/{p}/task"):
            try:
                for line in open(f"/proc/{p}/task/{t}/status"):
                    if 'ctxt_switches' in line: switches+=int(line.split()[1])
            except OSError: pass
    return cpu,switches
time.sleep(1); a=snap(); time.sleep(10); b=snap()
print((b[0]-a[0])/os.sysconf('SC_CLK_TCK')/10, (b[1]-a[1])/10)
PY
monitor=$!
rate=$(wrk -t2 -c64 -d12s -s "$lua" http://127.0.0.1:8081 | awk '/Requests\/sec/{print int($2)}')
wait "$monitor"
read -r cores switches <"$dir/usage"
python3 -c "print(f'$label: $rate PUT/s, {$cores:.2f} cores for 3 nodes, {1e6*$cores/$rate:.0f} us CPU per PUT, {$switches/$rate:.1f} context switches per PUT')"
