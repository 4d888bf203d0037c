#!/usr/bin/env bash
# AkkaKv build script (POSIX twin of build.ps1).
#   ./build.sh build                 compile everything (Release; warnings are errors)
#   ./build.sh test                  run every test; last line: "N passed, N failed, N skipped"
#   ./build.sh run [node args]       run a node (no args: single node, ./data, http://127.0.0.1:8080)
#   ./build.sh simulate [--seeds N | --seed S]  run N simulation seeds (default 200), or replay seed S
#   ./build.sh bench [filter]        run the BenchmarkDotNet micro-benchmarks (Release)
#   ./build.sh pack                  publish akkakv-node to artifacts/akkakv-node
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration="${CONFIGURATION:-Release}"
target="${1:-build}"
[ $# -gt 0 ] && shift

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET SDK (10.0) is required and was not found on PATH" >&2
    exit 1
  fi
}

# Sums the <Counters> of every TRX file under $1 and prints "N passed, N failed, N skipped".
summarize_trx() {
  local dir="$1" passed=0 failed=0 skipped=0 total=0 file counters
  for file in "$dir"/*.trx; do
    [ -e "$file" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$file" | head -n 1)
    attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    total=$((total + $(attr total)))
    passed=$((passed + $(attr passed)))
    failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
    skipped=$((skipped + $(attr notExecuted)))
  done
  echo "$passed passed, $failed failed, $skipped skipped"
}

case "$target" in
  build)
    require_dotnet
    dotnet build AkkaKv.sln -c "$configuration" -warnaserror "$@"
    ;;
  test)
    require_dotnet
    results="artifacts/test-results"
    rm -rf "$results"
    mkdir -p "$results"
    dotnet build AkkaKv.sln -c "$configuration" -warnaserror
    status=0
    dotnet test AkkaKv.sln -c "$configuration" --no-build \
      --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
      --blame-hang-timeout 10m "$@" || status=$?
    summary=$(summarize_trx "$results")
    projects=$(find tests -name '*.Tests.csproj' | wc -l)
    reports=$(find "$results" -maxdepth 1 -name '*.trx' | wc -l)
    if [ "$reports" -lt "$projects" ]; then
      echo "build.sh: only $reports of $projects test projects reported results (a test host crashed?)" >&2
      status=1
    fi
    echo "$summary"
    exit $status
    ;;
  run)
    require_dotnet
    # Supervised as a service manager would: a node the cluster downed exits 5 and is started again at once, as a new
    # incarnation on the same data; any other exit (0 after a stop or a leave, errors) ends the loop with its code.
    dotnet build src/AkkaKv.Node -c "$configuration" -v quiet -nologo >/dev/null
    while true; do
      code=0
      dotnet run --no-build --project src/AkkaKv.Node -c "$configuration" -- "$@" || code=$?
      [ "$code" -eq 5 ] || exit "$code"
      echo "build.sh run: the node was downed by the cluster (exit 5); starting it again" >&2
    done
    ;;
  simulate)
    require_dotnet
    seeds=200
    while [ $# -gt 0 ]; do
      case "$1" in
        --seeds) seeds="$2"; shift 2 ;;
        --seed) export AKKAKV_SIMULATION_SEED="$2"; shift 2 ;;
        *) echo "build.sh simulate: unknown argument '$1'" >&2; exit 2 ;;
      esac
    done
    AKKAKV_SIMULATION_SEEDS="$seeds" dotnet test tests/AkkaKv.Simulation.Tests -c "$configuration" --filter "Category=Simulation" --logger "console;verbosity=normal"
    ;;
  bench)
    require_dotnet
    dotnet run --project bench/AkkaKv.Benchmarks -c Release -- --filter "${1:-*}"
    ;;
  pack)
    require_dotnet
    dotnet publish src/AkkaKv.Node -c Release -o artifacts/akkakv-node
    echo "published to artifacts/akkakv-node (run: artifacts/akkakv-node/akkakv-node)"
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
