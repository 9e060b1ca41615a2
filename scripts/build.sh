#!/usr/bin/env bash
# Installs what is missing and builds build/dangan and the tests. Usage: build.sh [NODE_MAJOR]
# (see setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "$@"
# The web application's npm packages, exactly as locked (bundled into build/webapp by the build).
npm ci --prefix web --no-audit --no-fund --loglevel=error
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
