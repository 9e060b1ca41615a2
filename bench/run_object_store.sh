#!/usr/bin/env bash
# The object-store backend against OpenStack Swift (s3api) on loopback: starts it in a temporary
# folder, runs dangan-bench-object-store over FOLDER's files (default: the OCR held-out split's
# cached pages, /tmp/fch), and stops it.
#
#   bench/run_object_store.sh [FOLDER] [THREADS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
folder=${1:-/tmp/fch}
threads=${2:-4}
work=$(mktemp -d)
endpoint=$("$root/tests/support/s3_loopback.sh" "$work/s3" | sed -n 's/^endpoint //p')
trap 'kill $(cat "$work/s3/pids") 2>/dev/null || true; rm -rf "$work"' EXIT
DANGAN_S3_ACCESS_KEY=test:tester DANGAN_S3_SECRET_KEY=testing \
  "$root/build/bench/dangan-bench-object-store" "s3://bench?endpoint=$endpoint" "$folder" "$threads"
