#!/usr/bin/env bash
# The marketing system's step gate (GET /api/processes/{process_id}/gate?step=) on the completeness
# benchmark archive, with wrk: one connection for latency, then four.
#   bench/run_gate.sh [DATA_DIR] [PROCESSES]
# DATA_DIR defaults to bench/out/completeness; make it first with
#   build/bench/dangan-bench-audit bench/out/completeness 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-bench/out/completeness}
processes=${2:-3000000}
port=18766
duration=${BENCH_SECONDS:-30}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || sudo apt-get install -y -qq wrk >/dev/null; }
[ -f "$data/archive.db" ] || { echo "run_gate: no archive in $data (see the comment at the top)" >&2; exit 1; }

build/dangan serve --data "$data" --port $port --host 127.0.0.1 --ocr-workers -1 2> bench/out/gate-server.log > /dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -d '{"username":"admin","password":"admin-secret-1"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export BENCH_TOKEN=$token BENCH_PROCESSES=$processes
echo "== one answer:"
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/processes/SQ12345/gate?step=%E5%8F%97%E7%90%86"; echo
echo "== gate latency, 1 connection, ${duration} s"
wrk -t1 -c1 -d${duration}s --latency -s bench/gate.lua "http://127.0.0.1:$port" | grep -E "50%|75%|90%|99%|Requests/sec|Non-2xx"
echo "== gate, 2 threads 4 connections, ${duration} s"
wrk -t2 -c4 -d${duration}s --latency -s bench/gate.lua "http://127.0.0.1:$port" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
