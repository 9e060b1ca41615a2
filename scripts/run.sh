#!/usr/bin/env bash
# Installs what is missing, builds, and starts the server on ./data (SQLite) at port 8080.
# A fresh ./data is filled with a small demo archive (--demo); an existing one is left as it is.
# Extra arguments go to `dangan serve` and win over these defaults, e.g. scripts/run.sh --port 9000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
# `dangan serve` refuses an option given twice, so a default is added only when not given.
defaults=()
[[ " $* " =~ \ (--data|-d)[\ =] ]] || defaults+=(--data ./data)
[[ " $* " =~ \ (--port|-p)[\ =] ]] || defaults+=(--port 8080)
[[ " $* " =~ \ --demo\  ]] || defaults+=(--demo)
exec build/dangan serve "${defaults[@]}" "$@"
