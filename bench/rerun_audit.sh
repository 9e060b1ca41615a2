#!/usr/bin/env bash
# Runs one more full completeness audit on an archive dangan-bench-audit made (and, with a URL,
# moved up to PostgreSQL), without generating it again: the audit's time, its totals and the
# server's peak memory.
#   bench/rerun_audit.sh DATA_DIR [postgresql://…]
set -euo pipefail
cd "$(dirname "$0")/.."
data=$1
database=(); [ -n "${2:-}" ] && database=(--database "$2")
port=18781
DANGAN_ADMIN_PASSWORD=unused build/dangan serve --data "$data" "${database[@]}" --port $port --host 127.0.0.1 --ocr-workers -1 \
  2> bench/out/rerun-audit.log > /dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -d '{"username":"admin","password":"admin-secret-1"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
start=$(date +%s.%N)
id=$(curl -sf -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/audits" -d '{"filter":{}}' |
     python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
while true; do
  sleep 0.2
  state=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/audits/$id?limit=1" |
          python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["state"], json.dumps(a.get("totals")))')
  case $state in done*|failed*) break;; esac
done
end=$(date +%s.%N)
python3 -c "print(f'audit $id: {$end-$start:.1f} s')"
echo "state and totals: $state"
awk '/VmHWM/ {printf "server peak resident memory: %d MB\n", $2/1024}' /proc/$pid/status
