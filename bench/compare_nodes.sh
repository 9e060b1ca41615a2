#!/usr/bin/env bash
# Two builds of dangan compared on the e-file at scale, turn about, on the PostgreSQL cluster that
# bench/run_nodes.sh made and keeps (run it once first): for each binary in turn, two nodes on the
# cluster's Unix socket, 10 s of warm-up, then wrk with 16 connections a node for SECONDS.
#   bench/compare_nodes.sh [-r ROUNDS] [-s SECONDS] BIN...
# e.g. git worktree add /tmp/old HEAD~1 && (cd /tmp/old && cmake -S . -B build && cmake --build build --target dangan)
#      bench/compare_nodes.sh -r 3 /tmp/old/build/dangan build/dangan
# Prints, per run: the two nodes' requests a second, and the CPU time a request took in the nodes
# and in PostgreSQL's processes (from /proc: steadier between runs than the rate, which follows
# how much of the machine the run was given).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=1 seconds=20
while getopts "r:s:" o; do case $o in r) rounds=$OPTARG ;; s) seconds=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "compare_nodes: name at least one dangan binary" >&2; exit 2; }
command -v wrk >/dev/null || { echo "compare_nodes: wrk is missing; bench/run_nodes.sh installs it" >&2; exit 1; }
pg=${BENCH_PG:-/var/tmp/dangan-bench-pg}
[ -f "$pg/url" ] && pg_isready -q -d "$(cat "$pg/url")" || { echo "compare_nodes: no cluster in $pg; run bench/run_nodes.sh first" >&2; exit 1; }
port=$(sed -E 's|.*:([0-9]+)/.*|\1|' <<<"$(cat "$pg/url")")
node_url="postgresql://dangan@$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$(realpath "$pg")"):$port/dangan"
ports=(18771 18772)
cpu() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }

run() {  # run BIN
  local pids=() loads=() i token n0 g0 n1 g1 requests rate
  for i in 0 1; do
    "$1" serve --data "bench/out/node$((i + 1))" --port "${ports[$i]}" --host 127.0.0.1 --database "$node_url" \
      --ocr-workers -1 2> "bench/out/compare$((i + 1)).log" > /dev/null &
    pids+=($!)
  done
  for i in 0 1; do
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:${ports[$i]}/api/health" >/dev/null && break; sleep 0.1; done
    for _ in $(seq 1200); do grep -q "audit log: .* entries" "bench/out/compare$((i + 1)).log" && break; sleep 0.5; done
  done
  token=$(curl -sf -X POST "http://127.0.0.1:${ports[0]}/api/login" -d '{"username":"counter1","password":"Counter-Desk-2026"}' |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  export BENCH_TOKEN=$token BENCH_CUSTOMERS=${BENCH_CUSTOMERS:-1000000}
  for i in 0 1; do wrk -t1 -c8 -d10s -s bench/efile.lua "http://127.0.0.1:${ports[$i]}" > /dev/null & loads+=($!); done
  wait "${loads[@]}"; loads=()
  n0=$(cpu "${pids[@]}"); g0=$(cpu $(pgrep -u postgres -d' ' postgres))
  for i in 0 1; do wrk -t1 -c16 -d"${seconds}s" -s bench/efile.lua "http://127.0.0.1:${ports[$i]}" > "bench/out/compare-wrk$i.txt" & loads+=($!); done
  wait "${loads[@]}"
  n1=$(cpu "${pids[@]}"); g1=$(cpu $(pgrep -u postgres -d' ' postgres))
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
  requests=$(awk '/requests in/ {s += $1} END {print s}' bench/out/compare-wrk0.txt bench/out/compare-wrk1.txt)
  rate=$(awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}' bench/out/compare-wrk0.txt bench/out/compare-wrk1.txt)
  python3 -c "import sys; r=$requests; t=1e6/int(sys.argv[1]); print(f'{sys.argv[2]}: {$rate} req/s two nodes; CPU a request: nodes {($n1-$n0)*t/r:.0f} us, PostgreSQL {($g1-$g0)*t/r:.0f} us')" \
    "$(getconf CLK_TCK)" "$1"
}

for _ in $(seq "$rounds"); do for bin in "$@"; do run "$bin"; done; done
