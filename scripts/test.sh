#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh 20  # the browser tests' playwright-core needs Node.js 20
# The browser tests' one npm package, exactly as locked.
npm ci --prefix tests/web --no-audit --no-fund --loglevel=error
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
