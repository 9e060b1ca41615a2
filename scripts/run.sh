#!/usr/bin/env bash
# Installs what is missing, builds, and starts the server on ./data (SQLite) at port 8080.
# A fresh ./data is filled with a small demo archive (--demo); an existing one is left as it is.
# Extra arguments go to `dangan serve`, e.g. scripts/run.sh --port 9000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/dangan serve --data ./data --port 8080 --demo "$@"
