#!/usr/bin/env bash
# Measures the archive server on a generated archive with wrk (Debian's HTTP load tool).
#   bench/run_load.sh [DATA_DIR] [CUSTOMERS]        (BENCH_TLS=1: over HTTPS, a certificate made here)
# DATA_DIR defaults to bench/out/archive; generate it first with
#   build/bench/dangan-bench-generate --data bench/out/archive --customers 1000000
# Prints wrk's latency distributions and the server's peak resident memory (VmHWM).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-bench/out/archive}
customers=${2:-1000000}
port=18765
duration=${BENCH_SECONDS:-30}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || sudo apt-get install -y -qq wrk >/dev/null; }
[ -f "$data/archive.db" ] || { echo "run_load: no archive in $data (see the comment at the top)" >&2; exit 1; }

scheme=http tls=()
if [ "${BENCH_TLS:-0}" = 1 ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout bench/out/tls-key.pem -out bench/out/tls-cert.pem -subj /CN=127.0.0.1 \
    -days 2 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  scheme=https tls=(--tls-cert bench/out/tls-cert.pem --tls-key bench/out/tls-key.pem)
fi
build/dangan serve --data "$data" --port $port --host 127.0.0.1 "${tls[@]}" 2> bench/out/server.log > /dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -ksf "$scheme://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
token=$(curl -ksf -X POST "$scheme://127.0.0.1:$port/api/login" -d '{"username":"admin","password":"bench-admin-1"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export BENCH_TOKEN=$token BENCH_CUSTOMERS=$customers
rss() { awk '/VmRSS|VmHWM/ {printf "%s %d MB  ", $1, $2/1024}' /proc/$pid/status; echo; }

echo "== server memory after start:"; rss
echo "== warm-up (e-file, 10 s, 8 connections)"
wrk -t2 -c8 -d10s -s bench/efile.lua "$scheme://127.0.0.1:$port" | grep -E "Requests/sec|Non-2xx" || true
echo "== e-file latency, 1 connection, ${duration} s"
wrk -t1 -c1 -d${duration}s --latency -s bench/efile.lua "$scheme://127.0.0.1:$port" | grep -E "50%|75%|90%|99%|Requests/sec|Non-2xx"
echo "== e-file throughput, 2 threads 32 connections, ${duration} s"
wrk -t2 -c32 -d${duration}s --latency -s bench/efile.lua "$scheme://127.0.0.1:$port" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
echo "== search latency, 1 connection, ${duration} s"
wrk -t1 -c1 -d${duration}s --latency -s bench/search.lua "$scheme://127.0.0.1:$port" | grep -E "50%|75%|90%|99%|Requests/sec|Non-2xx"
echo "== search, 2 threads 8 connections, ${duration} s"
wrk -t2 -c8 -d${duration}s --latency -s bench/search.lua "$scheme://127.0.0.1:$port" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
echo "== server memory at the end:"; rss
