#!/usr/bin/env bash
# Two builds of AkkaKv side by side as 3-node clusters on this machine, alternating A B A B so drift hits both:
#   bench/cluster-ab/run.sh BEFORE_REV [AFTER_REV] [rounds] [seconds]
# AFTER_REV defaults to the working tree. Each build is published in Release; each round starts a fresh 3-node
# cluster from hocon/local/node{1,2,3}.conf (64 shards, 3 replicas, fsync on) on empty data directories, waits until
# every shard has 3 voters and a leader, warms up with 5 s of PUTs of 256 B over 100,000 keys, then runs wrk against node 1
# (which routes two thirds of the requests to leaders on the other nodes): PUT at 1, 64 and 256 connections, and
# linearizable and serializable GET at 64 and 256 over the same keys (misses included), one row each. It also records each cluster's settle time and the three
# processes' resident memory after the run. Needs wrk and curl (apt-get install wrk curl).
set -euo pipefail
before=${1:?usage: run.sh BEFORE_REV [AFTER_REV] [rounds] [seconds]}
after=${2:-}
rounds=${3:-2}
seconds=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lua=$root/bench/single-node
work=$(mktemp -d /tmp/akkakv-ab.XXXXXX)
for tool in wrk curl python3 git; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done
pids=()
stop_cluster() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done; pids=(); }
cleanup() { stop_cluster; git -C "$root" worktree remove --force "$work/src-before" 2>/dev/null || true; [[ -n "$after" ]] && git -C "$root" worktree remove --force "$work/src-after" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

publish() { # label rev-or-empty
  local src=$root
  if [[ -n "$2" ]]; then src=$work/src-$1; git -C "$root" worktree add --detach "$src" "$2" >/dev/null 2>&1; fi
  local dirty=""
  if [[ -z "$2" ]] && ! git -C "$src" diff --quiet HEAD; then dirty=" + working tree"; fi
  echo "publishing $1 ($(git -C "$src" rev-parse --short HEAD)$dirty) ..." >&2
  dotnet publish "$src/src/AkkaKv.Node" -c Release -o "$work/$1" >/dev/null
  cp -r "$src/hocon/local" "$work/$1-conf"
}
publish before "$before"
publish after "$after"

shards_settled() { # every shard: a leader and 3 voters
  curl -sf http://127.0.0.1:8081/v1/shards | python3 -c '
import json,sys
d=json.load(sys.stdin); s=d["shards"]
ok=len(s)>0 and all(x.get("leader") and sum(1 for r in x["replicas"] if r["role"].lower()=="voter")==3 for x in s)
sys.exit(0 if ok else 1)' 2>/dev/null
}
start_cluster() { # label
  local dir=$work/run-$1 i
  rm -rf "$dir"; mkdir -p "$dir"
  for i in 1 2 3; do
    (cd "$dir" && exec "$work/$1/akkakv-node" --config "$work/$1-conf/node$i.conf" >"$dir/node$i.log" 2>&1) &
    pids+=($!)
  done
  local start=$SECONDS
  until shards_settled; do
    (( SECONDS - start > 180 )) && { echo "$1: the cluster did not settle in 180 s; logs in $dir" >&2; tail -5 "$dir"/node*.log >&2; exit 1; }
    sleep 0.5
  done
  settle=$(( SECONDS - start ))
}
wrk_row() { # build label connections script
  local out; out=$(wrk -t"$(( $3 < 2 ? 1 : 2 ))" -c"$3" -d"${seconds}s" --latency -s "$4" http://127.0.0.1:8081)
  printf '| %-6s | %-26s | %9s | %9s | %9s |\n' "$1" "$2" "$(echo "$out" | awk '/Requests\/sec/{printf "%d", $2}')" \
    "$(echo "$out" | awk '/^ +50%/{print $2}')" "$(echo "$out" | awk '/^ +99%/{print $2}')"
}
echo "$(date -u +%F) $(nproc) cores, $(uname -r), ${seconds}s per row, $rounds rounds"
echo "| build | workload | ops/s | p50 | p99 |"
echo "|---|---|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  for build in before after; do
    start_cluster "$build"
    wrk -t2 -c64 -d"$(( seconds < 5 ? seconds : 5 ))s" -s "$lua/put.lua" http://127.0.0.1:8081 >/dev/null # warm-up, and it writes keys for the GETs
    wrk_row "$build" "PUT, 1 connection" 1 "$lua/put.lua"
    wrk_row "$build" "PUT, 64" 64 "$lua/put.lua"
    wrk_row "$build" "PUT, 256" 256 "$lua/put.lua"
    wrk_row "$build" "GET linearizable, 64" 64 "$lua/get.lua"
    wrk_row "$build" "GET linearizable, 256" 256 "$lua/get.lua"
    wrk_row "$build" "GET serializable, 64" 64 "$here/get-serializable.lua"
    wrk_row "$build" "GET serializable, 256" 256 "$here/get-serializable.lua"
    rss=$(for pid in "${pids[@]}"; do awk '/VmRSS/{printf "%d ", $2/1024}' "/proc/$(pgrep -P "$pid" | head -1 || echo "$pid")/status" 2>/dev/null || awk '/VmRSS/{printf "%d ", $2/1024}' "/proc/$pid/status"; done)
    echo "| $build | round $round: settled in ${settle} s; RSS MB per node: $rss | | | |"
    stop_cluster
  done
done
