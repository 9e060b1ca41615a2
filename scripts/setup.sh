#!/usr/bin/env bash
# Installs the Debian packages dangan needs to build and test, when they are missing, then checks
# Node.js. Usage: setup.sh [NODE_MAJOR], the oldest Node.js the caller needs: 18 by default (the
# web bundle's esbuild), 20 for the browser tests (playwright-core 1.65).
set -euo pipefail
node_major=${1:-18}

packages=(
  build-essential cmake pkg-config
  libpoco-dev libsqlite3-dev libpq-dev libssl-dev libleptonica-dev libcsv-dev libgtest-dev libzxing-dev libtesseract-dev
  libhpdf-dev libpoppler-cpp-dev fonts-arphic-gbsn00lp fonts-arphic-gkai00mp
  # the password policy's dictionary check: CrackLib and its dictionary
  libcrack2-dev cracklib-runtime
  # HTTPS: the tests make their certificate with the openssl tool
  openssl
  # the test papers' other printers' fonts (Ming, Hei, another Kai)
  fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei
  # OCR language data (read at run time), then the tests' independent tools: barcodes, PDF rendering
  zint zxing-cpp-tools poppler-utils tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng
  # a scanner for the hot-folder tests: SANE's scanimage with its test backend
  sane-utils
  # a real mail server on loopback for the reminder-delivery tests
  python3-aiosmtpd
  # a real S3-compatible object store on loopback for the image-store tests: OpenStack Swift with
  # its s3api middleware (tests/support/s3_loopback.sh)
  swift swift-proxy swift-object swift-container swift-account python3-swift memcached curl
  # PostgreSQL, the second database: the tests start a server of their own on loopback
  # (tests/support/pg_loopback.sh)
  postgresql
  # the browser tests: Debian's Chromium (driven by playwright-core from npm)
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js with npm comes with the machine (NodeSource's nodejs bundles npm); Debian's own packages
# only when neither is there, since Debian's npm conflicts with NodeSource's nodejs.
command -v npm >/dev/null || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian 12's own nodejs is 18: enough for the web bundle, too old for the browser tests. Say so
# plainly rather than fail later in a browser test.
found=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$found" -lt "$node_major" ]; then
  echo "setup: Node.js $node_major or later is needed (found $(node --version 2>/dev/null || echo none)); install NodeSource's nodejs $node_major, see the README" >&2
  exit 1
fi
