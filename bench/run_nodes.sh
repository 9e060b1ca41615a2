#!/usr/bin/env bash
# The archive on PostgreSQL at scale: moves a generated embedded archive up to a PostgreSQL of its
# own (Debian's, on loopback, fsync on), then measures two server nodes on it with wrk.
#   bench/run_nodes.sh [DATA_DIR] [CUSTOMERS]
# DATA_DIR defaults to bench/out/archive; generate it first with
#   build/bench/dangan-bench-generate --data bench/out/archive --customers 1000000
# The cluster lives in BENCH_PG (default /var/tmp/dangan-bench-pg) and is kept for the next run
# (the copy is not made again); `tests/support/pg_loopback.sh stop /var/tmp/dangan-bench-pg` removes it.
# Prints the migration's time, the e-file and search latencies on one node, the e-file throughput
# of both nodes together, their peak resident memory and the database's size.
# The e-files are read by a counter clerk (role staff, user counter1, made on the first run), as at
# a service hall. BENCH_PG_SOCKET=1 connects the nodes through PostgreSQL's Unix socket instead of
# loopback TCP, as nodes on the database's own machine would.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-bench/out/archive}
customers=${2:-1000000}
pg=${BENCH_PG:-/var/tmp/dangan-bench-pg}
duration=${BENCH_SECONDS:-30}
ports=(18771 18772)
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || sudo apt-get install -y -qq wrk >/dev/null; }
[ -f "$data/archive.db" ] || { echo "run_nodes: no archive in $data (see the comment at the top)" >&2; exit 1; }
mkdir -p bench/out

if [ ! -f "$pg/url" ] || ! pg_isready -q -d "$(cat "$pg/url")"; then
  PG_EXTRA_OPTIONS="-c fsync=on -c shared_buffers=4GB -c max_wal_size=8GB -c checkpoint_timeout=30min" \
    tests/support/pg_loopback.sh start "$pg" >/dev/null
fi
url=$(cat "$pg/url")
query() { psql -qAt -d "$url" -c "$1" 2>/dev/null || true; }

if [ "$(query 'SELECT count(*) FROM customers')" != "$customers" ]; then
  echo "== dangan migrate --from $data --to $url"
  start=$(date +%s.%N)
  build/dangan migrate --from "$data" --to "$url"
  end=$(date +%s.%N)
  rows=$(query "SELECT sum(n_live_tup) FROM pg_stat_user_tables")
  python3 -c "t=$end-$start; print(f'migration: {t:.0f} s, {int($rows)} rows, {int($rows)/t:,.0f} rows/s')"
  query "VACUUM ANALYZE" >/dev/null
fi
echo "== database size: $(query "SELECT pg_size_pretty(pg_database_size(current_database()))")"

node_url=$url
if [ "${BENCH_PG_SOCKET:-0}" = 1 ]; then
  port=$(sed -E 's|.*:([0-9]+)/.*|\1|' <<<"$url")
  node_url="postgresql://dangan@$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$(realpath "$pg")"):$port/dangan"
fi
echo "== nodes connect to $node_url"

pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null || true' EXIT
for i in 0 1; do
  build/dangan serve --data "bench/out/node$((i + 1))" --port "${ports[$i]}" --host 127.0.0.1 --database "$node_url" \
    --ocr-workers -1 2> "bench/out/node$((i + 1)).log" > /dev/null &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
done
# Each node checks the audit chain when it starts; the measurements begin once both have.
for i in 1 2; do
  for _ in $(seq 1200); do grep -q "audit log: .* entries" "bench/out/node$i.log" && break; sleep 0.5; done
done
login() { curl -sf -X POST "http://127.0.0.1:${ports[0]}/api/login" -d "{\"username\":\"$1\",\"password\":\"$2\"}" |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
if ! token=$(login counter1 Counter-Desk-2026 2>/dev/null); then
  admin=$(login admin bench-admin-1)
  curl -sf -X POST -H "Authorization: Bearer $admin" "http://127.0.0.1:${ports[0]}/api/users" \
    -d '{"username":"counter1","display_name":"营业厅柜员","password":"Counter-Set-2026","roles":["staff"]}' >/dev/null
  first=$(login counter1 Counter-Set-2026)
  curl -sf -X POST -H "Authorization: Bearer $first" "http://127.0.0.1:${ports[0]}/api/me/password" \
    -d '{"current":"Counter-Set-2026","new":"Counter-Desk-2026"}' >/dev/null
  token=$(login counter1 Counter-Desk-2026)
fi
export BENCH_TOKEN=$token BENCH_CUSTOMERS=$customers
rss() { for p in "${pids[@]}"; do awk -v p=$p '/VmHWM/ {printf "node %s peak %d MB  ", p, $2/1024}' /proc/$p/status; done; echo; }

one=http://127.0.0.1:${ports[0]} two=http://127.0.0.1:${ports[1]}
echo "== warm-up (e-file on both nodes, 20 s, 8 connections each)"
wrk -t1 -c8 -d20s -s bench/efile.lua "$one" > /dev/null & w=$!
wrk -t1 -c8 -d20s -s bench/efile.lua "$two" > /dev/null; wait $w
echo "== e-file latency, node 1, 1 connection, ${duration} s"
wrk -t1 -c1 -d${duration}s --latency -s bench/efile.lua "$one" | grep -E "50%|75%|90%|99%|Requests/sec|Non-2xx"
echo "== e-file throughput, both nodes, 16 connections each, ${duration} s"
wrk -t1 -c16 -d${duration}s --latency -s bench/efile.lua "$one" > bench/out/nodes-wrk1.txt & w=$!
wrk -t1 -c16 -d${duration}s --latency -s bench/efile.lua "$two" > bench/out/nodes-wrk2.txt; wait $w
for f in bench/out/nodes-wrk1.txt bench/out/nodes-wrk2.txt; do echo "-- $f"; grep -E "50%|90%|99%|Requests/sec|Non-2xx" $f; done
awk '/Requests\/sec/ {s += $2} END {printf "both nodes together: %.0f req/s\n", s}' bench/out/nodes-wrk1.txt bench/out/nodes-wrk2.txt
echo "== e-file throughput, node 1 alone, 32 connections, ${duration} s"
wrk -t2 -c32 -d${duration}s --latency -s bench/efile.lua "$one" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
echo "== search latency, node 2, 1 connection, ${duration} s"
wrk -t1 -c1 -d${duration}s --latency -s bench/search.lua "$two" | grep -E "50%|75%|90%|99%|Requests/sec|Non-2xx"
echo "== server memory:"; rss
echo "== database size after the run: $(query "SELECT pg_size_pretty(pg_database_size(current_database()))")"
