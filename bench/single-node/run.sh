#!/usr/bin/env bash
# Single durable node against Redis with appendfsync always, on the same machine, in one run:
#   bench/single-node/run.sh [seconds]
# Needs wrk, redis-server and redis-benchmark (Debian: apt-get install wrk redis-server). Publishes the node and
# the CLI in Release, starts the node on an empty data directory (port 8080; fsync on every group commit, the
# default), preloads 100,000 keys, then measures PUT and GET at 64 connections with wrk and akkakv bench, PUT
# latency at 1 and 8 connections (akkakv bench rows after a 3 s unmeasured warm-up), Redis SET/GET at 64 connections
# (port 6399, AOF fsync always), and the HTTP floor: bench/AkkaKv.HttpFloor, Kestrel answering the same routes with no
# storage behind them (port 8090) — the most any Kestrel-based server can serve on the machine with the same client.
set -euo pipefail
seconds=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/akkakv-bench.XXXXXX)
for tool in wrk redis-server redis-cli redis-benchmark curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk redis-server curl)" >&2; exit 2; }
done
echo "publishing to $work ..." >&2
dotnet publish "$root/src/AkkaKv.Node" -c Release -o "$work/node" >/dev/null
dotnet publish "$root/src/AkkaKv.Cli" -c Release -o "$work/cli" >/dev/null
dotnet publish "$root/bench/AkkaKv.HttpFloor" -c Release -o "$work/floor" >/dev/null
node_pid=""; redis_pid=""; floor_pid=""
cleanup() {
  [[ -n "$node_pid" ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  [[ -n "$floor_pid" ]] && kill "$floor_pid" 2>/dev/null && wait "$floor_pid" 2>/dev/null || true
  [[ -n "$redis_pid" ]] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/data"
(cd "$work" && exec "$work/node/akkakv-node" --set akkakv.node.data-dir="$work/data" >"$work/node.log" 2>&1) &
node_pid=$!
for _ in $(seq 1 150); do curl -sf http://127.0.0.1:8080/readyz >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:8080/readyz >/dev/null || { echo "the node did not become ready; log: $work/node.log" >&2; cat "$work/node.log" >&2; exit 1; }
echo "preloading 100,000 keys ..." >&2
"$work/cli/akkakv" bench -c 64 -n 1 --keys 100000 --preload >/dev/null 2>&1
wrk -t2 -c64 -d3s -s "$here/put.lua" http://127.0.0.1:8080 >/dev/null # warm-up

row() { printf '| %-34s | %9s | %9s | %9s |\n' "$@"; }
wrk_row() { # label connections script [url]
  local out; out=$(wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"${seconds}s" --latency -s "$here/$3" "${4:-http://127.0.0.1:8080}")
  row "$1" "$(echo "$out" | awk '/Requests\/sec/{printf "%d", $2}')" "$(echo "$out" | awk '/^ +50%/{print $2}')" "$(echo "$out" | awk '/^ +99%/{print $2}')"
}
bench_row() { # label read-ratio
  local json; json=$("$work/cli/akkakv" bench -c 64 -d "${seconds}s" --warmup 3s --keys 100000 --read-ratio "$2" -o json 2>/dev/null)
  row "$1" "$(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); o=[x for x in d["operations"] if x["count"]>0][0]; print(int(o["opsPerSecond"]))')" \
      "$(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); o=[x for x in d["operations"] if x["count"]>0][0]; print("%.2fms" % o["p50Ms"])')" \
      "$(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); o=[x for x in d["operations"] if x["count"]>0][0]; print("%.2fms" % o["p99Ms"])')"
}
echo "$(date -u +%F) $(nproc) cores, $(uname -r), ${seconds}s per row"
row "workload" "ops/s" "p50" "p99"
row "---" "---:" "---:" "---:"
wrk_row "AkkaKv PUT, wrk, 64 connections" 64 put.lua
wrk_row "AkkaKv GET, wrk, 64 connections" 64 get.lua
bench_row "AkkaKv PUT, akkakv bench, 64" 0
bench_row "AkkaKv GET, akkakv bench, 64" 1
wrk_row "AkkaKv PUT, wrk, 8 connections" 8 put.lua
wrk_row "AkkaKv PUT, wrk, 1 connection" 1 put.lua
wal=$(curl -s http://127.0.0.1:8080/metrics | awk '/^akkakv_wal_(flushes|requests|flush_seconds)_total/{v[$1]=$2} END{printf "%.1f requests per fsync, %.0f us per fsync", v["akkakv_wal_requests_total"]/v["akkakv_wal_flushes_total"], 1e6*v["akkakv_wal_flush_seconds_total"]/v["akkakv_wal_flushes_total"]}')
kill "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=""

mkdir -p "$work/redis"
redis-server --port 6399 --dir "$work/redis" --appendonly yes --appendfsync always --save '' --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 50); do redis-cli -p 6399 ping >/dev/null 2>&1 && break; sleep 0.1; done
redis_row() { # label test
  local out; out=$(redis-benchmark -p 6399 -c 64 -n $(( seconds * 40000 )) -d 256 -r 100000 -t "$2" -q --precision 3 2>/dev/null | tr '\r' '\n' | grep -E "^${2^^}:" | tail -1)
  row "$1" "$(echo "$out" | awk '{printf "%d", $2}')" "$(echo "$out" | sed -n 's/.*p50=\([0-9.]*\) msec.*/\1ms/p')" ""
}
redis_row "Redis SET, appendfsync always, 64" set
redis_row "Redis GET, 64" get
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true; redis_pid=""

"$work/floor/akkakv-http-floor" --urls http://127.0.0.1:8090 >"$work/floor.log" 2>&1 &
floor_pid=$!
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8090/healthz >/dev/null && break; sleep 0.1; done
wrk -t2 -c64 -d3s -s "$here/put.lua" http://127.0.0.1:8090 >/dev/null # warm-up
wrk_row "HTTP floor PUT (no storage), wrk, 64" 64 put.lua http://127.0.0.1:8090
wrk_row "HTTP floor GET (no storage), wrk, 64" 64 get.lua http://127.0.0.1:8090
echo "AkkaKv WAL during the run: $wal"
